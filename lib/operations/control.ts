import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { fromDrizzle } from "pg-boss";
import { type OperationRun, operationRuns } from "@/db/schema";
import { raiseRunAlerts } from "@/lib/alerts/raise";
import { recordRunAudit } from "@/lib/audit/runs";
import type { Actor } from "@/lib/auth/actor";
import { ForbiddenError, InputError } from "@/lib/errors";
import { notifyRun } from "@/lib/notifications/service";
import { requireTenantAccess } from "@/lib/tenants/access";
import { roleAtLeast } from "@/lib/tenants/roles";
import { getTenantRun } from "./queries";
import { operationDefinition } from "./registry";
import { type OperationDeps, type StartResult, startOperation } from "./start";

/** A run the actor may act on: a member of its tenant with the role its type needs to start. */
export type RunRequest = { actor: Actor; tenantId: string; runId: string };

async function runForAction(deps: OperationDeps, { actor, tenantId, runId }: RunRequest, verb: string) {
  const { role } = await requireTenantAccess(deps.db, { userId: actor.userId, tenantId });
  const run = await getTenantRun(deps.db, tenantId, runId);
  const minRole = operationDefinition(deps.registry, run.type)?.minRole ?? "owner";
  if (!roleAtLeast(role, minRole))
    throw new ForbiddenError(`Only a ${minRole} or above can ${verb} this run; you are ${role}.`);
  return run;
}

/**
 * Cancel a run. A queued run ends `cancelled` at once and its job is cancelled in the same
 * transaction; a running run gets a cancel request, which the worker turns into an abort of the
 * handler's signal (cooperative: the handler stops at its next check). Finished runs are refused.
 */
export async function cancelRun(deps: OperationDeps, request: RunRequest): Promise<OperationRun> {
  const { actor } = request;
  const run = await runForAction(deps, request, "cancel");
  if (run.status === "completed") throw new InputError("This run has already finished.");
  return deps.db.transaction(async (tx) => {
    const [cancelled] = await tx
      .update(operationRuns)
      .set({
        status: "completed",
        outcome: "cancelled",
        completedAt: sql`now()`,
        cancelRequestedAt: sql`now()`,
        cancelRequestedBy: actor.name,
      })
      .where(and(eq(operationRuns.id, run.id), eq(operationRuns.status, "queued")))
      .returning();
    if (cancelled) {
      if (cancelled.jobId) await deps.boss.cancel(cancelled.type, cancelled.jobId, { db: fromDrizzle(tx, sql) });
      await notifyRun(tx, cancelled, deps.registry);
      const label = operationDefinition(deps.registry, cancelled.type)?.label ?? cancelled.type;
      await raiseRunAlerts(tx, { boss: deps.boss, run: cancelled, label });
      await recordRunAudit(tx, { actor, action: "run.cancel", run: cancelled, outcome: "success" });
      return cancelled;
    }
    // It started meanwhile (or was already asked to stop): ask the worker to stop it.
    await tx
      .update(operationRuns)
      .set({ cancelRequestedAt: sql`now()`, cancelRequestedBy: actor.name })
      .where(
        and(eq(operationRuns.id, run.id), eq(operationRuns.status, "running"), isNull(operationRuns.cancelRequestedAt)),
      );
    const [current] = await tx.select().from(operationRuns).where(eq(operationRuns.id, run.id));
    await recordRunAudit(tx, {
      actor,
      action: "run.cancel",
      run: current!,
      outcome: "success",
      details: { requested: current!.status === "running" },
    });
    return current!;
  });
}

/** Start the same operation with the same inputs as a finished run (deduplication still applies). */
export async function rerunRun(deps: OperationDeps, request: RunRequest): Promise<StartResult> {
  const { actor, tenantId } = request;
  const run = await runForAction(deps, request, "re-run");
  if (run.status !== "completed") throw new InputError("A run can be re-run once it has finished.");
  return startOperation(deps, { actor, tenantId, type: run.type, inputs: run.inputs, rerunOf: run.id });
}
