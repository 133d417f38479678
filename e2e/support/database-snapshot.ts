import type pg from "pg";

/**
 * What "nothing was written" is measured against: every table of the console's schema as a row
 * count and a hash of its rows. audit_events is hashed without its refusal and failure events, so
 * a refused request may add the event that records the refusal — and nothing else.
 */
export type DatabaseSnapshot = Record<string, { rows: number; hash: string }>;

/** Written by the worker's own clock, whatever any request does. */
const BACKGROUND_TABLES = new Set(["worker_heartbeats"]);

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function snapshotDatabase(db: pg.Client): Promise<DatabaseSnapshot> {
  const tables = await db.query<{ name: string }>(
    "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1",
  );
  const snapshot: DatabaseSnapshot = {};
  for (const { name } of tables.rows) {
    if (BACKGROUND_TABLES.has(name)) continue;
    const where = name === "audit_events" ? "where t.outcome = 'success'" : "";
    const { rows } = await db.query<{ rows: number; hash: string }>(
      `select count(*)::int as rows, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as hash
       from ${quote(name)} t ${where}`,
    );
    snapshot[name] = rows[0]!;
  }
  return snapshot;
}
