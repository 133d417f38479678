import type { InitiatorKind, RunOutcome, RunStatus } from "@/db/schema/enums";

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

/** The small label beside a run's initiator; a person's runs need none. */
export const INITIATOR_KIND_LABELS: Record<InitiatorKind, string | null> = {
  user: null,
  schedule: "Schedule",
  system: "System",
};

/** The runs list's initiator-kind filter. */
export const INITIATOR_KIND_FILTER_LABELS: Record<InitiatorKind, string> = {
  user: "A person",
  schedule: "A schedule",
  system: "The console",
};
