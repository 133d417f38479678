import "server-only";
import { and, desc, eq, gte, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { operationRuns, type RunOutcome, runOutcome } from "@/db/schema";
import { PGBOSS_SCHEMA } from "./queue";

export type WindowStats = {
  total: number;
  active: number;
  byOutcome: Record<RunOutcome, number>;
  failureRate: number | null;
};

const emptyOutcomes = () => Object.fromEntries(runOutcome.enumValues.map((o) => [o, 0])) as Record<RunOutcome, number>;

/**
 * Runs of the last 24 hours and 7 days by status and outcome, with the failure rate
 * (failed ÷ completed). One scan of the tenant's last week through its (tenant, created_at) index.
 */
export async function runWindows(db: DbOrTx, tenantId: string): Promise<{ day: WindowStats; week: WindowStats }> {
  const rows = await db
    .select({
      lastDay: sql<boolean>`${operationRuns.createdAt} >= now() - interval '24 hours'`,
      status: operationRuns.status,
      outcome: operationRuns.outcome,
      n: sql<number>`count(*)::int`,
    })
    .from(operationRuns)
    .where(and(eq(operationRuns.tenantId, tenantId), gte(operationRuns.createdAt, sql`now() - interval '7 days'`)))
    .groupBy(sql`1`, operationRuns.status, operationRuns.outcome);
  const tally = (include: (lastDay: boolean) => boolean): WindowStats => {
    const byOutcome = emptyOutcomes();
    let total = 0;
    let active = 0;
    for (const r of rows) {
      if (!include(r.lastDay)) continue;
      total += r.n;
      if (r.status !== "completed") active += r.n;
      else byOutcome[r.outcome] += r.n;
    }
    const completed = total - active;
    return { total, active, byOutcome, failureRate: completed > 0 ? byOutcome.failed / completed : null };
  };
  return { day: tally((lastDay) => lastDay), week: tally(() => true) };
}

/** Completed runs per UTC day and outcome, oldest day first, `days` days including today. */
export async function runsPerDay(db: DbOrTx, tenantId: string, days = 14) {
  const rows = await db
    .select({
      day: sql<string>`to_char(date_trunc('day', ${operationRuns.createdAt} at time zone 'UTC'), 'YYYY-MM-DD')`,
      outcome: operationRuns.outcome,
      n: sql<number>`count(*)::int`,
    })
    .from(operationRuns)
    .where(
      and(
        eq(operationRuns.tenantId, tenantId),
        gte(
          operationRuns.createdAt,
          sql`date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' - make_interval(days => ${days - 1})`,
        ),
      ),
    )
    .groupBy(sql`1`, operationRuns.outcome);
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  return Array.from({ length: days }, (_, i) => {
    const day = new Date(today - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10);
    const counts = emptyOutcomes();
    for (const r of rows) if (r.day === day) counts[r.outcome] += r.n;
    return { day, counts };
  });
}

/**
 * What is waiting or running for the tenant right now, how long the oldest has waited, and the
 * database's clock (`observedAt`), so ages are measured on the clock that stamped the rows. One row
 * always: an aggregate without grouping.
 */
export async function activeRuns(db: DbOrTx, tenantId: string) {
  const [row] = await db
    .select({
      queued: sql<number>`count(*) filter (where ${operationRuns.status} = 'queued')::int`,
      running: sql<number>`count(*) filter (where ${operationRuns.status} = 'running')::int`,
      oldestQueuedAt:
        sql<Date | null>`min(${operationRuns.createdAt}) filter (where ${operationRuns.status} = 'queued')`.mapWith(
          operationRuns.createdAt,
        ),
      observedAt: sql<Date>`now()`.mapWith(operationRuns.createdAt),
    })
    .from(operationRuns)
    .where(and(eq(operationRuns.tenantId, tenantId), sql`${operationRuns.status} in ('queued', 'running')`));
  return row!;
}

/**
 * The latest failed runs with their first failure, for links from the dashboard: the last to fail
 * first, read from the partial index of failed runs (a tenant without failures costs nothing).
 */
export async function recentFailures(db: DbOrTx, tenantId: string, limit = 5) {
  return db
    .select({
      id: operationRuns.id,
      type: operationRuns.type,
      createdAt: operationRuns.createdAt,
      completedAt: operationRuns.completedAt,
      failures: operationRuns.failures,
    })
    .from(operationRuns)
    .where(and(eq(operationRuns.tenantId, tenantId), eq(operationRuns.outcome, "failed")))
    .orderBy(desc(operationRuns.completedAt), desc(operationRuns.id))
    .limit(limit);
}

/** pg-boss's own view of the queues: jobs waiting per operation type and the oldest one's age. */
export async function queueBacklog(db: DbOrTx, types: string[]) {
  const result = await db.execute<{ name: string; waiting: number; oldest: string | null }>(sql`
    select name, count(*)::int as waiting, (extract(epoch from min(created_on)) * 1000)::bigint::text as oldest
    from ${sql.identifier(PGBOSS_SCHEMA)}.job
    where name in (${sql.join(
      types.map((t) => sql`${t}`),
      sql`, `,
    )}) and state in ('created', 'retry')
    group by name`);
  return types.map((name) => {
    const row = result.rows.find((r) => r.name === name);
    return { name, waiting: row?.waiting ?? 0, oldest: row?.oldest ? new Date(Number(row.oldest)) : null };
  });
}
