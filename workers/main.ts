import { createDb } from "@/db/client";
import { encryptionKey, env, graphConfig, maintenanceConfig } from "@/lib/env";
import { startMaintenance } from "@/lib/maintenance/schedule";
import { createBoss } from "@/lib/operations/queue";
import { operations } from "@/lib/operations/registry";
import { handlers } from "./handlers";
import { startWorker } from "./worker";

// `npm run worker`: one worker process. Run as many as you like against the same database;
// pg-boss hands each job to exactly one of them.
const config = env();
const { db, pool } = createDb(config.DATABASE_URL, {
  max: config.WORKER_CONCURRENCY + 4,
  statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_SECONDS * 1000,
  application: "tenantatlas-worker",
});
const boss = createBoss(config.DATABASE_URL, "worker");
await boss.start();
const worker = await startWorker(
  boss,
  { db, registry: operations, handlers, graph: graphConfig(config), encryptionKey: encryptionKey(config) },
  { concurrency: config.WORKER_CONCURRENCY },
);
await startMaintenance(boss, { db, boss, registry: operations }, maintenanceConfig(config));
console.log(`[worker] ready: ${Object.keys(operations).join(", ")} (concurrency ${config.WORKER_CONCURRENCY})`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`[worker] ${signal}: finishing active jobs…`);
    void worker
      .stop()
      .then(() => pool.end())
      .then(() => process.exit(0))
      .catch((err) => {
        console.error("[worker] shutdown error:", err);
        process.exit(1);
      });
  });
}
