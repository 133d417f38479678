import "server-only";
import type { PgBoss } from "pg-boss";
import type { Db } from "@/db/client";
import { componentLog } from "@/lib/log";
import type { OperationDeps } from "@/lib/operations/start";
import { fireSchedule } from "./firing";
import { checkOverdueSchedules } from "./overdue-check";
import { ensureScheduleQueues, FIRE_QUEUE, OVERDUE_CHECK_QUEUE } from "./queues";

const log = componentLog("schedules");

/**
 * A worker's part in schedules: it works the firings pg-boss's scheduler sends (one cron pass at a
 * time across instances; each occurrence filed once) and the minute overdue check.
 */
export async function startSchedules(boss: PgBoss, deps: OperationDeps & { db: Db }) {
  await ensureScheduleQueues(boss);
  await boss.schedule(OVERDUE_CHECK_QUEUE, "* * * * *", null, { tz: "UTC" });
  await boss.work<{ scheduleId: string }>(FIRE_QUEUE, async (jobs) => {
    for (const job of jobs) {
      const firing = await fireSchedule(deps, { jobId: job.id, scheduleId: job.data.scheduleId });
      log.info(
        { scheduleId: job.data.scheduleId, jobId: job.id, outcome: firing?.outcome ?? "none" },
        "schedule fired",
      );
    }
  });
  await boss.work(OVERDUE_CHECK_QUEUE, async () => checkOverdueSchedules({ db: deps.db, boss }));
}
