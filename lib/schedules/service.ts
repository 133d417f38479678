import "server-only";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { fromDrizzle, type PgBoss } from "pg-boss";
import { z } from "zod";
import type { Db, DbOrTx } from "@/db/client";
import { operationRuns, type Schedule, scheduleFirings, scheduleNotify, schedules } from "@/db/schema";
import type { AuditAction } from "@/lib/audit/actions";
import { recordAudit, userAuditActor } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/actor";
import { InputError, NotFoundError } from "@/lib/errors";
import { type OperationRegistry, operationDefinition } from "@/lib/operations/registry";
import { type OperationDeps, startOperation } from "@/lib/operations/start";
import { requireTenantAccess } from "@/lib/tenants/access";
import { roleAtLeast } from "@/lib/tenants/roles";
import { FIRE_QUEUE } from "./queues";
import { recurrenceSchema, timezoneSchema, toCron } from "./recurrence";

/** What managing schedules needs: the database and pg-boss (its schedule table, in our transactions). */
export type ScheduleDeps = {
  db: Db;
  boss: Pick<PgBoss, "schedule" | "unschedule">;
  registry: OperationRegistry;
};

export const scheduleInputSchema = z.object({
  name: z.string().trim().min(1, "Give the schedule a name.").max(100, "Keep the name under 100 characters."),
  operationType: z.string().max(100),
  recurrence: recurrenceSchema,
  timezone: timezoneSchema,
  notify: z.enum(scheduleNotify.enumValues).default("problems"),
});
export type ScheduleInput = z.input<typeof scheduleInputSchema>;

const uuid = z.uuid();
type Change = { actor: Actor; tenantId: string };

function parseInput(raw: unknown) {
  const result = scheduleInputSchema.safeParse(raw);
  if (!result.success) {
    const flat = z.flattenError(result.error).fieldErrors as Record<string, string[]>;
    // A nested recurrence error reads under the form's field it came from.
    for (const issue of result.error.issues) {
      const field = issue.path[0] === "recurrence" ? String(issue.path[1] ?? "frequency") : null;
      if (field) flat[field] = [...(flat[field] ?? []), issue.message];
    }
    delete flat.recurrence;
    throw new InputError("Please correct the highlighted fields.", flat);
  }
  return result.data;
}

/**
 * The caller may manage schedules here (operator+; checked before the input is read, so a viewer
 * is refused as such) and run the type (its own minRole). Returns the parsed input.
 */
async function requireScheduler(deps: ScheduleDeps, { actor, tenantId }: Change, input: unknown) {
  const access = await requireTenantAccess(deps.db, { userId: actor.userId, tenantId, minRole: "operator" });
  const parsed = parseInput(input);
  const definition = operationDefinition(deps.registry, parsed.operationType);
  if (!definition?.schedulable) {
    throw new InputError("Please correct the highlighted fields.", {
      operationType: [`"${parsed.operationType}" is not an operation a schedule can run.`],
    });
  }
  if (!roleAtLeast(access.role, definition.minRole)) {
    throw new InputError(
      `Scheduling ${definition.label} takes the ${definition.minRole} role; you are ${access.role}.`,
    );
  }
  return parsed;
}

/** One of this tenant's schedules, locked for the change; another tenant's id is not found. */
async function lockSchedule(tx: DbOrTx, tenantId: string, scheduleId: string): Promise<Schedule> {
  if (!uuid.safeParse(scheduleId).success) throw new NotFoundError("schedule");
  const [row] = await tx
    .select()
    .from(schedules)
    .where(and(eq(schedules.id, scheduleId), eq(schedules.tenantId, tenantId)))
    .for("update");
  if (!row) throw new NotFoundError("schedule");
  return row;
}

/** pg-boss's own schedule for a console schedule: upserted while active, removed while paused. */
async function syncBossSchedule(tx: DbOrTx, boss: ScheduleDeps["boss"], schedule: Schedule) {
  const db = fromDrizzle(tx, sql);
  if (schedule.paused) return boss.unschedule(FIRE_QUEUE, schedule.id, { db });
  // missed "once": a firing missed while no worker ran is sent once when one comes back.
  await boss.schedule(
    FIRE_QUEUE,
    schedule.cron,
    { scheduleId: schedule.id },
    { tz: schedule.timezone, key: schedule.id, missed: "once", db },
  );
}

async function audit(tx: DbOrTx, actor: Actor, action: AuditAction, schedule: Schedule, details = {}) {
  await recordAudit(tx, {
    actor: userAuditActor(actor),
    tenantId: schedule.tenantId,
    action,
    target: { type: "schedule", id: schedule.id, label: schedule.name },
    outcome: "success",
    clientAddress: actor.clientAddress,
    details: { operationType: schedule.operationType, cron: schedule.cron, timezone: schedule.timezone, ...details },
  });
}

/** A new active schedule owned by its maker; its pg-boss schedule and audit event in the same transaction. */
export async function createSchedule(deps: ScheduleDeps, { actor, tenantId, input }: Change & { input: unknown }) {
  const parsed = await requireScheduler(deps, { actor, tenantId }, input);
  return deps.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(schedules)
      .values({
        tenantId,
        name: parsed.name,
        operationType: parsed.operationType,
        recurrence: parsed.recurrence,
        cron: toCron(parsed.recurrence),
        timezone: parsed.timezone,
        notify: parsed.notify,
        ownerUserId: actor.userId,
      })
      .returning();
    await syncBossSchedule(tx, deps.boss, created!);
    await audit(tx, actor, "schedule.create", created!);
    return created!;
  });
}

