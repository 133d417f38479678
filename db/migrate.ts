import path from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { ensureAlertQueue } from "@/lib/alerts/queue";
import { createBoss, ensureQueues } from "@/lib/operations/queue";
import type { OperationRegistry } from "@/lib/operations/registry";
import { ensureScheduleQueues } from "@/lib/schedules/queues";

const MIGRATION_LOCK = 727_100_001; // advisory lock id: one migrator at a time per database

/**
 * Brings a database up to date: the console's SQL migrations (db/migrations), pg-boss's own schema,
 * and one queue per operation type. Safe to run from several processes at once.
 */
export async function migrateDatabase(connectionString: string, registry: OperationRegistry) {
  const client = new pg.Client({ connectionString, application_name: "tenantatlas-migrate" });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await migrate(drizzle(client), { migrationsFolder: path.resolve(import.meta.dirname, "migrations") });
    const boss = createBoss(connectionString, "migrator");
    await boss.start();
    try {
      await ensureQueues(boss, registry);
      await ensureAlertQueue(boss);

      // A schedule's pg-boss row names its queue: it must exist before the console writes one.
      await ensureScheduleQueues(boss);
    } finally {
      await boss.stop({ graceful: false });
    }
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
    await client.end();
  }
}
