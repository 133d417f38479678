import type { Db, JobWithMetadata, PgBoss } from "pg-boss";

/**
 * A job as its handler gets it. `completeIn` completes this very claim (fenced like every settle
 * below) inside the caller's own transaction, so the job ends in the same commit as the work it
 * records; a handler that did so returns SETTLED and the job is not completed a second time.
 */
export type ClaimedJob<T> = JobWithMetadata<T> & { completeIn: (db: Db, output: object) => Promise<void> };
export const SETTLED = Symbol("the handler settled its job");

/**
 * Runs one job this worker fetched (claimed) from pg-boss, as pg-boss's own work() would: its
 * heartbeat refreshed every half heartbeat, its signal aborted when the claim is gone (another
 * worker or the supervisor took it) or the job outlives expireInSeconds, or `stop` aborts, and the
 * job completed (with what the handler returned as its output) or failed at the end. Every settle and heartbeat is fenced to the claimed attempt
 * (id + retryCount), so a claim that moved on is never settled from here.
 * Resolves whether the handler failed (pg-boss then retries the job if attempts remain); rejects
 * only when the settle itself could not be written (the heartbeat supervisor then fails the job).
 */
export async function runClaimedJob<T extends object>(
  boss: PgBoss,
  {
    job,
    stop,
    handle,
  }: {
    job: JobWithMetadata<T>;
    stop: AbortSignal;
    handle: (job: ClaimedJob<T>) => Promise<object | void | typeof SETTLED>;
  },
): Promise<{ failed: boolean }> {
  const claim = new AbortController();
  const attempt = { id: job.id, retryCount: job.retryCount };
  const claimed: ClaimedJob<T> = Object.assign(job, {
    signal: AbortSignal.any([claim.signal, stop]),
    completeIn: async (db: Db, output: object) => {
      await boss.complete(job.name, attempt, output, { db });
    },
  });

  const heartbeat = job.heartbeatSeconds
    ? setInterval(async () => {
        try {
          // pg-boss 12 reports the ids it refreshed (its CommandResponse type does not declare them).
          const { settled } = (await boss.touch(job.name, attempt)) as { settled?: string[] };
          if (settled && !settled.includes(job.id)) claim.abort(new Error(`job ${job.id} is no longer this worker's`));
        } catch {
          // a heartbeat that could not run says nothing about the claim; the next one retries
        }
      }, job.heartbeatSeconds * 500)
    : undefined;
  const expiry = setTimeout(
    () => claim.abort(new Error(`job ${job.id} exceeded ${job.expireInSeconds}s`)),
    job.expireInSeconds * 1000,
  );
  let failure: { message: string } | undefined;
  let output: object | void | typeof SETTLED = undefined;
  try {
    output = await handle(claimed);
  } catch (err) {
    failure = { message: err instanceof Error ? err.message : String(err) };
  } finally {
    clearInterval(heartbeat);
    clearTimeout(expiry);
  }
  if (failure) await boss.fail(job.name, attempt, failure);
  else if (output !== SETTLED) await boss.complete(job.name, attempt, output ?? undefined);
  return { failed: failure !== undefined };
}
