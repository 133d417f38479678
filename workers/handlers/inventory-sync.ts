import { GraphError, type Client } from "@microsoft/microsoft-graph-client";
import type { PolicyFamily } from "@/db/schema";
import { markSeen, markUnseenDeleted, recordPolicy, type PolicySnapshot } from "@/lib/inventory/policies";
import type { OperationContext, OperationHandler } from "../types";

type Page<T> = { value: T[]; "@odata.nextLink"?: string };
type GraphPolicy = Record<string, unknown> & { id: string; displayName?: string; name?: string };

const FAMILIES: { family: PolicyFamily; path: string }[] = [
  { family: "device_configuration", path: "/deviceManagement/deviceConfigurations" },
  { family: "compliance", path: "/deviceManagement/deviceCompliancePolicies" },
  { family: "settings_catalog", path: "/deviceManagement/configurationPolicies" },
];
const PER_POLICY_CONCURRENCY = 4;

/** Every page of a collection, one page in memory at a time (absolute https nextLinks followed). */
async function* pages<T>(graph: Client, path: string, signal: AbortSignal): AsyncGenerator<T[]> {
  let url: string | undefined = path;
  while (url) {
    signal.throwIfAborted();
    const page = (await graph.api(url).version("beta").option("signal", signal).get()) as Page<T>;
    yield page.value;
    url = page["@odata.nextLink"];
  }
}

async function readPolicy(graph: Client, family: { family: PolicyFamily; path: string }, policy: GraphPolicy, signal: AbortSignal): Promise<PolicySnapshot> {
  const base = `${family.path}/${policy.id}`;
  const assignments = (await graph.api(`${base}/assignments`).version("beta").option("signal", signal).get()) as Page<{ target?: Record<string, unknown> }>;
  const snapshot: PolicySnapshot = { family: family.family, body: policy, assignments: assignments.value };
  if (family.family === "settings_catalog") {
    snapshot.settings = [];
    for await (const settings of pages<unknown>(graph, `${base}/settings`, signal)) snapshot.settings.push(...settings);
  }
  return snapshot;
}

/** A Graph answer that retrying will not change (the policy itself is the problem). */
const permanent = (err: unknown) => err instanceof GraphError && err.statusCode >= 400 && err.statusCode < 500 && err.statusCode !== 408 && err.statusCode !== 429;

/**
 * inventory.sync: pages through the three policy families with each policy's assignments (and the
 * settings catalog's settings), records a new version only when content changed, and marks what
 * Intune no longer has as deleted. A policy Graph refuses to read is a failure of that item only.
 */
export const syncInventory: OperationHandler = async (ctx: OperationContext) => {
  const graph = await ctx.graph();
  const counts = { total: 0, processed: 0, created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0 };
  for (const family of FAMILIES) {
    for await (const page of pages<GraphPolicy>(graph, family.path, ctx.signal)) {
      counts.total += page.length;
      const unreadable: string[] = [];
      for (let i = 0; i < page.length; i += PER_POLICY_CONCURRENCY) {
        await Promise.all(
          page.slice(i, i + PER_POLICY_CONCURRENCY).map(async (policy) => {
            try {
              const result = await recordPolicy(ctx.db, ctx.run.tenantId, ctx.run.id, await readPolicy(graph, family, policy, ctx.signal));
              counts[result] += 1;
            } catch (err) {
              if (!permanent(err)) throw err;
              counts.failed += 1;
              unreadable.push(policy.id);
              const e = err as GraphError;
              await ctx.addFailure({ code: `graph_${e.code ?? e.statusCode}`, message: `Graph answered ${e.statusCode}: ${e.message}`, item: String(policy.displayName ?? policy.name ?? policy.id) });
            } finally {
              counts.processed += 1;
            }
          }),
        );
      }
      await markSeen(ctx.db, ctx.run.tenantId, ctx.run.id, unreadable);
      await ctx.progress(counts);
    }
  }
  counts.deleted = await markUnseenDeleted(ctx.db, ctx.run.tenantId, ctx.run.id);
  await ctx.progress(counts);
};
