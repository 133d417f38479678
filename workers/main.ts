import { createDb } from "@/db/client";
import { alertDeliverySettings, encryptionKey, env, graphConfig, maintenanceConfig } from "@/lib/env";
import { componentLog } from "@/lib/log";
import { startMaintenance } from "@/lib/maintenance/schedule";
import { createBoss } from "@/lib/operations/queue";
import { operations } from "@/lib/operations/registry";
import { startRetentionSchedule } from "@/lib/retention/schedule";

import { startSchedules } from "@/lib/schedules/worker";
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
  {
    db,
    boss,
    registry: operations,
    handlers,
    graph: graphConfig(config),
    encryptionKey: encryptionKey(config),
    alerts: alertDeliverySettings(config),
  },
  { concurrency: config.WORKER_CONCURRENCY, drainSeconds: config.WORKER_DRAIN_SECONDS },
);
await startMaintenance(boss, { db, boss, registry: operations }, maintenanceConfig(config));
await startRetentionSchedule(boss, { db, boss, registry: operations }, config.BACKUP_RETENTION_CRON);

await startSchedules(boss, { db, boss, registry: operations });
const log = componentLog("worker");
log.info(
  {
    queues: Object.keys(operations),
    concurrency: config.WORKER_CONCURRENCY,
    drainSeconds: config.WORKER_DRAIN_SECONDS,
    databaseConnections: budget.total,
  },
  "worker ready",
);
stopOnSignal(worker, { close: () => pool.end(), log: (message) => log.info(message) });
