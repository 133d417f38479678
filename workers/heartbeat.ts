import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { eq, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { workerHeartbeats } from "@/db/schema";
import { componentLog } from "@/lib/log";
import { processMetrics } from "@/lib/metrics/registry";
import { WORKER_BEAT_SECONDS } from "@/lib/operations/worker-fleet";
import { version } from "@/package.json";

/** Rows of workers not heard from for this long are deleted by whichever worker beats next. */
export const STALE_WORKER_SECONDS = 600;

const log = componentLog("heartbeat");

export type HeartbeatOptions = { intervalMs?: number; staleAfterSeconds?: number };

/**
 * This worker process's row in `worker_heartbeats`: written at start, refreshed every beat with the
 * jobs it is running and its metrics, deleted by `stop()` on a clean shutdown. A killed worker's row
 * simply stops being refreshed; any other worker deletes it once it is stale. `track` wraps each
 * job so the row knows how many are in flight.
 */
export async function startHeartbeat(db: Db, options: HeartbeatOptions = {}) {
  const id = randomUUID();
  const identity = { id, host: hostname(), pid: process.pid, version };
  const staleAfter = options.staleAfterSeconds ?? STALE_WORKER_SECONDS;
  let inFlight = 0;
  let beating: Promise<void> = Promise.resolve();

  const beat = async () => {
    const fields = {
      lastSeenAt: sql`now()`,
      jobsInFlight: inFlight,
      metrics: await processMetrics().registry.getMetricsAsJSON(),
    };
    await db
      .insert(workerHeartbeats)
      .values({ ...identity, ...fields })
      .onConflictDoUpdate({ target: workerHeartbeats.id, set: fields });
    await db
      .delete(workerHeartbeats)
      .where(lt(workerHeartbeats.lastSeenAt, sql`now() - make_interval(secs => ${staleAfter})`));
  };
  const tick = () => {
    beating = beating
      .then(beat)
      .catch((err) => log.warn({ err, workerId: id }, "heartbeat not recorded; retrying on the next beat"));
    return beating;
  };

  await tick();
  const timer = setInterval(tick, options.intervalMs ?? WORKER_BEAT_SECONDS * 1000);
  timer.unref();
  return {
    id,
    async track<T>(job: () => Promise<T>): Promise<T> {
      inFlight += 1;
      try {
        return await job();
      } finally {
        inFlight -= 1;
      }
    },
    /** Stops beating and removes the row: this worker is gone on purpose. */
    async stop() {
      clearInterval(timer);
      await beating;
      await db.delete(workerHeartbeats).where(eq(workerHeartbeats.id, id));
    },
  };
}
