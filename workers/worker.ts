import type { PgBoss } from "pg-boss";
import { startAlertDeliveries } from "@/lib/alerts/deliver";
import { startCancelWatch } from "./cancel-watch";
import { SETTLED } from "./claimed-job";
import { startDispatcher } from "./dispatcher";
import { startHeartbeat } from "./heartbeat";
import { jobReceipt } from "./job-receipt";
import { type RunJobData, runJob, type WorkerDeps } from "./lifecycle";
import { startReaper } from "./reaper";
import { WorkerShutdown } from "./shutdown";

/** ALERT_* defaults (lib/env.ts), for workers built without settings (tests, benches). */
const DEFAULT_ALERT_SETTINGS = { maxAttempts: 6, retrySeconds: 30, timeoutSeconds: 10 };

export type WorkerOptions = {
  /** Jobs a worker process runs at once, across every operation type. */
  concurrency?: number;
  /** Idle poll while LISTEN/NOTIFY is up; NOTIFY wakes the worker at once anyway. */
  notifyPollingIntervalSeconds?: number;
  reaperIntervalMs?: number;
  /** On stop, how long jobs in flight may finish before they are handed back (default 20 s). */
  drainSeconds?: number;
};

/**
 * Takes jobs of every operation type (at most `concurrency` at once in this process, see
 * ./dispatcher), checks their runs' cancel requests in one query per tick, and starts the lost-run
 * reaper. `stop()` is the graceful shutdown a deploy uses: fetch nothing more, let the jobs in
 * flight finish for the drain period, hand back the ones still running (no attempt spent), and
 * resolve once every handler has settled, so the caller may close the database pool after it.
 */
export async function startWorker(boss: PgBoss, deps: WorkerDeps, options: WorkerOptions = {}) {
  const heartbeat = await startHeartbeat(deps.db);
  const cancellations = startCancelWatch(deps.db, { intervalMs: deps.cancelPollMs ?? 1000 });
  const dispatcher = await startDispatcher<RunJobData>(boss, {
    queues: Object.keys(deps.registry),
    concurrency: options.concurrency ?? 4,
    pollSeconds: options.notifyPollingIntervalSeconds ?? 10,
    handle: async (job) => {
      const settled = await heartbeat.track(() => runJob(deps, job, cancellations));
      return settled ? SETTLED : jobReceipt(); // stored by pg-boss as the job's output
    },
  });
  const reaper = startReaper(deps, { intervalMs: options.reaperIntervalMs ?? 10_000 });
  const alerts = await startAlertDeliveries(boss, {
    db: deps.db,
    encryptionKey: deps.encryptionKey,
    settings: deps.alerts ?? DEFAULT_ALERT_SETTINGS,
  });
  let stopped: Promise<void> | undefined;
  const stop = async () => {
    reaper.stop();
    await alerts.stop();
    await dispatcher.drain((options.drainSeconds ?? 20) * 1000, () => new WorkerShutdown());
    cancellations.stop();
    // No job of this worker is active any more: pg-boss has only its maintenance to end.
    await boss.stop({ graceful: true, timeout: 5_000 });
    // Last: the row says this worker is online until every job it had has settled.
    await heartbeat.stop();
  };
  return {
    cancellations,
    stop: () => (stopped ??= stop()),
  };
}
