import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import {
  type MembershipRole,
  type Schedule,
  type ScheduleFiring,
  scheduleFirings,
  schedules,
  tenantMemberships,
} from "@/db/schema";
import { ForbiddenError, InputError, NotFoundError, publicMessage } from "@/lib/errors";
import { operationDefinition } from "@/lib/operations/registry";
import { type OperationDeps, startOperation } from "@/lib/operations/start";
import { roleAtLeast } from "@/lib/tenants/roles";

type Decision = Pick<ScheduleFiring, "outcome" | "runId" | "reason">;
const skipped = (reason: string): Decision => ({ outcome: "skipped", runId: null, reason });

/** Why the schedule's owner cannot start its type now (removed, demoted), or null when they can. */
async function ownerRefusal(tx: DbOrTx, schedule: Schedule, minRole: MembershipRole): Promise<string | null> {
  if (!schedule.ownerUserId) return "The schedule's owner no longer has an account; edit the schedule to take it over.";
  const [membership] = await tx
    .select({ role: tenantMemberships.role })
    .from(tenantMemberships)
    .where(and(eq(tenantMemberships.tenantId, schedule.tenantId), eq(tenantMemberships.userId, schedule.ownerUserId)));
  if (!membership)
    return "The schedule's owner is no longer a member of this tenant; edit the schedule to take it over.";
  if (!roleAtLeast(membership.role, minRole)) {
    return `The schedule's owner is now ${membership.role}; running it needs ${minRole}.`;
  }
  return null;
}

async function decide(deps: OperationDeps, tx: DbOrTx, schedule: Schedule): Promise<Decision> {
  if (schedule.paused) return skipped("The schedule is paused.");
  const definition = operationDefinition(deps.registry, schedule.operationType);
  if (!definition?.schedulable) return skipped(`"${schedule.operationType}" can no longer be scheduled.`);
  const refusal = await ownerRefusal(tx, schedule, definition.minRole);
  if (refusal) return skipped(refusal);
  try {
    const { run, created } = await startOperation(
      { ...deps, db: tx },
      {
        actor: {
          kind: "schedule",
          scheduleId: schedule.id,
          userId: schedule.ownerUserId!,
          name: `Schedule: ${schedule.name}`,
        },
        tenantId: schedule.tenantId,
        type: schedule.operationType,
        inputs: {},
      },
    );
    return created
      ? { outcome: "started", runId: run.id, reason: null }
      : { outcome: "joined", runId: run.id, reason: "An equal run was still active." };
  } catch (err) {
    // A refusal of the start itself (its checks read only): on record, not retried.
    if (err instanceof InputError || err instanceof ForbiddenError || err instanceof NotFoundError) {
      return skipped(publicMessage(err));
    }
    throw err;
  }
}

export async function scheduleExists(db: Db, scheduleId: string): Promise<boolean> {
  const rows = await db.select({ id: schedules.id }).from(schedules).where(eq(schedules.id, scheduleId));
  return rows.length > 0;
}

/**
 * One firing of one schedule, in one transaction: claim the firing job's id, decide, start the run
 * (or find the equal active one), record what came of it. A retried or concurrently redelivered
 * firing job finds its id taken (the unique key waits for the first transaction) and does nothing,
 * so one firing never starts two runs. A deleted schedule's stray firing records nothing.
 */
export async function fireSchedule(
  deps: OperationDeps & { db: Db },
  { jobId, scheduleId }: { jobId: string; scheduleId: string },
): Promise<ScheduleFiring | null> {
  return deps.db.transaction(async (tx) => {
    const [schedule] = await tx.select().from(schedules).where(eq(schedules.id, scheduleId)).for("update");
    if (!schedule) return null;
    const [claimed] = await tx
      .insert(scheduleFirings)
      .values({ scheduleId, jobId, outcome: "skipped" })
      .onConflictDoNothing({ target: scheduleFirings.jobId })
      .returning({ id: scheduleFirings.id });
    if (!claimed) return null;
    const decision = await decide(deps, tx, schedule);
    const [firing] = await tx
      .update(scheduleFirings)
      .set(decision)
      .where(eq(scheduleFirings.id, claimed.id))
      .returning();
    // It fired: an overdue episode, if one was open, is over.
    if (schedule.overdueSince) {
      await tx.update(schedules).set({ overdueSince: null }).where(eq(schedules.id, schedule.id));
    }
    return firing!;
  });
}
