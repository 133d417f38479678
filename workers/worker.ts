import type { JobWithMetadata, PgBoss } from "pg-boss";
import { jobReceipt } from "./job-receipt";
import { type RunJobData, runJob, type WorkerDeps } from "./lifecycle";
import { startReaper } from "./reaper";

export type WorkerOptions = {
  /** Jobs of one type a worker process runs at once. */
  concurrency?: number;
  /** Idle poll while LISTEN/NOTIFY is up; NOTIFY wakes the worker at once anyway. */
  notifyPollingIntervalSeconds?: number;
  reaperIntervalMs?: number;
};

/**
 * Subscribes to every operation type's queue and starts the lost-run reaper.
 *
 * Each concurrency slot is its own pg-boss worker that fetches one job at a time and, after a job,
 * fetches again at once (notifyWorker) instead of sleeping out its poll interval: a backlog drains
 * at full speed, and an empty fetch puts the slot back to waiting for NOTIFY. pg-boss's own burst
 * mode does not apply at batchSize 1, and larger batches would make short runs wait for long ones.
 */
export async function startWorker(boss: PgBoss, deps: WorkerDeps, options: WorkerOptions = {}) {
  const notifyPollingIntervalSeconds = options.notifyPollingIntervalSeconds ?? 10;
  for (const type of Object.keys(deps.registry)) {
    for (let slot = 0; slot < (options.concurrency ?? 4); slot++) {
      await workWhileFound<RunJobData>(boss, {
        queue: type,
        notifyPollingIntervalSeconds,
        handle: async (job) => {
          await runJob(deps, job);
          return jobReceipt(); // stored by pg-boss as the job's output
        },
      });
    }
  }
  const reaper = startReaper(deps, { intervalMs: options.reaperIntervalMs ?? 10_000 });
  return {
    async stop() {
      reaper.stop();
      await boss.stop({ graceful: true, timeout: 20_000 });
    },
  };
}

/** One single-job worker slot on `queue` that re-fetches right after each job it ran. */
export async function workWhileFound<T extends object>(
  boss: PgBoss,
  {
    queue,
    notifyPollingIntervalSeconds,
    handle,
  }: { queue: string; notifyPollingIntervalSeconds: number; handle: (job: JobWithMetadata<T>) => Promise<unknown> },
): Promise<string> {
  // The id is known only once work() returns; a job claimed before that simply skips the re-fetch.
  const slot: { id?: string } = {};
  slot.id = await boss.work(
    queue,
    {
      includeMetadata: true,
      batchSize: 1,
      pollingIntervalSeconds: Math.min(2, notifyPollingIntervalSeconds),
      notifyPollingIntervalSeconds,
    },
    async ([job]: JobWithMetadata<T>[]) => {
      try {
        return job ? await handle(job) : undefined;
      } finally {
        if (slot.id) boss.notifyWorker(slot.id);
      }
    },
  );
  return slot.id;
}
