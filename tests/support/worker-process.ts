// A worker in a process of its own, for tests that kill it: the product's lifecycle and pg-boss,
// with the test operations. Started by tests/support/worker-process-control.ts.
import { createDb } from "@/db/client";
import { createBoss } from "@/lib/operations/queue";
import { startWorker } from "@/workers/worker";
import { queuedRegistry, testHandlers } from "./test-operations";

const databaseUrl = process.env.DATABASE_URL!;
const { db } = createDb(databaseUrl, { max: 4, application: "tenantatlas-test-worker-process" });
const boss = createBoss(databaseUrl, "worker");
await boss.start();
await startWorker(
  boss,
  {
    db,
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
  { concurrency: Number(process.env.WORKER_CONCURRENCY ?? 1), notifyPollingIntervalSeconds: 1 },
);
console.log("worker-process ready");
