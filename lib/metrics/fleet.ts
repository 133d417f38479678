import "server-only";
import { sql } from "drizzle-orm";
import { Gauge, Registry } from "prom-client";
import type { DbOrTx } from "@/db/client";
import { queueBacklog } from "@/lib/operations/dashboard";
import { onlineWorkers } from "@/lib/operations/worker-fleet";

/**
 * What the database says about the whole fleet at scrape time, the same from any web server: jobs
 * waiting per queue and the oldest one's age, active runs per type and status, workers online and
 * the jobs they hold. Returned with the online workers' rows, whose metrics the endpoint adds.
 */
export async function fleetMetrics(db: DbOrTx, types: string[]) {
  const [backlog, active, workers, now] = await Promise.all([
    queueBacklog(db, types),
    db.execute<{ type: string; status: string; n: number }>(sql`
      select type, status::text as status, count(*)::int as n from operation_runs
      where status in ('queued', 'running') group by type, status`),
    onlineWorkers(db),
    db.execute<{ ms: string }>(sql`select (extract(epoch from now()) * 1000)::bigint::text as ms`),
  ]);
  const nowMs = Number(now.rows[0]!.ms);
  const registry = new Registry();
  const registers = [registry];
  const depth = new Gauge({
    name: "tenantatlas_queue_depth",
    help: "Jobs waiting for a worker (pg-boss created or retry), by operation type.",
    labelNames: ["type"] as const,
    registers,
  });
  const oldest = new Gauge({
    name: "tenantatlas_queue_oldest_age_seconds",
    help: "Age of the oldest waiting job, by operation type (0 when none waits).",
    labelNames: ["type"] as const,
    registers,
  });
  for (const q of backlog) {
    depth.set({ type: q.name }, q.waiting);
    oldest.set({ type: q.name }, q.oldest ? Math.max(0, (nowMs - q.oldest.getTime()) / 1000) : 0);
  }
  const runs = new Gauge({
    name: "tenantatlas_runs_active",
    help: "Runs queued or running now, by operation type and status.",
    labelNames: ["type", "status"] as const,
    registers,
  });
  for (const type of types) for (const status of ["queued", "running"]) runs.set({ type, status }, 0);
  for (const row of active.rows) runs.set({ type: row.type, status: row.status }, row.n);
  new Gauge({
    name: "tenantatlas_workers_online",
    help: "Worker processes seen within the online window.",
    registers,
  }).set(workers.length);
  new Gauge({
    name: "tenantatlas_worker_jobs_in_flight",
    help: "Jobs the online workers are running, as of their last heartbeat.",
    registers,
  }).set(workers.reduce((n, w) => n + w.jobsInFlight, 0));
  return { registry, workers };
}
