// A worker in a process of its own, for tests that kill or stop it: the product's lifecycle,
// dispatcher and graceful stop, with the test operations. Started by ./worker-process-control.ts.
import { createDb } from "@/db/client";
import { createBoss } from "@/lib/operations/queue";
import { workerConnectionBudget } from "@/workers/connection-budget";
import { stopOnSignal } from "@/workers/stop-on-signal";
import { startWorker } from "@/workers/worker";
import { queuedRegistry, testHandlers } from "./test-operations";

const databaseUrl = process.env.DATABASE_URL!;
const concurrency = Number(process.env.WORKER_CONCURRENCY ?? 1);
const budget = workerConnectionBudget(concurrency);
const { db, pool } = createDb(databaseUrl, { max: budget.app, application: "tenantatlas-test-worker-process" });
const boss = createBoss(databaseUrl, "worker", { max: budget.boss });
await boss.start();
const worker = await startWorker(
  boss,
  {
    db,
    boss,
    alerts: { maxAttempts: 4, retrySeconds: 1, timeoutSeconds: 30 },
    cancelPollMs: 100,
    registry: queuedRegistry,
    handlers: testHandlers,
    // The emulator when the test gives it (tests/support/worker-process-control.ts), else nowhere.
    graph: process.env.TEST_GRAPH_URL
      ? {
          graphUrl: process.env.TEST_GRAPH_URL,
          loginUrl: process.env.TEST_GRAPH_URL,
          caFile: process.env.TEST_GRAPH_CA_FILE,
          maxRetries: 6,
          retryDelaySeconds: 0,
        }
      : { graphUrl: "https://graph.invalid", loginUrl: "https://login.invalid" },
    encryptionKey: Buffer.alloc(32, 7),
  },
  { concurrency, notifyPollingIntervalSeconds: 1, drainSeconds: Number(process.env.WORKER_DRAIN_SECONDS ?? 20) },
);
stopOnSignal(worker, { close: () => pool.end(), log: (message) => console.log(`worker-process ${message}`) });
console.log("worker-process ready");
