import { createDb } from "@/db/client";
import { encryptionKey, env, graphConfig } from "@/lib/env";
import { createBoss } from "@/lib/operations/queue";
import { operations } from "@/lib/operations/registry";
import { workerConnectionBudget } from "./connection-budget";
import { handlers } from "./handlers";
import { stopOnSignal } from "./stop-on-signal";
import { startWorker } from "./worker";

// `npm run worker`: one worker process. Run as many as you like against the same database;
// pg-boss hands each job to exactly one of them.
const config = env();
const budget = workerConnectionBudget(config.WORKER_CONCURRENCY);
const { db, pool } = createDb(config.DATABASE_URL, {
  max: budget.app,
  statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_SECONDS * 1000,
  application: "tenantatlas-worker",
});
const boss = createBoss(config.DATABASE_URL, "worker", { max: budget.boss });
await boss.start();
const worker = await startWorker(
  boss,
  { db, registry: operations, handlers, graph: graphConfig(config), encryptionKey: encryptionKey(config) },
  { concurrency: config.WORKER_CONCURRENCY, drainSeconds: config.WORKER_DRAIN_SECONDS },
);
console.log(
  `[worker] ready: ${Object.keys(operations).join(", ")} (concurrency ${config.WORKER_CONCURRENCY}, ` +
    `drain ${config.WORKER_DRAIN_SECONDS} s, up to ${budget.total} database connections)`,
);
stopOnSignal(worker, { close: () => pool.end(), log: (message) => console.log(`[worker] ${message}`) });
