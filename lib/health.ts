import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import journal from "@/db/migrations/meta/_journal.json";
import { PGBOSS_SCHEMA } from "@/lib/operations/queue";

export type Check = { ok: boolean; detail: string };
export type Readiness = { ready: boolean; checks: { database: Check; migrations: Check; queue: Check } };

/** A readiness probe must answer while the database hangs: give up on it after this long. */
const DATABASE_TIMEOUT_MS = 3_000;

/**
 * Can this web server do its work? The database answers, every migration this build ships has been
 * applied (drizzle's table against the journal built in), and pg-boss's schema holds a queue for
 * every operation type. Each check says what it found, so a 503 explains itself.
 */
export async function readiness(db: Db, queueNames: string[]): Promise<Readiness> {
  const database = await withTimeout(
    db.execute(sql`select 1`).then((): Check => ({ ok: true, detail: "reachable" })),
  ).catch((err: Error): Check => ({ ok: false, detail: `unreachable: ${err.message}` }));
  if (!database.ok) {
    const skipped = { ok: false, detail: "not checked: the database is unreachable" };
    return { ready: false, checks: { database, migrations: skipped, queue: skipped } };
  }
  const [migrations, queue] = await Promise.all([migrationState(db), queueState(db, queueNames)]);
  return { ready: migrations.ok && queue.ok, checks: { database, migrations, queue } };
}

async function migrationState(db: Db): Promise<Check> {
  const expected = journal.entries;
  const result = await db.execute<{ last: string | null }>(sql`
    select case when to_regclass('drizzle.__drizzle_migrations') is null then null
      else (select max(created_at)::text from drizzle.__drizzle_migrations) end as last`);
  const last = Number(result.rows[0]?.last ?? 0);
  // drizzle applies every journal entry newer than the newest it recorded.
  const pending = expected.filter((m) => m.when > last).map((m) => m.tag);
  return pending.length === 0
    ? { ok: true, detail: `${expected.length} applied` }
    : { ok: false, detail: `${pending.length} pending: ${pending.join(", ")}` };
}

async function queueState(db: Db, names: string[]): Promise<Check> {
  const exists = await db.execute<{ present: boolean }>(
    sql`select to_regclass(${`${PGBOSS_SCHEMA}.queue`}) is not null as present`,
  );
  if (!exists.rows[0]?.present) return { ok: false, detail: `pg-boss schema "${PGBOSS_SCHEMA}" is missing` };
  const rows = await db.execute<{ name: string }>(
    sql`select name from ${sql.identifier(PGBOSS_SCHEMA)}.queue where name = any(${names})`,
  );
  const found = new Set(rows.rows.map((r) => r.name));
  const missing = names.filter((n) => !found.has(n));
  return missing.length === 0
    ? { ok: true, detail: `${names.length} queues` }
    : { ok: false, detail: `queues missing: ${missing.join(", ")}` };
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${DATABASE_TIMEOUT_MS} ms`)), DATABASE_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
