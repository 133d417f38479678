import "server-only";
import { gte, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { workerHeartbeats } from "@/db/schema";

/**
 * A worker beats every WORKER_BEAT_SECONDS; one not heard from for WORKER_ONLINE_SECONDS (six
 * beats) is taken for gone. Generous, so a worker under load or a short database hiccup does not
 * flicker the count, and still well under the 90 s in which a dead worker's run must move on.
 */
export const WORKER_BEAT_SECONDS = 5;
export const WORKER_ONLINE_SECONDS = 30;

/** Workers of every host whose last beat is within the window, on the database's clock. */
export async function onlineWorkers(db: DbOrTx, windowSeconds = WORKER_ONLINE_SECONDS) {
  return db
    .select()
    .from(workerHeartbeats)
    .where(gte(workerHeartbeats.lastSeenAt, sql`now() - make_interval(secs => ${windowSeconds})`))
    .orderBy(workerHeartbeats.host, workerHeartbeats.pid);
}

/** What the dashboard says about the fleet: how many workers are up, and a warning when none is. */
export async function workerFleetView(db: DbOrTx, windowSeconds = WORKER_ONLINE_SECONDS) {
  const workers = await onlineWorkers(db, windowSeconds);
  const online = workers.length;
  return {
    online,
    jobsInFlight: workers.reduce((n, w) => n + w.jobsInFlight, 0),
    label: `${online} ${online === 1 ? "worker" : "workers"} online`,
    window: `seen within ${windowSeconds} s`,
    warning:
      online === 0
        ? `No worker has been seen in the last ${windowSeconds} s: queued runs will not start until one is running (npm run worker).`
        : null,
  };
}

export type WorkerFleetView = Awaited<ReturnType<typeof workerFleetView>>;
