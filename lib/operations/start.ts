import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { fromDrizzle, type PgBoss } from "pg-boss";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import type { OperationRun } from "@/db/schema";
import { raiseRunAlerts } from "@/lib/alerts/raise";
import { recordRunAudit, runAuditFrom } from "@/lib/audit/runs";
import type { Actor } from "@/lib/auth/actor";
import { type FieldErrors, ForbiddenError, InputError, InvalidInputsError, NotFoundError } from "@/lib/errors";
import { componentLog } from "@/lib/log";
import { notifyRun, runNotificationFrom, runNotificationTitle } from "@/lib/notifications/service";
import { requireTenantAccess } from "@/lib/tenants/access";
import { newFailureReference } from "./failure-reference";
import { runIdentityHash } from "./identity";
import { type OperationRegistry, operationDefinition } from "./registry";
import { completeRun, ensureRun, type NewRun } from "./runs";

export type OperationDeps = {
  /** A transaction too: a schedule's firing starts its run inside the firing's own transaction. */
  db: DbOrTx;
  /** Jobs are created (and cancelled) in the caller's transaction. */
  boss: Pick<PgBoss, "send" | "cancel">;
  registry: OperationRegistry;
};
/**
 * The console itself, starting work no person asked for (retention). Only server code can name it:
 * it passes no membership check and, owning nothing a person should hear about, notifies nobody.
 */
export const SYSTEM_ACTOR = { kind: "system", name: "TenantAtlas" } as const;
export type SystemActor = typeof SYSTEM_ACTOR;
/**
 * A schedule firing, on its owner's behalf: the owner's membership and role are checked as for a
 * person's start, the run records the owner (who is notified per the schedule's choice).
 */
export type ScheduleActor = { kind: "schedule"; scheduleId: string; userId: string; name: string };

export type StartRequest = {
  actor: Actor | SystemActor | ScheduleActor;
  tenantId: string;
  type: string;
  inputs?: unknown;
  /** The finished run this start repeats (audited as `run.rerun`). */
  rerunOf?: string;
};
export type StartResult = { run: OperationRun; created: boolean };

/**
 * The one way work begins: authorize → validate → ensure the run → enqueue its job in the same
 * transaction and tell the initiator. A start while an equal run is active returns that run.
 * If the job cannot be created, that transaction rolls back and the run is recorded `failed`
 * (dispatch_failed) at once in the next, so no run is ever left queued without a job.
 */
export async function startOperation(
  deps: OperationDeps,
  { actor, tenantId, type, inputs: rawInputs, rerunOf }: StartRequest,
): Promise<StartResult> {
  const definition = operationDefinition(deps.registry, type);
  if (!definition) throw new InputError(`Unknown operation type "${type}".`);
  const kind = "kind" in actor ? actor.kind : "user";
  const system = kind === "system";
  const userId = "userId" in actor ? actor.userId : null;
  if (system !== (definition.startedBy === "system")) {
    throw new InputError(
      system
        ? `"${type}" is started by people, not by the console.`
        : `The console starts "${definition.label}" itself.`,
    );
  }
  if (kind === "schedule" && !definition.schedulable) {
    throw new InputError(`"${definition.label}" cannot be scheduled.`);
  }
  const access = userId ? { userId, tenantId, minRole: definition.minRole } : undefined;
  // The membership check rides along with the run's insert (ensureRun) unless the type's own check
  // reads the tenant's records first: that must never run for a non-member.
  const accessAlong = !definition.check && !definition.normalize;
  if (access && !accessAlong) await requireTenantAccess(deps.db, access);
  const parsed = definition.inputSchema.safeParse(rawInputs ?? {});
  if (!parsed.success) {
    // Someone without access hears that first, as before, never how their inputs were wrong.
    if (access && accessAlong) await requireTenantAccess(deps.db, access);
    throw new InvalidInputsError(z.flattenError(parsed.error).fieldErrors as FieldErrors);
  }
  let inputs = parsed.data as Record<string, unknown>;
  // A start's check is about what a person may reach; the console's own types declare none.
  if (userId) {
    const start = { userId, tenantId, inputs };
    await definition.check?.(deps.db, start);
    inputs = ((await definition.normalize?.(deps.db, start)) ?? inputs) as Record<string, unknown>;
  }

  const values: NewRun = {
    tenantId,
    type,
    runIdentityHash: runIdentityHash(tenantId, type, definition.identity(inputs)),
    inputs,
    initiatorKind: kind,
    initiatorUserId: userId,
    initiatorName: actor.name,
    scheduleId: "scheduleId" in actor ? actor.scheduleId : null,
  };
  const audit = {
    actor,
    action: rerunOf ? ("run.rerun" as const) : ("run.start" as const),
    details: rerunOf ? { rerunOf } : {},
  };
  // Joining an equal active run honours the request without queuing anything: still on record.
  const join = async (tx: DbOrTx, run: OperationRun) => {
    await recordRunAudit(tx, { ...audit, run, outcome: "success", details: { ...audit.details, joined: true } });
    return { run, created: false };
  };
  // The job's id is chosen here and stored with the run, so queuing the job needs no second write.
  const jobId = randomUUID();
  try {
    return await deps.db.transaction(async (tx) => {
      // The run, its queued notification and its audit event: one statement, and a join writes neither.
      const { run, created } = await ensureRun(
        tx,
        { ...values, jobId },
        {
          access: accessAlong ? access : undefined,
          alongside: (rows) => [
            runNotificationFrom(rows, runNotificationTitle(type, "pending", deps.registry)),
            runAuditFrom(rows, { ...audit, run: values, outcome: "success" }),
          ],
        },
      );
      if (!created) return join(tx, run);
      const queued = await deps.boss
        .send(type, { runId: run.id }, { id: jobId, db: fromDrizzle(tx, sql) })
        .catch((err: unknown) => Promise.reject(new DispatchFailed(err)));
      if (queued !== jobId) throw new DispatchFailed(new Error("the queue accepted no job"));
      return { run, created };
    });
  } catch (err) {
    // A membership checked inside the insert comes after PostgreSQL has read the values: a value it
    // refuses (e.g. NUL in JSON) must not tell a non-member more than "not found" would.
    if (
      access &&
      accessAlong &&
      !(err instanceof DispatchFailed || err instanceof NotFoundError || err instanceof ForbiddenError)
    )
      await requireTenantAccess(deps.db, access);
    if (!(err instanceof DispatchFailed)) throw err;
    // The start's transaction rolled back whole (no savepoint on every start's path): the run is
    // recorded anew, failed at once. The queue's error may quote its SQL: it goes to the log, the
    // run keeps a reference to it.
    const reference = newFailureReference();
    return deps.db.transaction(async (tx) => {
      const { run, created } = await ensureRun(tx, values);
      const log = componentLog("operations", { runId: run.id, type });
      log.error({ err: err.cause, reference, joined: !created }, "job could not be queued");
      if (!created) return join(tx, run);
      const failed = await completeRun(tx, {
        runId: run.id,
        outcome: "failed",
        failures: [{ code: "dispatch_failed", message: "The job could not be queued.", reference }],
      });
      await notifyRun(tx, failed!, deps.registry);
      await raiseRunAlerts(tx, { boss: deps.boss, run: failed!, label: definition.label });
      await recordRunAudit(tx, { ...audit, run: failed!, outcome: "failed", details: { code: "dispatch_failed" } });
      return { run: failed!, created };
    });
  }
}

/** The queue refused or failed the job of a new run. */
class DispatchFailed extends Error {
  constructor(cause: unknown) {
    super("the job could not be queued", { cause });
  }
}
