import type { Client, GraphError } from "@microsoft/microsoft-graph-client";
import type { PolicyFamily } from "@/db/schema";
import { INTUNE_COLLECTIONS, type IntuneCollection, typeOfObject } from "@/lib/intune/types";
import { markSeen, markUnseenDeleted, type PolicySnapshot, recordPolicies } from "@/lib/inventory/policies";
import { type GraphPolicy, isPermanent, itemFailure, pages, readPolicy } from "../intune";
import { isForbidden, typeForbiddenFailure } from "../type-access";
import type { OperationContext, OperationHandler } from "../types";

const PER_POLICY_CONCURRENCY = 4;

/**
 * inventory.sync: pages through each Intune collection once (lib/intune/types.ts), each object under
 * its own type, with its assignments (and its settings, for the catalog's kinds), records a new
 * version only when content changed, and marks what Intune no longer has as deleted. A policy Graph refuses to read is a failure of that item only; a
 * type Graph refuses to list (a permission the app lacks) is a failure of that type, whose policies
 * are then not marked deleted. When Graph refuses every type, the run fails with that refusal.
 */
export const syncInventory: OperationHandler = async (ctx: OperationContext) => {
  const graph = await ctx.graph();
  const counts = { total: 0, processed: 0, created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0 };
  const listed: PolicyFamily[] = [];
  const refused: [PolicyFamily, GraphError][] = [];
  const writes = writeBehind();
  for (const collection of INTUNE_COLLECTIONS) {
    try {
      await syncCollection(ctx, { graph, collection, counts, writes });
      listed.push(...collection.types);
    } catch (err) {
      if (!isForbidden(err)) throw err;
      for (const family of collection.types) refused.push([family, err]);
    }
  }
  await writes.drain();
  if (listed.length === 0 && refused[0]) throw refused[0][1];
  for (const [family, err] of refused) await ctx.addFailure(typeForbiddenFailure(family, err));
  counts.deleted = await markUnseenDeleted(ctx.db, { tenantId: ctx.run.tenantId, runId: ctx.run.id, families: listed });
  await ctx.progress(counts);
};

type Counts = Record<"total" | "processed" | "created" | "updated" | "unchanged" | "deleted" | "failed", number>;

async function syncCollection(
  ctx: OperationContext,
  {
    graph,
    collection,
    counts,
    writes,
  }: { graph: Client; collection: IntuneCollection; counts: Counts; writes: ReturnType<typeof writeBehind> },
) {
  for await (const listed of pages<GraphPolicy>(graph, collection.path, ctx.signal)) {
    // Kinds no type takes (enrollment configurations the console does not inventory) are not counted.
    const page = listed.flatMap((policy) => {
      const family = typeOfObject(collection, policy);
      return family ? [{ policy, family }] : [];
    });
    counts.total += page.length;
    const unreadable: string[] = [];
    const read: PolicySnapshot[] = [];
    for (let i = 0; i < page.length; i += PER_POLICY_CONCURRENCY) {
      await Promise.all(
        page.slice(i, i + PER_POLICY_CONCURRENCY).map(async ({ policy, family }) => {
          try {
            read.push(await readPolicy(graph, { family, policy, signal: ctx.signal }));
          } catch (err) {
            if (!isPermanent(err)) throw err;
            counts.failed += 1;
            counts.processed += 1;
            unreadable.push(policy.id);
            await ctx.addFailure(itemFailure(err, String(policy.displayName ?? policy.name ?? policy.id)));
          }
        }),
      );
    }
    // The page's writes together (a few statements for the whole page, not a transaction per
    // policy), behind the reads of the next page.
    await writes.queue(async () => {
      for (const result of await recordPolicies(ctx.db, {
        tenantId: ctx.run.tenantId,
        runId: ctx.run.id,
        snapshots: read,
      }))
        counts[result] += 1;
      counts.processed += read.length;
      await markSeen(ctx.db, { tenantId: ctx.run.tenantId, runId: ctx.run.id, policyIds: unreadable });
      await ctx.progress(counts);
    });
  }
}

/**
 * Writes one page at a time while the next is read, so Graph and the database work at once. A page
 * waits for the one before it to be written (at most one page is held besides the one being read);
 * a failed write fails the next `queue` or `drain`.
 */
function writeBehind() {
  let last: Promise<void> = Promise.resolve();
  return {
    async queue(write: () => Promise<void>) {
      await last;
      last = write();
      last.catch(() => {}); // its failure is raised by the next queue or drain
    },
    drain: () => last,
  };
}
