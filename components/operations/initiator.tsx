import type { InitiatorKind } from "@/db/schema/enums";
import { INITIATOR_KIND_LABELS } from "@/lib/operations/labels";

/** Who started a run, with a small label when it was not a person (a schedule, the console itself). */
export function Initiator({ name, kind }: { name: string; kind: InitiatorKind }) {
  const label = INITIATOR_KIND_LABELS[kind];
  return (
    <span data-testid="run-initiator" data-kind={kind}>
      {name}
      {label ? (
        <span className="ml-1.5 rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
          {label}
        </span>
      ) : null}
    </span>
  );
}
