import type { RunOutcome, RunStatus } from "@/db/schema/enums";

/** How a run's status and outcome read everywhere (badges, chips, filters, charts). */
export const STATUS_LABELS: Record<RunStatus, string> = {
  queued: "Queued",
  running: "Running",
  completed: "Completed",
};
export const OUTCOME_LABELS: Record<RunOutcome, string> = {
  pending: "Pending",
  succeeded: "Succeeded",
  partially_succeeded: "Partially succeeded",
  failed: "Failed",
  cancelled: "Cancelled",
};
