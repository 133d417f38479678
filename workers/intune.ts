import { type Client, GraphError } from "@microsoft/microsoft-graph-client";
import type { PolicyFamily } from "@/db/schema";
import { COMPLIANCE_ACTIONS_EXPAND, withoutExpandContext } from "@/lib/graph/compliance-actions";
import type { PolicySnapshot } from "@/lib/inventory/policies";

/** Reading Intune policies through Graph (beta: the settings catalog exists only there). */
export type Page<T> = { value: T[]; "@odata.nextLink"?: string };
export type GraphPolicy = Record<string, unknown> & { id: string; displayName?: string; name?: string };

export const FAMILY_PATHS: Record<PolicyFamily, string> = {
  device_configuration: "/deviceManagement/deviceConfigurations",
  compliance: "/deviceManagement/deviceCompliancePolicies",
  settings_catalog: "/deviceManagement/configurationPolicies",
};

/** Every page of a collection, one page in memory at a time (absolute https nextLinks followed). */
export async function* pages<T>(graph: Client, path: string, signal: AbortSignal): AsyncGenerator<T[]> {
  let url: string | undefined = path;
  while (url) {
    signal.throwIfAborted();
    const page = (await graph.api(url).version("beta").option("signal", signal).get()) as Page<T>;
    yield page.value;
    url = page["@odata.nextLink"];
  }
}

/** A policy's assignments, for the settings catalog every page of its settings, for compliance its actions. */
export async function readPolicy(
  graph: Client,
  { family, policy, signal }: { family: PolicyFamily; policy: GraphPolicy; signal: AbortSignal },
): Promise<PolicySnapshot> {
  const base = `${FAMILY_PATHS[family]}/${policy.id}`;
  const assignments = (await graph.api(`${base}/assignments`).version("beta").option("signal", signal).get()) as Page<{
    target?: Record<string, unknown>;
  }>;
  // A listed compliance policy lacks its scheduled actions: read it again with them.
  const body =
    family === "compliance" && !Array.isArray(policy.scheduledActionsForRule)
      ? await getPolicyObject(graph, { family, id: policy.id, signal })
      : policy;
  const snapshot: PolicySnapshot = { family, body, assignments: assignments.value };
  if (family === "settings_catalog") {
    snapshot.settings = [];
    for await (const settings of pages<unknown>(graph, `${base}/settings`, signal)) snapshot.settings.push(...settings);
  }
  return snapshot;
}

/** The policy object itself (for a backup taken now, not what the last sync saw), compliance actions included. */
export async function getPolicyObject(
  graph: Client,
  { family, id, signal }: { family: PolicyFamily; id: string; signal: AbortSignal },
): Promise<GraphPolicy> {
  const request = graph.api(`${FAMILY_PATHS[family]}/${id}`).version("beta").option("signal", signal);
  // Compliance actions are contained navigation properties, returned only when expanded.
  if (family !== "compliance") return (await request.get()) as GraphPolicy;
  return withoutExpandContext((await request.expand(COMPLIANCE_ACTIONS_EXPAND).get()) as GraphPolicy);
}

/** A Graph answer that retrying will not change (the item itself is the problem). */
export const isPermanent = (err: unknown): err is GraphError =>
  err instanceof GraphError &&
  err.statusCode >= 400 &&
  err.statusCode < 500 &&
  err.statusCode !== 408 &&
  err.statusCode !== 429;

export const itemFailure = (err: GraphError, item: string) => ({
  code: `graph_${err.code ?? err.statusCode}`,
  message: `Graph answered ${err.statusCode}: ${err.message}`,
  item,
});
