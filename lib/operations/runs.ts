import "server-only";
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { type OperationRun, operationRuns, type RunFailure, type RunOutcome, type SummaryCounts } from "@/db/schema";

/** Failures kept per run; the count of all failures lives in summary counts. */
export const MAX_FAILURES = 100;
const ACTIVE = ["queued", "running"] as const;

export type NewRun = {
  tenantId: string;
  type: string;
  runIdentityHash: string;
  inputs: Record<string, unknown>;
  initiatorUserId: string | null;
  initiatorName: string;
};

/**
 * Insert the run, or return the active run with the same identity. The partial unique index
 * decides races: a concurrent insert waits for the other transaction and then conflicts, and the
 * follow-up read sees the winner. The loop covers a winner that finished between the two statements.
 */
export async function ensureRun(db: DbOrTx, values: NewRun): Promise<{ run: OperationRun; created: boolean }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const [inserted] = await db
      .insert(operationRuns)
      .values(values)
      .onConflictDoNothing({
        target: [operationRuns.tenantId, operationRuns.runIdentityHash],
        where: sql`status in ('queued', 'running')`,
      })
      .returning();
    if (inserted) return { run: inserted, created: true };
    const [active] = await db
      .select()
      .from(operationRuns)
      .where(
        and(
          eq(operationRuns.tenantId, values.tenantId),
          eq(operationRuns.runIdentityHash, values.runIdentityHash),
          inArray(operationRuns.status, [...ACTIVE]),
        ),
      );
    if (active) return { run: active, created: false };
  }
  throw new Error("Could not settle the run identity after repeated conflicts.");
}

/**
 * queued → running for a new attempt. Counts and failures are per attempt, so a retry starts clean.
 * Returns null when the run is already completed (a redelivered job): the caller does nothing.
 */
export async function markRunning(db: DbOrTx, runId: string, attempt: number): Promise<OperationRun | null> {
  const [run] = await db
    .update(operationRuns)
    .set({
      status: "running",
      attempt,
      startedAt: sql`coalesce(${operationRuns.startedAt}, now())`,
      summaryCounts: {},
      failures: [],
    })
    .where(and(eq(operationRuns.id, runId), inArray(operationRuns.status, [...ACTIVE])))
    .returning();
  return run ?? null;
}

/** Merge counters into the running run's summary counts (absolute values, not increments). */
export async function recordProgress(db: DbOrTx, runId: string, counts: SummaryCounts): Promise<void> {
  await db
    .update(operationRuns)
    .set({ summaryCounts: sql`${operationRuns.summaryCounts} || ${JSON.stringify(counts)}::jsonb` })
    .where(and(eq(operationRuns.id, runId), eq(operationRuns.status, "running")));
}

/** Append failures, keeping at most MAX_FAILURES. */
export async function appendFailures(db: DbOrTx, runId: string, failures: RunFailure[]): Promise<void> {
  if (failures.length === 0) return;
  await db
    .update(operationRuns)
    .set({ failures: boundedFailures(failures) })
    .where(and(eq(operationRuns.id, runId), ne(operationRuns.status, "completed")));
}

export async function recordAttemptError(
  db: DbOrTx,
  { runId, attempt, message }: { runId: string; attempt: number; message: string },
): Promise<void> {
  const entry = JSON.stringify([{ attempt, message, at: new Date().toISOString() }]);
  await db
    .update(operationRuns)
    .set({ attemptErrors: sql`${operationRuns.attemptErrors} || ${entry}::jsonb` })
    .where(and(eq(operationRuns.id, runId), ne(operationRuns.status, "completed")));
}

/**
 * Finish the run with its outcome. Exactly one caller wins: a second completion (duplicate or
 * late writer) matches no row and gets null back, so it must not notify again.
 */
export type Completion = { runId: string; outcome: Exclude<RunOutcome, "pending">; failures?: RunFailure[] };

export async function completeRun(
  db: DbOrTx,
  { runId, outcome, failures = [] }: Completion,
): Promise<OperationRun | null> {
  const [run] = await db
    .update(operationRuns)
    .set({
      status: "completed",
      outcome,
      completedAt: sql`now()`,
      ...(failures.length > 0 ? { failures: boundedFailures(failures) } : {}),
    })
    .where(and(eq(operationRuns.id, runId), ne(operationRuns.status, "completed")))
    .returning();
  return run ?? null;
}

function boundedFailures(failures: RunFailure[]) {
  const incoming = JSON.stringify(failures);
  return sql`(select coalesce(jsonb_agg(f), '[]'::jsonb) from (
      select f from jsonb_array_elements(${operationRuns.failures} || ${incoming}::jsonb) with ordinality as e(f, n)
      order by n limit ${MAX_FAILURES}) bounded)`;
}
