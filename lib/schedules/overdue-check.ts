import "server-only";
import { and, eq, isNull, max } from "drizzle-orm";
import type { Db } from "@/db/client";
import { scheduleFirings, schedules } from "@/db/schema";
import type { AlertQueue } from "@/lib/alerts/queue";
import { onScheduleOverdue } from "./on-overdue";
import { overdueSince } from "./overdue";

/**
 * The worker's minute check: an active schedule that became overdue gets `overdue_since` set once
 * per episode (a conditional update, so two workers checking at once mark and report it once), and
 * `onScheduleOverdue` in that same transaction. Firing again ends the episode (lib/schedules/firing.ts).
 */
export async function checkOverdueSchedules(
  { db, boss }: { db: Db; boss: AlertQueue },
  now = new Date(),
): Promise<{ marked: number }> {
  const rows = await db
    .select({ schedule: schedules, lastFiredAt: max(scheduleFirings.firedAt) })
    .from(schedules)
    .leftJoin(scheduleFirings, eq(scheduleFirings.scheduleId, schedules.id))
    .where(and(eq(schedules.paused, false), isNull(schedules.overdueSince)))
    .groupBy(schedules.id);
  let marked = 0;
  for (const { schedule, lastFiredAt } of rows) {
    const since = overdueSince({ ...schedule, lastFiredAt: lastFiredAt ? new Date(lastFiredAt) : null }, now);
    if (!since) continue;
    await db.transaction(async (tx) => {
      const [updated] = await tx
        .update(schedules)
        .set({ overdueSince: since })
        .where(and(eq(schedules.id, schedule.id), eq(schedules.paused, false), isNull(schedules.overdueSince)))
        .returning();
      if (!updated) return;
      await onScheduleOverdue(tx, boss, { ...updated, overdueSince: since });
      marked += 1;
    });
  }
  return { marked };
}
