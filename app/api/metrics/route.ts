import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { metricsResponse } from "@/lib/metrics/endpoint";
import { operations } from "@/lib/operations/registry";

export const dynamic = "force-dynamic";

/** Prometheus metrics of the fleet, for a scraper holding METRICS_TOKEN (see lib/metrics/endpoint.ts). */
export function GET(request: Request) {
  return metricsResponse(request, { db: getDb(), token: env().METRICS_TOKEN, types: Object.keys(operations) });
}
