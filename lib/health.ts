import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import journal from "@/db/migrations/meta/_journal.json";
import { componentLog } from "@/lib/log";
import { PGBOSS_SCHEMA } from "@/lib/operations/queue";

export type Check = { ok: boolean; detail: string };
export type Readiness = { ready: boolean; checks: { database: Check; migrations: Check; queue: Check } };

const log = componentLog("health");

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
  ).catch((err: Error): Check => {
    log.warn({ err }, "readiness: database unreachable");
    return { ok: false, detail: `unreachable (${errorCode(err)})` };
  });
  if (!database.ok) {
    const skipped = { ok: false, detail: "not checked: the database is unreachable" };
    return { ready: false, checks: { database, migrations: skipped, queue: skipped } };
  }
  const [migrations, queue] = await Promise.all([migrationState(db), queueState(db, queueNames)]);
  return { ready: migrations.ok && queue.ok, checks: { database, migrations, queue } };
}

async function migrationState(db: Db): Promise<Check> {
  const expected = journal.entries;
  let last = 0;
  if (await tableExists(db, "drizzle.__drizzle_migrations")) {
    const result = await db.execute<{ last: string | null }>(
      sql`select max(created_at)::text as last from drizzle.__drizzle_migrations`,
    );
    last = Number(result.rows[0]?.last ?? 0);
  }
  // drizzle applies every journal entry newer than the newest it recorded.
  const pending = expected.filter((m) => m.when > last).map((m) => m.tag);
  return pending.length === 0
    ? { ok: true, detail: `${expected.length} applied` }
    : { ok: false, detail: `${pending.length} pending: ${pending.join(", ")}` };
}

async function queueState(db: Db, names: string[]): Promise<Check> {
  if (!(await tableExists(db, `${PGBOSS_SCHEMA}.queue`)))
    return { ok: false, detail: `pg-boss schema "${PGBOSS_SCHEMA}" is missing` };
  const rows = await db.execute<{ name: string }>(
    sql`select name from ${sql.identifier(PGBOSS_SCHEMA)}.queue where name in (${sql.join(
      names.map((n) => sql`${n}`),
      sql`, `,
    )})`,
  );
  const found = new Set(rows.rows.map((r) => r.name));
  const missing = names.filter((n) => !found.has(n));
  return missing.length === 0
    ? { ok: true, detail: `${names.length} queues` }
    : { ok: false, detail: `queues missing: ${missing.join(", ")}` };
}

async function tableExists(db: Db, name: string): Promise<boolean> {
  const result = await db.execute<{ present: boolean }>(sql`select to_regclass(${name}) is not null as present`);
  return result.rows[0]?.present === true;
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${DATABASE_TIMEOUT_MS} ms`)), DATABASE_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A probe is public: it names the kind of failure (ECONNREFUSED, 57P03, timeout), the log has the rest. */
function errorCode(err: Error): string {
  const code = (err as { code?: string }).code ?? (err.cause as { code?: string } | undefined)?.code;
  return code ?? (err.message.startsWith("no answer") ? "timeout" : "error");
}
