import "server-only";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { notifications, type OperationRun, type RunOutcome, tenants } from "@/db/schema";
import { type OperationRegistry, operationLabel } from "@/lib/operations/registry";

const OUTCOME_WORDS: Record<RunOutcome, string> = {
  pending: "queued",
  succeeded: "succeeded",
  partially_succeeded: "partially succeeded",
  failed: "failed",
  cancelled: "was cancelled",
};

/**
 * Run notifications go to the initiator only (system runs notify nobody). The unique index on
 * (run, user, kind) makes a repeated write a no-op, so a redelivered job cannot notify twice.
 */
export async function notifyRun(db: DbOrTx, run: OperationRun, registry?: OperationRegistry): Promise<void> {
  if (!run.initiatorUserId) return;
  const [tenant] = await db.select({ name: tenants.displayName }).from(tenants).where(eq(tenants.id, run.tenantId));
  const terminal = run.status === "completed";
  const firstFailure = run.failures[0];
  const body = [tenant?.name ?? "Tenant", terminal && firstFailure ? firstFailure.message : null]
    .filter(Boolean)
    .join(" — ");
  await db
    .insert(notifications)
    .values({
      userId: run.initiatorUserId,
      tenantId: run.tenantId,
      runId: run.id,
      kind: terminal ? "run_completed" : "run_queued",
      outcome: run.outcome,
      title: `${operationLabel(run.type, registry)} ${OUTCOME_WORDS[run.outcome]}`,
      body: body.slice(0, 500),
    })
    .onConflictDoNothing();
}
