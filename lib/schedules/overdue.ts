import { previousFiring } from "./recurrence";

/** How late a firing may be before its schedule counts as overdue (pg-boss's cron pass, a busy worker). */
export const OVERDUE_GRACE_MS = 5 * 60_000;

export type OverdueInput = {
  cron: string;
  timezone: string;
  paused: boolean;
  /** When it last became active (made, resumed or retimed). */
  activeSince: Date;
  /** Its last firing, whatever came of it. */
  lastFiredAt: Date | null;
};

/**
 * The one definition of overdue: an active schedule whose most recent due occurrence (older than
 * the grace) has no firing — its last firing is more than one interval plus the grace old, as when
 * no worker was up. Returns when the missed occurrence was due, or null.
 */
export function overdueSince(schedule: OverdueInput, now: Date, graceMs = OVERDUE_GRACE_MS): Date | null {
  if (schedule.paused) return null;
  const due = previousFiring(schedule.cron, schedule.timezone, new Date(now.getTime() - graceMs));
  if (!due) return null;
  // An occurrence before the schedule was active was never owed.
  if (schedule.activeSince.getTime() > due.getTime()) return null;
  // A firing within the grace before the occurrence (clock skew between hosts) still counts for it.
  const fired = schedule.lastFiredAt && schedule.lastFiredAt.getTime() >= due.getTime() - graceMs;
  return fired ? null : due;
}
