import { Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * The metrics a process counts as things happen in it: runs its worker started and completed,
 * Graph requests it sent, live-update streams it serves. A worker publishes this registry with its
 * heartbeat (lib/operations/worker-heartbeat.ts); a web server reports its own and every live
 * worker's, each series labelled with the process it came from (lib/metrics/endpoint.ts).
 */
function createProcessMetrics() {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    runsStarted: new Counter({
      name: "tenantatlas_runs_started_total",
      help: "Runs a worker took up for their first attempt, by operation type.",
      labelNames: ["type"] as const,
      registers,
    }),
    runsCompleted: new Counter({
      name: "tenantatlas_runs_completed_total",
      help: "Runs a worker (or its reaper) completed, by operation type and outcome.",
      labelNames: ["type", "outcome"] as const,
      registers,
    }),
    runDuration: new Histogram({
      name: "tenantatlas_run_duration_seconds",
      help: "From a run's first start to its completion, by operation type and outcome.",
      labelNames: ["type", "outcome"] as const,
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200],
      registers,
    }),
    pickupLatency: new Histogram({
      name: "tenantatlas_run_pickup_latency_seconds",
      help: "From a run's creation to its first attempt's start (time spent queued), by operation type.",
      labelNames: ["type"] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers,
    }),
    graphRequests: new Counter({
      name: "tenantatlas_graph_requests_total",
      help: "HTTP requests sent to Microsoft Graph (every attempt, retries included), by route family, method and status ('error' when no answer came).",
      labelNames: ["family", "method", "status"] as const,
      registers,
    }),
    graphThrottles: new Counter({
      name: "tenantatlas_graph_throttled_total",
      help: "Graph answers that ask the client to slow down or come back (429, 503, 504), by route family and status.",
      labelNames: ["family", "status"] as const,
      registers,
    }),
    liveClients: new Gauge({
      name: "tenantatlas_live_stream_clients",
      help: "Browsers holding a live-update stream (/api/live) open on this web server.",
      registers,
    }),
  };
}

export type ProcessMetrics = ReturnType<typeof createProcessMetrics>;

const globalForMetrics = globalThis as unknown as { tenantAtlasMetrics?: ProcessMetrics };

/** This process's metrics (one set per process, kept across dev hot reloads and route bundles). */
export function processMetrics(): ProcessMetrics {
  globalForMetrics.tenantAtlasMetrics ??= createProcessMetrics();
  return globalForMetrics.tenantAtlasMetrics;
}
