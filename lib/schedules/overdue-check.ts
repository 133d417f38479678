import "server-only";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { type Schedule, scheduleFirings, schedules } from "@/db/schema";
import type { AlertQueue } from "@/lib/alerts/queue";
import { onScheduleOverdue } from "./on-overdue";
import { overdueSince } from "./overdue";

/** A schedule's newest firing (its newest-firings index answers it). */
async function lastFiredAt(db: DbOrTx, scheduleId: string): Promise<Date | null> {
  const [last] = await db
    .select({ at: scheduleFirings.firedAt })
    .from(scheduleFirings)
    .where(eq(scheduleFirings.scheduleId, scheduleId))
    .orderBy(desc(scheduleFirings.firedAt))
    .limit(1);
  return last?.at ?? null;
}

const overdueAt = async (db: DbOrTx, schedule: Schedule, now: Date) =>
  overdueSince({ ...schedule, lastFiredAt: await lastFiredAt(db, schedule.id) }, now);

/**
 * The worker's minute check: an active schedule that became overdue gets `overdue_since` set once
 * per episode, and `onScheduleOverdue` in that same transaction. Each candidate is decided again
 * after its row is locked, in a fresh statement: a firing holds that lock until it commits, so one
 * that lands during the check (workers back after an outage) is seen and nothing is flagged. Two
 * workers checking at once mark and report it once. Firing again ends the episode
 * (lib/schedules/firing.ts).
 */
export async function checkOverdueSchedules(
  { db, boss }: { db: Db; boss: AlertQueue },
  now = new Date(),
): Promise<{ marked: number }> {
  const active = await db
    .select()
    .from(schedules)
    .where(and(eq(schedules.paused, false), isNull(schedules.overdueSince)));
  let marked = 0;
  for (const candidate of active) {
    if (!(await overdueAt(db, candidate, now))) continue;
    await db.transaction(async (tx) => {
      const [schedule] = await tx
        .select()
        .from(schedules)
        .where(and(eq(schedules.id, candidate.id), eq(schedules.paused, false), isNull(schedules.overdueSince)))
        .for("update");
      const since = schedule && (await overdueAt(tx, schedule, now));
      if (!since) return;
      const [updated] = await tx
        .update(schedules)
        .set({ overdueSince: since })
        .where(eq(schedules.id, schedule.id))
        .returning();
      await onScheduleOverdue(tx, boss, { ...updated!, overdueSince: since });
      marked += 1;
    });
  }
  return { marked };
}
