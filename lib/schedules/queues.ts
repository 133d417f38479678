import type { PgBoss } from "pg-boss";

/** pg-boss's scheduler sends each console schedule's firings here (schedule key = the schedule's id). */
export const FIRE_QUEUE = "schedule.fire";
/** Every minute: marks schedules that missed a firing (lib/schedules/overdue-check.ts). */
export const OVERDUE_CHECK_QUEUE = "schedule.overdue-check";

/**
 * The two queues, made before any schedule names them (a pg-boss schedule needs its queue). Idempotent:
 * the migrator and every worker call it. A firing job retries (its row makes a retry harmless).
 */
export async function ensureScheduleQueues(boss: Pick<PgBoss, "createQueue" | "getQueue">) {
  if (!(await boss.getQueue(FIRE_QUEUE))) {
    await boss.createQueue(FIRE_QUEUE, { retryLimit: 5, retryDelay: 10, retryBackoff: true, expireInSeconds: 300 });
  }
  if (!(await boss.getQueue(OVERDUE_CHECK_QUEUE))) {
    await boss.createQueue(OVERDUE_CHECK_QUEUE, { retryLimit: 1, retryDelay: 30, expireInSeconds: 300 });
  }
}
