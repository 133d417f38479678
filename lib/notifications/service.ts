import "server-only";
import { eq, type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import {
  notifications,
  type OperationRun,
  type RunOutcome,
  type ScheduleNotify,
  schedules,
  tenants,
} from "@/db/schema";
import { type OperationRegistry, operationLabel } from "@/lib/operations/registry";

const OUTCOME_WORDS: Record<RunOutcome, string> = {
  pending: "queued",
  succeeded: "succeeded",
  partially_succeeded: "partially succeeded",
  failed: "failed",
  cancelled: "was cancelled",
};

const PROBLEMS: RunOutcome[] = ["failed", "partially_succeeded"];

/** Whether a scheduled run's owner hears of it in this state, per the schedule's choice. */
export function scheduleWants(choice: ScheduleNotify, run: Pick<OperationRun, "status" | "outcome">): boolean {
  if (choice === "always") return true;
  return choice === "problems" && run.status === "completed" && PROBLEMS.includes(run.outcome);
}

/** The notify choice of the run's schedule; a deleted schedule's runs keep the default. */
async function scheduleChoice(db: DbOrTx, run: OperationRun): Promise<ScheduleNotify> {
  if (!run.scheduleId) return "problems";
  const [row] = await db.select({ notify: schedules.notify }).from(schedules).where(eq(schedules.id, run.scheduleId));
  return row?.notify ?? "problems";
}

/**
 * Run notifications go to the initiator only (system runs notify nobody; a schedule's runs notify
 * its owner as the schedule chose). The unique index on (run, user, kind) makes a repeated write a
 * no-op, so a redelivered job cannot notify twice.
 */
export async function notifyRun(db: DbOrTx, run: OperationRun, registry?: OperationRegistry): Promise<void> {
  const insert = await runNotification(db, run, registry);
  if (insert) await db.execute(insert);
}

/** The insert of a run's notification, not yet sent (db/write-together.ts), or null: nobody to tell. */
export async function runNotification(
  db: DbOrTx,
  run: OperationRun,
  registry?: OperationRegistry,
): Promise<SQL | null> {
  if (!run.initiatorUserId) return null;
  if (run.initiatorKind === "schedule" && !scheduleWants(await scheduleChoice(db, run), run)) return null;
  const terminal = run.status === "completed";
  const failure = (terminal && run.failures[0]?.message) || null;
  // The tenant's name is read by the insert itself: one round trip on every start and completion.
  const tenantName = sql`coalesce((select ${tenants.displayName} from ${tenants} where ${tenants.id} = ${run.tenantId}), 'Tenant')`;
  return db
    .insert(notifications)
    .values({
      userId: run.initiatorUserId,
      tenantId: run.tenantId,
      runId: run.id,
      kind: terminal ? "run_completed" : "run_queued",
      outcome: run.outcome,
      title: `${operationLabel(run.type, registry)} ${OUTCOME_WORDS[run.outcome]}`,
      body: sql`left(concat_ws(' — ', ${tenantName}, ${failure}::text), 500)`,
    })
    .onConflictDoNothing()
    .getSQL(); // not the builder: an async function would await (send) it
}
