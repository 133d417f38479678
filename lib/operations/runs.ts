import "server-only";
import { and, eq, getTableColumns, inArray, ne, type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import {
  type OperationRun,
  operationRuns,
  type RunFailure,
  type RunOutcome,
  type SummaryCounts,
  tenants,
} from "@/db/schema";
import type { InitiatorKind } from "@/db/schema/enums";
import { insertFrom, writeAlong } from "@/db/write-together";
import { requireTenantAccess, type TenantAccessRequest, tenantAccessCondition } from "@/lib/tenants/access";

/** Failures kept per run; the count of all failures lives in summary counts. */
export const MAX_FAILURES = 100;
const ACTIVE = ["queued", "running"] as const;

export type NewRun = {
  tenantId: string;
  type: string;
  runIdentityHash: string;
  inputs: Record<string, unknown>;
  initiatorKind: InitiatorKind;
  initiatorUserId: string | null;
  initiatorName: string;
  /** The schedule whose firing starts it. */
  scheduleId?: string | null;
  /** The id its job will be queued under, in the same transaction. */
  jobId?: string;
};

/**
 * Insert the run, or return the active run with the same identity. The partial unique index
 * decides races: a concurrent insert waits for the other transaction and then conflicts, and the
 * follow-up read sees the winner. The loop covers a winner that finished between the two statements.
 *
 * `alongside`: writes that follow from the new run, sent in the insert's own statement
 * (db/write-together.ts), so they happen only if this call inserts it. `access`: the initiator's
 * membership, checked by the insert itself instead of a read of its own; when the insert adds
 * nothing, `requireTenantAccess` runs before an active run is looked for, and throws as before (a
 * non-member neither joins an active run nor learns of it).
 */
export async function ensureRun(
  db: DbOrTx,
  values: NewRun,
  { alongside = () => [], access }: { alongside?: (rows: string) => (SQL | null)[]; access?: TenantAccessRequest } = {},
): Promise<{ run: OperationRun; created: boolean }> {
  // The membership checked must be the run's own: its tenant and its initiator.
  if (access && (access.tenantId !== values.tenantId || access.userId !== values.initiatorUserId))
    throw new Error("ensureRun: the access checked is not the run's tenant and initiator");
  const allowed = access && tenantAccessCondition(access);
  if (access && !allowed) await requireTenantAccess(db, access); // not uuids: it refuses without a query
  for (let attempt = 0; attempt < 5; attempt++) {
    const insert = insertFrom(operationRuns, undefined, values, allowed ?? undefined);
    const [inserted] = await writeAlong(
      db,
      operationRuns,
      sql`${insert} on conflict (tenant_id, run_identity_hash) where status in ('queued', 'running') do nothing returning *`,
      alongside,
    );
    if (inserted) return { run: inserted, created: true };
    if (access) await requireTenantAccess(db, access);
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

/** One attempt at a run: what every write from a worker is fenced by. */
export type AttemptRef = { runId: string; attempt: number };

/** Writes from an attempt apply only while the run is active and on that very attempt. */
const onAttempt = ({ runId, attempt }: AttemptRef) =>
  and(eq(operationRuns.id, runId), inArray(operationRuns.status, [...ACTIVE]), eq(operationRuns.attempt, attempt));

/** The public fields of a run's tenant, read with the run as it starts. */
export type RunTenant = { id: string; tenantGuid: string; displayName: string };

/**
 * queued → running for a new attempt. Counts and failures are per attempt, so a retry starts clean.
 * Only a newer attempt takes over: a duplicate delivery or an older attempt gets null back and must
 * do nothing, so it can never write into the counts of the attempt that replaced it. An attempt
 * that was running and left no error behind ended without a word (its worker died and pg-boss
 * failed the job when its heartbeats stopped): the timeline gets a line for it.
 */
export async function markRunning(
  db: DbOrTx,
  { runId, attempt }: AttemptRef,
): Promise<(OperationRun & { tenant: RunTenant | null }) | null> {
  const lost = JSON.stringify({
    message: "The worker running this attempt stopped (its heartbeats ended); the job was retried.",
  });
  const [run] = await db
    .update(operationRuns)
    .set({
      status: "running",
      attempt,
      startedAt: sql`coalesce(${operationRuns.startedAt}, now())`,
      summaryCounts: {},
      failures: [],
      attemptErrors: sql`case
        when ${operationRuns.status} = 'running' and not exists (
          select 1 from jsonb_array_elements(${operationRuns.attemptErrors}) e
          where (e ->> 'attempt')::int = ${operationRuns.attempt} and e -> 'handedBack' is null)
        then ${operationRuns.attemptErrors} || jsonb_build_array(${lost}::jsonb
          || jsonb_build_object('attempt', ${operationRuns.attempt}, 'at', now()))
        else ${operationRuns.attemptErrors} end`,
    })
    .where(
      and(
        eq(operationRuns.id, runId),
        inArray(operationRuns.status, [...ACTIVE]),
        sql`(${operationRuns.status} = 'queued' or ${operationRuns.attempt} < ${attempt})`,
      ),
    )
    .returning({
      ...getTableColumns(operationRuns),
      // Read by the same statement: an attempt's start is one round trip (null: the tenant is gone).
      tenant: sql<RunTenant | null>`(select json_build_object('id', t.id, 'tenantGuid', t.tenant_guid,
        'displayName', t.display_name) from ${tenants} t where t.id = ${operationRuns.tenantId})`,
    });
  return run ?? null;
}

/** Merge counters into the attempt's summary counts (absolute values, not increments). */
export async function recordProgress(db: DbOrTx, ref: AttemptRef, counts: SummaryCounts): Promise<void> {
  await db
    .update(operationRuns)
    .set({ summaryCounts: sql`${operationRuns.summaryCounts} || ${JSON.stringify(counts)}::jsonb` })
    .where(onAttempt(ref));
}

/** Append failures of the attempt, keeping at most MAX_FAILURES. */
export async function appendFailures(db: DbOrTx, ref: AttemptRef, failures: RunFailure[]): Promise<void> {
  if (failures.length === 0) return;
  await db
    .update(operationRuns)
    .set({ failures: boundedFailures(failures) })
    .where(onAttempt(ref));
}

export async function recordAttemptError(
  db: DbOrTx,
  { message, reference, ...ref }: AttemptRef & { message: string; reference?: string },
) {
  const entry = JSON.stringify([{ attempt: ref.attempt, message, at: new Date().toISOString(), reference }]);
  await db
    .update(operationRuns)
    .set({ attemptErrors: sql`${operationRuns.attemptErrors} || ${entry}::jsonb` })
    .where(onAttempt(ref));
}

/**
 * Finish the run with its outcome. Exactly one caller wins: a second completion (duplicate or
 * late writer) matches no row and gets null back, so it must not notify again.
 */
export type Completion = {
  runId: string;
  outcome: Exclude<RunOutcome, "pending">;
  failures?: RunFailure[];
  /** The attempt that completes it; a completion from an attempt that was replaced does nothing. */
  attempt?: number;
};

export async function completeRun(db: DbOrTx, completion: Completion): Promise<OperationRun | null> {
  const [run] = await completionUpdate(db, completion);
  return run ?? null;
}

/** The completing UPDATE, not yet sent: its `returning *` can feed other writes of its statement. */
export function completionUpdate(db: DbOrTx, { runId, outcome, failures = [], attempt }: Completion) {
  return db
    .update(operationRuns)
    .set({
      status: "completed",
      outcome,
      completedAt: sql`now()`,
      ...(failures.length > 0 ? { failures: boundedFailures(failures) } : {}),
    })
    .where(
      and(
        eq(operationRuns.id, runId),
        ne(operationRuns.status, "completed"),
        attempt === undefined ? undefined : eq(operationRuns.attempt, attempt),
      ),
    )
    .returning();
}

function boundedFailures(failures: RunFailure[]) {
  const incoming = JSON.stringify(failures);
  return sql`(select coalesce(jsonb_agg(f), '[]'::jsonb) from (
      select f from jsonb_array_elements(${operationRuns.failures} || ${incoming}::jsonb) with ordinality as e(f, n)
      order by n limit ${MAX_FAILURES}) bounded)`;
}
