import "server-only";
import type { PgBoss } from "pg-boss";
import type { Db } from "@/db/client";
import { componentLog } from "@/lib/log";
import type { OperationDeps } from "@/lib/operations/start";
import { fireSchedule, scheduleExists } from "./firing";
import { checkOverdueSchedules } from "./overdue-check";
import { ensureScheduleQueues, FIRE_QUEUE, OVERDUE_CHECK_QUEUE } from "./queues";

const log = componentLog("schedules");

/** One firing job, as the worker works it. */
export async function workFiring(
  boss: Pick<PgBoss, "unschedule">,
  deps: OperationDeps & { db: Db },
  job: { id: string; data: { scheduleId: string } },
) {
  const { scheduleId } = job.data;
  const firing = await fireSchedule(deps, { jobId: job.id, scheduleId });
  // Its schedule is gone without an unschedule (removed with its tenant, by a cascade): stop
  // pg-boss from sending more. One stray firing, then nothing.
  if (!firing && !(await scheduleExists(deps.db, scheduleId))) {
    await boss.unschedule(FIRE_QUEUE, scheduleId);
    log.info({ scheduleId }, "firing of a deleted schedule: unscheduled");
    return null;
  }
  log.info({ scheduleId, jobId: job.id, outcome: firing?.outcome ?? "none" }, "schedule fired");
  return firing;
}

/**
 * A worker's part in schedules: it works the firings pg-boss's scheduler sends (one cron pass at a
 * time across instances; each occurrence filed once) and the minute overdue check.
 */
export async function startSchedules(boss: PgBoss, deps: OperationDeps & { db: Db }) {
  await ensureScheduleQueues(boss);
  await boss.schedule(OVERDUE_CHECK_QUEUE, "* * * * *", null, { tz: "UTC" });
  await boss.work<{ scheduleId: string }>(FIRE_QUEUE, async (jobs) => {
    for (const job of jobs) await workFiring(boss, deps, job);
  });
  await boss.work(OVERDUE_CHECK_QUEUE, async () => checkOverdueSchedules({ db: deps.db, boss }));
}
