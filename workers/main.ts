import { createDb } from "@/db/client";
import { encryptionKey, env, graphConfig } from "@/lib/env";
import { componentLog } from "@/lib/log";
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
const log = componentLog("worker");
log.info({ queues: Object.keys(operations), concurrency: config.WORKER_CONCURRENCY }, "worker ready");

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "finishing active jobs");
    void worker
      .stop()
      .then(() => pool.end())
      .then(() => process.exit(0))
      .catch((err) => {
        log.error({ err }, "shutdown error");
        process.exit(1);
      });
  });
}
