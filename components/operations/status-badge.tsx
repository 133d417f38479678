import { cn } from "@/components/ui/cn";
import type { RunOutcome, RunStatus } from "@/db/schema/enums";

const LOOK: Record<string, { label: string; className: string }> = {
  queued: {
    label: "Queued",
    className: "bg-zinc-100 text-zinc-700 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-600",
  },
  running: {
    label: "Running",
    className: "bg-blue-50 text-blue-700 ring-blue-300 dark:bg-blue-950 dark:text-blue-300 dark:ring-blue-800",
  },
  succeeded: {
    label: "Succeeded",
    className: "bg-green-50 text-green-700 ring-green-300 dark:bg-green-950 dark:text-green-300 dark:ring-green-800",
  },
  partially_succeeded: {
    label: "Partially succeeded",
    className: "bg-amber-50 text-amber-800 ring-amber-300 dark:bg-amber-950 dark:text-amber-300 dark:ring-amber-800",
  },
  failed: {
    label: "Failed",
    className: "bg-red-50 text-red-700 ring-red-300 dark:bg-red-950 dark:text-red-300 dark:ring-red-800",
  },
  cancelled: {
    label: "Cancelled",
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
      className={cn(
        "inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
        look.className,
      )}
    >
      {status === "running" ? <span className="size-1.5 animate-pulse rounded-full bg-current" aria-hidden /> : null}
      {look.label}
    </span>
  );
}

export const STATUS_LABELS = { queued: "Queued", running: "Running", completed: "Completed" } as const;
export const OUTCOME_LABELS = {
  pending: "Pending",
  succeeded: "Succeeded",
  partially_succeeded: "Partially succeeded",
  failed: "Failed",
  cancelled: "Cancelled",
} as const;
