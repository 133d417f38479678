import { sql } from "drizzle-orm";
import { componentLog } from "@/lib/log";
import { PGBOSS_SCHEMA } from "@/lib/operations/queue";
import { finish, type WorkerDeps } from "./lifecycle";

/**
 * Every run ends. A run whose job no longer exists or is no longer live in pg-boss (the worker
 * died on the last attempt, the job expired for good, or was deleted) is completed `failed` with
 * `worker_lost` — or `cancelled` when someone had asked to cancel it, since that is what they
 * wanted and nobody is left to do it. Runs touched within the grace period are left alone (a start
 * in flight), and so are runs whose job ended within it (their worker may still be saying why).
 * With heartbeats, pg-boss fails a dead worker's job within HEARTBEAT_SECONDS plus one supervision
 * pass, so a run on its last attempt ends within about a minute of its worker's death.
 */
const log = componentLog("reaper");

export async function reapLostRuns(
  deps: Pick<WorkerDeps, "db" | "registry" | "boss">,
  graceSeconds = 20,
): Promise<number> {
  const lost = await deps.db.execute<{ id: string; type: string; cancel_requested: boolean }>(sql`
    select r.id, r.type, r.cancel_requested_at is not null as cancel_requested from operation_runs r
    left join ${sql.identifier(PGBOSS_SCHEMA)}.job j on j.name = r.type and j.id::text = r.job_id
    where r.status in ('queued', 'running')
      and r.updated_at < now() - make_interval(secs => ${graceSeconds})
      and (j.id is null or (j.state not in ('created', 'retry', 'active')
        -- the grace counts from the job's end too: a live worker whose job pg-boss failed while the
        -- database was down records the real error once it is back, before the reaper guesses
        and coalesce(j.completed_on, j.created_on) < now() - make_interval(secs => ${graceSeconds})))
    order by r.updated_at
    limit 100`);
  let reaped = 0;
  for (const { id, type, cancel_requested } of lost.rows) {
    // One run that cannot be finished must not keep the others behind it running for ever.
    try {
      await finish(
        deps,
        cancel_requested
          ? { runId: id, type, outcome: "cancelled" }
          : {
              runId: id,
              type,
              outcome: "failed",
              failures: [
                {
                  code: "worker_lost",
                  message: "The worker running this job stopped before finishing it, and no retry is left.",
                },
              ],
            },
      );
      reaped += 1;
    } catch (err) {
      log.error({ runId: id, err: (err as Error).message }, "could not complete a lost run");
    }
  }
  return reaped;
}

export function startReaper(deps: Pick<WorkerDeps, "db" | "registry" | "boss">, options: { intervalMs: number }) {
  const timer = setInterval(() => {
    reapLostRuns(deps).catch((err) =>
      log.error(
        { err: (err as Error).message, cause: (err as { cause?: Error }).cause?.message },
        "reaper pass failed",
      ),
    );
  }, options.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
