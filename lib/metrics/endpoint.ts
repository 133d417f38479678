import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { hostname } from "node:os";
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue, Registry } from "prom-client";
import type { DbOrTx } from "@/db/client";
import { fleetMetrics } from "./fleet";
import { processMetrics } from "./registry";

type Snapshot = MetricObjectWithValues<MetricValue<string>>[];

/**
 * `/api/metrics`, in Prometheus's text format: the fleet's figures read from the database, this web
 * server's own metrics, and every online worker's as of its last heartbeat — each series labelled
 * with the `process` it came from, so a counter stays monotonic per process and a worker that leaves
 * just ends its series. One scrape of any web server sees the whole fleet.
 *
 * No token configured: 404, the endpoint does not exist. A token configured and a request without
 * it (or with another): 401, as for any protected resource.
 */
export async function metricsResponse(
  request: Request,
  { db, token, types }: { db: DbOrTx; token: string | undefined; types: string[] },
): Promise<Response> {
  if (!token) return new Response("Not found.", { status: 404 });
  if (!bearerMatches(request.headers.get("authorization"), token)) {
    return new Response("A valid bearer token is required.", {
      status: 401,
      headers: { "www-authenticate": 'Bearer realm="metrics"' },
    });
  }
  const fleet = await fleetMetrics(db, types);
  const own = labelled(await processMetrics().registry.getMetricsAsJSON(), `web@${hostname()}:${process.pid}`);
  const workers = fleet.workers.map((w) => labelled(w.metrics as Snapshot, `worker@${w.host}:${w.pid}`));
  const processes = AggregatorRegistry.aggregate([own, ...workers]) as Registry;
  const body = await Registry.merge([fleet.registry, processes]).metrics();
  return new Response(body, {
    headers: { "content-type": Registry.PROMETHEUS_CONTENT_TYPE, "cache-control": "no-store" },
  });
}

function labelled(snapshot: Snapshot, process: string): Snapshot {
  return snapshot.map((metric) => ({
    ...metric,
    values: metric.values.map((v) => ({ ...v, labels: { ...v.labels, process } })),
  }));
}

/** Constant-time comparison of the presented bearer token with the configured one. */
function bearerMatches(header: string | null, token: string): boolean {
  const presented = header?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  if (!presented) return false;
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(presented), digest(token));
}
