import { GraphError } from "@microsoft/microsoft-graph-client";
import { applyGroupPage, GROUP_SELECT, groupsDeltaLink, saveGroupsDeltaLink, type GraphGroup } from "@/lib/directory/groups";
import type { OperationHandler } from "../types";

type DeltaPage = { value: GraphGroup[]; "@odata.nextLink"?: string; "@odata.deltaLink"?: string };

/**
 * directory_groups.sync: fills the Entra group cache with Graph's delta query. The first round
 * walks every group (its total asked for up front, for the progress bar); later rounds start from
 * the stored deltaLink and see only what was added, changed or removed. The deltaLink is stored
 * only when a round completes, so an interrupted round is simply done again.
 */
export const syncDirectoryGroups: OperationHandler = async (ctx) => {
  const graph = await ctx.graph();
  const stored = await groupsDeltaLink(ctx.db, ctx.run.tenantId);
  const counts = { processed: 0, added: 0, updated: 0, removed: 0, unchanged: 0, pages: 0 };
  const report = (extra: Record<string, number> = {}) => ctx.progress({ ...counts, ...extra });

  let url = stored ?? `/groups/delta?$select=${GROUP_SELECT}`;
  if (!stored) {
    const total = (await graph.api("/groups").header("ConsistencyLevel", "eventual").query({ $count: "true", $top: "1", $select: "id" }).get()) as {
      "@odata.count"?: number;
    };
    if (typeof total["@odata.count"] === "number") await report({ total: total["@odata.count"] });
  }

  for (;;) {
    ctx.signal.throwIfAborted();
    let page: DeltaPage;
    try {
      page = (await graph.api(url).option("signal", ctx.signal).get()) as DeltaPage;
    } catch (err) {
      // Graph forgot the sync state (token too old): start a full round next time.
      if (stored && url === stored && err instanceof GraphError && err.statusCode === 410) {
        await saveGroupsDeltaLink(ctx.db, ctx.run.tenantId, null);
      }
      throw err;
    }
    const applied = await applyGroupPage(ctx.db, ctx.run.tenantId, page.value);
    counts.processed += page.value.length;
    counts.added += applied.added;
    counts.updated += applied.updated;
    counts.removed += applied.removed;
    counts.unchanged += applied.unchanged;
    counts.pages += 1;
    await report();
    if (page["@odata.nextLink"]) {
      url = page["@odata.nextLink"];
      continue;
    }
    if (!page["@odata.deltaLink"]) throw new Error("Graph ended the delta round without a deltaLink.");
    await saveGroupsDeltaLink(ctx.db, ctx.run.tenantId, page["@odata.deltaLink"]);
    return;
  }
};
