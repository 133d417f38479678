import type { JobWithMetadata, PgBoss } from "pg-boss";
import { runJob, type RunJobData, type WorkerDeps } from "./lifecycle";
import { startReaper } from "./reaper";

export type WorkerOptions = {
  /** Jobs of one type a worker process runs at once. */
  concurrency?: number;
  /** Idle poll while LISTEN/NOTIFY is up; NOTIFY wakes the worker at once anyway. */
  notifyPollingIntervalSeconds?: number;
  reaperIntervalMs?: number;
};

/** Subscribes to one queue per registered operation type and starts the lost-run reaper. */
export async function startWorker(boss: PgBoss, deps: WorkerDeps, options: WorkerOptions = {}) {
  const notifyPollingIntervalSeconds = options.notifyPollingIntervalSeconds ?? 10;
  for (const type of Object.keys(deps.registry)) {
    await boss.work(
      type,
      {
        includeMetadata: true,
        batchSize: 1,
        localConcurrency: options.concurrency ?? 4,
        pollingIntervalSeconds: Math.min(2, notifyPollingIntervalSeconds),
        notifyPollingIntervalSeconds,
      },
      async ([job]: JobWithMetadata<RunJobData>[]) => {
        if (job) await runJob(deps, job);
      },
    );
  }
  const reaper = startReaper(deps, { intervalMs: options.reaperIntervalMs ?? 30_000 });
  return {
    async stop() {
      reaper.stop();
      await boss.stop({ graceful: true, timeout: 20_000 });
    },
  };
}
