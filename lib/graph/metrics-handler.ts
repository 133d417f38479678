import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { processMetrics } from "@/lib/metrics/registry";

const THROTTLING = new Set([429, 503, 504]);
const ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+)$/i;
/** Collections whose next segment names the resource (deviceManagement/deviceConfigurations). */
const NAMESPACES = new Set(["deviceManagement", "deviceAppManagement", "directory", "identity"]);

/**
 * The route family of a Graph URL, for a metric label that stays low in cardinality: the version and
 * ids dropped, the first segment kept (its second too under a namespace such as deviceManagement),
 * e.g. `/beta/deviceManagement/configurationPolicies/{id}/settings` → `deviceManagement/configurationPolicies`.
 */
export function graphRouteFamily(url: string): string {
  let segments: string[];
  try {
    segments = new URL(url).pathname.split("/").filter(Boolean);
  } catch {
    return "unknown";
  }
  if (segments[0] === "v1.0" || segments[0] === "beta") segments = segments.slice(1);
  const named = segments.filter((s) => !ID.test(s)).map((s) => s.replace(/\(.*$/, ""));
  if (named.length === 0) return "root";
  return NAMESPACES.has(named[0]!) && named[1] ? `${named[0]}/${named[1]}` : named[0]!;
}

/**
 * Counts every HTTP request the Graph client sends, and the throttling answers among them. It sits
 * next to the transport, after the retry handler, so each retry of a throttled call counts too.
 */
export class GraphMetricsHandler implements Middleware {
  #next?: Middleware;

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === "string" ? context.request : context.request.url;
    const method = ((context.options as RequestInit | undefined)?.method ?? "GET").toUpperCase();
    const family = graphRouteFamily(url);
    const metrics = processMetrics();
    try {
      await this.#next!.execute(context);
    } catch (err) {
      metrics.graphRequests.inc({ family, method, status: "error" });
      throw err;
    }
    const status = context.response?.status ?? 0;
    metrics.graphRequests.inc({ family, method, status: String(status) });
    if (THROTTLING.has(status)) metrics.graphThrottles.inc({ family, status: String(status) });
  }

  setNext(next: Middleware) {
    this.#next = next;
  }
}
