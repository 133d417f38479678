import "server-only";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { env } from "@/lib/env";
import { componentLog } from "@/lib/log";
import * as schema from "./schema";

export type Db = NodePgDatabase<typeof schema>;
/** A transaction of the console's database. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** A database handle or a transaction on it: query functions accept either. */
export type DbOrTx = Db | Tx;

export type PoolOptions = {
  max?: number;
  /** PostgreSQL ends a statement that runs longer (57014), so a stuck query cannot hold a slot for ever. */
  statementTimeoutMs?: number;
  application?: string;
};

/**
 * A pool whose connections cannot hang or crash the process: connecting gives up after 10 s, a
 * statement after `statementTimeoutMs`, a transaction left idle after 60 s; and every client has an
 * error listener for its whole life. pg-pool listens for errors only on idle clients, so a
 * connection lost while checked out (PostgreSQL restarted, 57P01) would otherwise be an unhandled
 * 'error' event that ends the process; with the listener, the query in flight fails instead.
 */
export function createDb(
  connectionString: string,
  { max = 10, statementTimeoutMs = 60_000, application = "tenantatlas" }: PoolOptions = {},
): { db: Db; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString,
    max,
    application_name: application,
    connectionTimeoutMillis: 10_000,
    statement_timeout: statementTimeoutMs,
    idle_in_transaction_session_timeout: 60_000,
  });
  const log = componentLog("db", { pool: application });
  pool.on("error", (err) => log.error({ err: err.message }, "idle client error"));
  pool.on("connect", (client) => {
    client.on("error", (err) => log.error({ err: err.message }, "client error"));
  });
  return { db: drizzle(pool, { schema }), pool };
}

const globalForDb = globalThis as unknown as { tenantAtlasDb?: { db: Db; pool: pg.Pool } };

/** The process-wide pool (one per process, kept across dev hot reloads). */
export function getDb(): Db {
  const e = env();
  globalForDb.tenantAtlasDb ??= createDb(e.DATABASE_URL, {
    max: e.DB_POOL_MAX,
    statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_SECONDS * 1000,
  });
  return globalForDb.tenantAtlasDb.db;
}
