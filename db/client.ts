import "server-only";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { env } from "@/lib/env";
import * as schema from "./schema";

export type Db = NodePgDatabase<typeof schema>;
/** A database handle or a transaction on it: query functions accept either. */
export type DbOrTx = Db | Parameters<Parameters<Db["transaction"]>[0]>[0];

export function createDb(connectionString: string, max = 10): { db: Db; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString, max, application_name: "tenantatlas" });
  // An idle client that loses its connection must not crash the process.
  pool.on("error", (err) => console.error("[db] idle client error:", err.message));
  return { db: drizzle(pool, { schema }), pool };
}

const globalForDb = globalThis as unknown as { tenantAtlasDb?: { db: Db; pool: pg.Pool } };

/** The process-wide pool (one per process, kept across dev hot reloads). */
export function getDb(): Db {
  globalForDb.tenantAtlasDb ??= createDb(env().DATABASE_URL, env().DB_POOL_MAX);
  return globalForDb.tenantAtlasDb.db;
}
