import "server-only";
import { type ConstructorOptions, PgBoss } from "pg-boss";
import { queueTiming } from "@/lib/env";
import { componentLog } from "@/lib/log";
import type { OperationRegistry } from "./registry";

export const PGBOSS_SCHEMA = "pgboss";

/**
 * How long a job may go without its worker's heartbeat before pg-boss fails it (and retries it if
 * attempts remain), and how often a worker's pg-boss looks for such jobs (and expired ones).
 * pg-boss refreshes every half of the heartbeat; 20 s leaves room for a busy event loop while a
 * killed worker's run moves on within heartbeat + one supervision pass (≤ 30 s) instead of waiting
 * for `expireInSeconds` (up to an hour). JOB_HEARTBEAT_SECONDS / JOB_SUPERVISE_SECONDS (lib/env.ts).
 */
export const {
  heartbeatSeconds: HEARTBEAT_SECONDS,
  superviseSeconds: SUPERVISE_SECONDS,
  scheduleCheckSeconds: SCHEDULE_CHECK_SECONDS,
} = queueTiming();

/**
 * A pg-boss instance for this database. `role: "producer"` (web servers) only sends jobs, inside
 * the caller's transaction; `role: "worker"` also runs maintenance (`max`: see
 * workers/connection-budget.ts).
 */
export function createBoss(
  connectionString: string,
  role: "producer" | "worker" | "migrator",
  extra: Partial<ConstructorOptions> = {},
) {
  const boss = new PgBoss({
    connectionString,
    schema: PGBOSS_SCHEMA,
    application_name: `tenantatlas-${role}`,
    max: role === "worker" ? 10 : 4,
    migrate: role === "migrator",
    supervise: role === "worker",
    superviseIntervalSeconds: SUPERVISE_SECONDS,
    monitorIntervalSeconds: SUPERVISE_SECONDS,
    // Workers run pg-boss's cron pass (one instance claims each pass); it fires the daily prune.
    schedule: role === "worker",
    cronMonitorIntervalSeconds: SCHEDULE_CHECK_SECONDS,
    // Workers take jobs through their own dispatcher, which holds the one LISTEN (workers/dispatcher.ts).
    useListenNotify: false,
    instanceName: role,
    ...extra,
  });
  const log = componentLog("pg-boss", { role });
  boss.on("error", (err) => log.error({ err: err instanceof Error ? err.message : err }, "pg-boss error"));
  return boss;
}

/** One queue per operation type, created (or updated) from the registry's queue policy. */
export async function ensureQueues(boss: PgBoss, registry: OperationRegistry): Promise<void> {
  for (const [type, definition] of Object.entries(registry)) {
    // pg-boss fixes a queue's policy when it creates it; an update must not name it.
    const { policy, ...options } = { ...definition.queue, heartbeatSeconds: HEARTBEAT_SECONDS, notify: true };
    if (await boss.getQueue(type)) await boss.updateQueue(type, options);
    else await boss.createQueue(type, { ...options, policy });
  }
}
