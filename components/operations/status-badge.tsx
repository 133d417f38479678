import { cn } from "@/components/ui/cn";
import type { RunOutcome, RunStatus } from "@/db/schema/enums";
import { OUTCOME_LABELS, STATUS_LABELS } from "@/lib/operations/labels";

const LOOK: Record<string, { className: string }> = {
  queued: {
    className: "bg-zinc-100 text-zinc-700 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-600",
  },
  running: {
    className: "bg-blue-50 text-blue-700 ring-blue-300 dark:bg-blue-950 dark:text-blue-300 dark:ring-blue-800",
  },
  succeeded: {
    className: "bg-green-50 text-green-700 ring-green-300 dark:bg-green-950 dark:text-green-300 dark:ring-green-800",
  },
  partially_succeeded: {
    className: "bg-amber-50 text-amber-800 ring-amber-300 dark:bg-amber-950 dark:text-amber-300 dark:ring-amber-800",
  },
  failed: {
    className: "bg-red-50 text-red-700 ring-red-300 dark:bg-red-950 dark:text-red-300 dark:ring-red-800",
  },
  cancelled: {
    className: "bg-zinc-100 text-zinc-600 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-400 dark:ring-zinc-600",
  },
};

/** One badge for a run: its status while active, its outcome once completed. */
export function RunStatusBadge({ status, outcome }: { status: RunStatus; outcome: RunOutcome }) {
  const look = LOOK[status === "completed" ? outcome : status] ?? LOOK.queued!;
  return (
    <span
      data-testid="run-status"
      data-status={status}
      data-outcome={outcome}
      className={cn("run-badge", look.className)}
    >
      {status === "running" ? <span className="size-1.5 animate-pulse rounded-full bg-current" aria-hidden /> : null}
      {status === "completed" ? OUTCOME_LABELS[outcome] : STATUS_LABELS[status]}
    </span>
  );
}
