import type { OperationRun } from "@/db/schema";
import { processMetrics } from "./registry";

type Stamped = Pick<OperationRun, "type" | "createdAt" | "startedAt">;

const seconds = (from: Date, to: Date) => Math.max(0, (to.getTime() - from.getTime()) / 1000);

/** A run's first attempt began: count it and how long it waited (both stamps are the database's clock). */
export function recordRunStarted(run: Stamped, attempt: number) {
  if (attempt !== 1) return;
  const metrics = processMetrics();
  metrics.runsStarted.inc({ type: run.type });
  if (run.startedAt) metrics.pickupLatency.observe({ type: run.type }, seconds(run.createdAt, run.startedAt));
}

/** A run reached its outcome here. */
export function recordRunCompleted(run: Stamped & Pick<OperationRun, "outcome" | "completedAt">) {
  const metrics = processMetrics();
  const labels = { type: run.type, outcome: run.outcome };
  metrics.runsCompleted.inc(labels);
  if (run.startedAt && run.completedAt) metrics.runDuration.observe(labels, seconds(run.startedAt, run.completedAt));
}
