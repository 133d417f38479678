import { GraphError } from "@microsoft/microsoft-graph-client";
import { lazyCommit } from "@/db/lazy-commit";
import {
  applyGroupPage,
  GROUP_SELECT,
  type GraphGroup,
  groupsDeltaLink,
  markUnlistedGroupsDeleted,
  saveGroupsDeltaLink,
} from "@/lib/directory/groups";
import { applyMembershipPage, dropUnlistedMemberships } from "@/lib/directory/memberships";
import { requestForStoredLink, storableGraphLink } from "@/lib/graph/links";
import { isNoAnswer } from "@/lib/graph/unreachable";
import type { OperationHandler } from "../types";

type DeltaPage = { value: GraphGroup[]; "@odata.nextLink"?: string; "@odata.deltaLink"?: string };
/** Delta entries written in one statement and commit (Graph's pages hold about 100). */
const ENTRIES_PER_WRITE = 1_000;

/**
 * directory_groups.sync: fills the Entra group cache with Graph's delta query. The first round
 * walks every group (its total asked for up front, for the progress bar); later rounds start from
 * the stored deltaLink and see only what was added, changed or removed. The deltaLink is stored
 * only when a round completes, so an interrupted round is simply done again; a deltaLink Graph no
 * longer honours, or that gets no answer while Graph answers otherwise, turns the run into a full
 * round. The link is stored without its host (see `storableGraphLink`), so a changed Graph address
 * does not strand it.
 */
/**
 * Graph gives up a sync state two ways: a deltaLink older than its seven-day lifetime is answered
 * 400 `syncStateNotFound`, and a synchronization reset is 410 Gone (delta query overview). Both
 * mean the same here: start again with a full round.
 */
export const isLostSyncState = (err: unknown) =>
  err instanceof GraphError &&
  (err.statusCode === 410 || (err.statusCode === 400 && err.code?.toLowerCase() === "syncstatenotfound"));

export const syncDirectoryGroups: OperationHandler = async (ctx) => {
  const graph = await ctx.graph();
  const stored = await groupsDeltaLink(ctx.db, ctx.run.tenantId);
  const counts: Record<string, number> = {
    processed: 0,
    added: 0,
    updated: 0,
    removed: 0,
    unchanged: 0,
    pages: 0,
    nestingAdded: 0,
    nestingRemoved: 0,
  };
  const report = (extra: Record<string, number> = {}) => ctx.progress({ ...counts, ...extra });

  // `members` tracks membership: each group's members in `members@delta` (group-delta).
  const fullRound = `/groups/delta?$select=${GROUP_SELECT},members`;
  let url = stored ?? fullRound;
  // In a full round every live group and nesting edge is listed; what is not listed is gone. Ids only (50k ≈ 2 MB).
  let listed: Set<string> | undefined = stored ? undefined : new Set();
  let listedEdges: Set<string> | undefined = stored ? undefined : new Set();
  const countAll = async () => {
    const total = (await graph
      .api("/groups")
      .header("ConsistencyLevel", "eventual")
      .query({ $count: "true", $top: "1", $select: "id" })
      .get()) as {
      "@odata.count"?: number;
    };
    if (typeof total["@odata.count"] === "number") await report({ total: total["@odata.count"] });
  };
  if (!stored) await countAll();

  // Entries of consecutive pages written together: applying them folded in their order is what
  // applying each page in turn does (a later entry of a group wins), in fewer commits.
  let pending: GraphGroup[] = [];
  const writePending = async () => {
    const entries = pending;
    pending = [];
    // One commit per write, which the deltaLink's own commit at the end makes durable (db/lazy-commit.ts).
    const { applied, nesting } = await lazyCommit(ctx.db, async (tx) => ({
      applied: await applyGroupPage(tx, ctx.run.tenantId, entries),
      nesting: await applyMembershipPage(tx, ctx.run.tenantId, entries),
    }));
    for (const g of entries) listed?.add(g.id);
    for (const edge of nesting.listed) listedEdges?.add(edge);
    counts.nestingAdded! += nesting.added;
    counts.nestingRemoved! += nesting.removed;
    for (const key of ["added", "updated", "removed", "unchanged"] as const) counts[key]! += applied[key];
    counts.processed! += entries.length;
    await report();
  };
  const get = (link: string) => graph.api(link).option("signal", ctx.signal).get() as Promise<DeltaPage>;
  // The next page, asked for while this one is written: Graph's answer and the writes overlap.
  let next: Promise<DeltaPage> | undefined;
  for (;;) {
    ctx.signal.throwIfAborted();
    let page: DeltaPage;
    try {
      const request = stored && url === stored ? requestForStoredLink(graph, stored) : graph.api(url);
      page = await (next ?? (request.option("signal", ctx.signal).get() as Promise<DeltaPage>));
    } catch (err) {
      if (!stored || url !== stored) throw err;
      // Graph no longer knows the stored sync state, or the stored link gets no answer while Graph
      // answers the count: forget the link and do a full round now. When Graph answers nothing,
      // the attempt fails (to be retried) and keeps the link.
      const lost = isLostSyncState(err);
      if (
        !lost &&
        !(
          isNoAnswer(err) &&
          (await countAll().then(
            () => true,
            () => false,
          ))
        )
      )
        throw err;
      await saveGroupsDeltaLink(ctx.db, ctx.run.tenantId, null);
      url = fullRound;
      listed = new Set();
      listedEdges = new Set();
      counts.resyncs = 1;
      if (lost) await countAll();
      continue;
    }
    next = page["@odata.nextLink"] ? get(page["@odata.nextLink"]) : undefined;
    // Awaited in the next round; a write failing first leaves it to fail unheard.
    next?.catch(() => {});
    pending.push(...page.value);
    counts.pages! += 1;
    if (pending.length >= ENTRIES_PER_WRITE || !page["@odata.nextLink"]) await writePending();
    if (page["@odata.nextLink"]) {
      url = page["@odata.nextLink"];
      continue;
    }
    if (!page["@odata.deltaLink"]) throw new Error("Graph ended the delta round without a deltaLink.");
    if (listed) {
      counts.removed! += await markUnlistedGroupsDeleted(ctx.db, ctx.run.tenantId, listed);
      counts.nestingRemoved! += await dropUnlistedMemberships(ctx.db, ctx.run.tenantId, listedEdges ?? new Set());
      await report();
    }
    await saveGroupsDeltaLink(ctx.db, ctx.run.tenantId, storableGraphLink(page["@odata.deltaLink"]));
    return;
  }
};