/**
 * Changes a schedule; the editor becomes its owner (its runs start on their behalf from now on).
 * A changed timing restarts the overdue clock.
 */
export async function updateSchedule(
  deps: ScheduleDeps,
  { actor, tenantId, scheduleId, input }: Change & { scheduleId: string; input: unknown },
) {
  const parsed = await requireScheduler(deps, { actor, tenantId }, input);
  return deps.db.transaction(async (tx) => {
    const current = await lockSchedule(tx, tenantId, scheduleId);
    const cron = toCron(parsed.recurrence);
    const retimed = cron !== current.cron || parsed.timezone !== current.timezone;
    const [updated] = await tx
      .update(schedules)
      .set({
        name: parsed.name,
        operationType: parsed.operationType,
        recurrence: parsed.recurrence,
        cron,
        timezone: parsed.timezone,
        notify: parsed.notify,
        ownerUserId: actor.userId,
        updatedAt: sql`now()`,
        ...(retimed ? { activeSince: sql`now()`, overdueSince: null } : {}),
      })
      .where(eq(schedules.id, current.id))
      .returning();
    await syncBossSchedule(tx, deps.boss, updated!);
    await audit(tx, actor, "schedule.update", updated!);
    return updated!;
  });
}

/** Pause (no firings, its pg-boss schedule removed) or resume (scheduled again, overdue counted from now). */
export async function setSchedulePaused(
  deps: ScheduleDeps,
  { actor, tenantId, scheduleId, paused }: Change & { scheduleId: string; paused: boolean },
) {
  await requireTenantAccess(deps.db, { userId: actor.userId, tenantId, minRole: "operator" });
  return deps.db.transaction(async (tx) => {
    const current = await lockSchedule(tx, tenantId, scheduleId);
    if (current.paused === paused) return current;
    const [updated] = await tx
      .update(schedules)
      .set({
        paused,
        updatedAt: sql`now()`,
        overdueSince: null,
        ...(paused ? {} : { activeSince: sql`now()` }),
      })
      .where(eq(schedules.id, current.id))
      .returning();
    await syncBossSchedule(tx, deps.boss, updated!);
    await audit(tx, actor, paused ? "schedule.pause" : "schedule.resume", updated!);
    return updated!;
  });
}

/** Deletes a schedule and its pg-boss schedule; its runs stay (unlinked), its firings go with it. */
export async function deleteSchedule(
  deps: ScheduleDeps,
  { actor, tenantId, scheduleId }: Change & { scheduleId: string },
) {
  await requireTenantAccess(deps.db, { userId: actor.userId, tenantId, minRole: "operator" });
  await deps.db.transaction(async (tx) => {
    const current = await lockSchedule(tx, tenantId, scheduleId);
    await deps.boss.unschedule(FIRE_QUEUE, current.id, { db: fromDrizzle(tx, sql) });
    await tx.delete(schedules).where(eq(schedules.id, current.id));
    await audit(tx, actor, "schedule.delete", current);
  });
}

/** Run now: the schedule's operation, started by the clicking user like any start (and deduped like one). */
export async function runScheduleNow(
  deps: OperationDeps,
  { actor, tenantId, scheduleId }: Change & { scheduleId: string },
) {
  const schedule = await getSchedule(deps.db, { userId: actor.userId, tenantId, scheduleId });
  return startOperation(deps, { actor, tenantId, type: schedule.operationType, inputs: {} });
}

/** One schedule of a tenant the user can read. */
export async function getSchedule(
  db: DbOrTx,
  { userId, tenantId, scheduleId }: { userId: string; tenantId: string; scheduleId: string },
) {
  await requireTenantAccess(db, { userId, tenantId });
  if (!uuid.safeParse(scheduleId).success) throw new NotFoundError("schedule");
  const [row] = await db
    .select()
    .from(schedules)
    .where(and(eq(schedules.id, scheduleId), eq(schedules.tenantId, tenantId)));
  if (!row) throw new NotFoundError("schedule");
  return row;
}

/** A tenant's schedules, oldest first, with each one's last run and last firing. */
export async function listSchedules(db: Db, { userId, tenantId }: { userId: string; tenantId: string }) {
  const access = await requireTenantAccess(db, { userId, tenantId });
  const rows = await db.select().from(schedules).where(eq(schedules.tenantId, tenantId)).orderBy(schedules.createdAt);
  const ids = rows.map((r) => r.id);
  const [lastRuns, lastFirings] = ids.length
    ? await Promise.all([
        db
          .selectDistinctOn([operationRuns.scheduleId], {
            scheduleId: operationRuns.scheduleId,
            id: operationRuns.id,
            status: operationRuns.status,
            outcome: operationRuns.outcome,
            createdAt: operationRuns.createdAt,
          })
          .from(operationRuns)
          .where(inArray(operationRuns.scheduleId, ids))
          .orderBy(operationRuns.scheduleId, desc(operationRuns.createdAt)),
        db
          .selectDistinctOn([scheduleFirings.scheduleId])
          .from(scheduleFirings)
          .where(inArray(scheduleFirings.scheduleId, ids))
          .orderBy(scheduleFirings.scheduleId, desc(scheduleFirings.firedAt)),
      ])
    : [[], []];
  const runBy = new Map(lastRuns.map((r) => [r.scheduleId, r]));
  const firingBy = new Map(lastFirings.map((f) => [f.scheduleId, f]));
  return {
    role: access.role,
    schedules: rows.map((s) => ({ ...s, lastRun: runBy.get(s.id) ?? null, lastFiring: firingBy.get(s.id) ?? null })),
  };
}
