import type { JobWithMetadata, PgBoss } from "pg-boss";
import { componentLog } from "@/lib/log";
import { PGBOSS_SCHEMA } from "@/lib/operations/queue";

import { type ClaimedJob, runClaimedJob, type SETTLED } from "./claimed-job";

const log = componentLog("worker");

/** SQL for the channel pg-boss 12 NOTIFYs with a queue's name when a job lands on it (its own expression). */
export const QUEUE_NOTIFY_CHANNEL = `'pgboss_' || left(encode(sha224('${PGBOSS_SCHEMA}'::bytea), 'hex'), 24)`;

export type DispatcherOptions<T extends object> = {
  /** pg-boss queues to take jobs from (one per operation type). */
  queues: string[];
  /** Jobs in flight in this process, across every queue. */
  concurrency: number;
  /** How often every queue is looked at even without a NOTIFY (retries, missed notifications). */
  pollSeconds: number;
  /** What it returns is stored as the job's output (SETTLED: it completed the job itself). */
  handle: (job: ClaimedJob<T>) => Promise<object | void | typeof SETTLED>;
};

/**
 * One worker-wide pool of `concurrency` lanes over every queue. A free lane fetches one job from the
 * next queue that may have work, round robin on one position all lanes share, so a backlog of one
 * type cannot starve another; after a job it fetches again at once, and when no queue has work
 * it sleeps until a NOTIFY (pg-boss announces each new job with its queue's name) or the poll tick.
 * A queue that came back empty is skipped until one of those says it may have work again.
 *
 * `drain(ms, reason)` stops fetching at once, lets the jobs in flight finish for up to `ms`, then
 * aborts the rest's signals with `reason()`, and resolves once every lane has settled its job.
 */
export async function startDispatcher<T extends object>(boss: PgBoss, options: DispatcherOptions<T>) {
  const { queues, concurrency, pollSeconds, handle } = options;
  const ready = new Set(queues);
  // Bumped by every wake-up of a queue, so an empty fetch racing a NOTIFY cannot clear it.
  const wakeups = new Map(queues.map((q) => [q, 0]));
  let cursor = 0;
  let draining = false;
  const stop = new AbortController();
  const sleepers: (() => void)[] = [];
  let wakeCount = 0;

  /**
   * Marks queues as maybe having work and resumes one sleeping lane (`everyLane`: all of them). One
   * NOTIFY is one new job: waking every lane for it cost a fetch per lane, all but one empty
   * (docs/benchmarks.md, "The spine"). A lane that finds a job wakes the next (`found`), so a
   * backlog still reaches every lane at once.
   */
  const wake = (names: Iterable<string>, { everyLane = false } = {}) => {
    wakeCount += 1;
    for (const name of names) {
      if (!wakeups.has(name)) continue;
      wakeups.set(name, wakeups.get(name)! + 1);
      ready.add(name);
    }
    for (const resume of everyLane ? sleepers.splice(0) : sleepers.splice(0, 1)) resume();
  };
  const found = () => sleepers.shift()?.();
  const sleep = () => new Promise<void>((resume) => sleepers.push(resume));

  const db = boss.getDb();
  const [{ channel }] = (await db.executeSql(`select ${QUEUE_NOTIFY_CHANNEL} as channel`)).rows as [
    { channel: string },
  ];
  const listener = await db.listen?.(
    channel,
    (name) => wake([name]),
    () => wake(queues, { everyLane: true }),
  );
  const poll = setInterval(() => wake(queues, { everyLane: true }), pollSeconds * 1000);

  async function nextJob(): Promise<JobWithMetadata<T> | undefined> {
    for (let i = 0; i < queues.length && !draining; i++) {
      // Lanes share one rotating position: concurrent scans interleave instead of racing for the
      // same queue, and the next fetch after a found job starts at the queue after it.
      const name = queues[cursor]!;
      cursor = (cursor + 1) % queues.length;
      if (!ready.has(name)) continue;
      const seen = wakeups.get(name);
      const [job] = await boss.fetch<T>(name, { batchSize: 1, includeMetadata: true });
      if (job) return job;
      if (wakeups.get(name) === seen) ready.delete(name);
    }
    return undefined;
  }

  async function lane() {
    while (!draining) {
      let job: JobWithMetadata<T> | undefined;
      const wakesBefore = wakeCount;
      try {
        job = await nextJob();
      } catch (err) {
        log.error({ err: (err as Error).message }, "fetch failed");
      }
      if (!job) {
        // A wake-up during the fetches may concern a queue already passed: look again before sleeping.
        if (!draining && wakeCount === wakesBefore) await sleep();
        continue;
      }
      found();
      try {
        const { failed } = await runClaimedJob(boss, { job, stop: stop.signal, handle });
        if (failed) wake([job.name]); // its retry may be due at once
      } catch (err) {
        log.error({ jobId: job.id, err: (err as Error).message }, "settling the job failed");
      }
    }
  }
  const lanes = Promise.all(Array.from({ length: concurrency }, lane));

  return {
    async drain(ms: number, reason: () => Error) {
      draining = true;
      clearInterval(poll);
      wake([], { everyLane: true });
      const deadline = setTimeout(() => stop.abort(reason()), ms);
      await lanes;
      clearTimeout(deadline);
      await listener?.close();
    },
  };
}
