import type { CachedFilter, CachedScopeTag } from "@/lib/directory/references";
import { replaceReferenceCache } from "@/lib/directory/references";
import { pages } from "../intune";
import type { OperationHandler } from "../types";

type GraphFilter = { id: string; displayName?: string; platform?: string | null };
type GraphScopeTag = { id: string; displayName?: string; isBuiltIn?: boolean };

/**
 * directory_references.sync: reads every page of the tenant's assignment filters and role scope
 * tags (beta) and replaces both caches in one transaction at the end. The lists are small (tens to
 * hundreds), so a full read each time is simpler than delta state; an attempt that fails midway
 * writes nothing, and its retry reads again from the first page.
 */
export const syncDirectoryReferences: OperationHandler = async (ctx) => {
  const graph = await ctx.graph();
  const filters: CachedFilter[] = [];
  const tags: CachedScopeTag[] = [];
  for await (const page of pages<GraphFilter>(graph, "/deviceManagement/assignmentFilters", ctx.signal)) {
    for (const f of page) filters.push({ id: f.id, displayName: f.displayName ?? f.id, platform: f.platform ?? null });
    await ctx.progress({ filters: filters.length, scope_tags: 0 });
  }
  for await (const page of pages<GraphScopeTag>(graph, "/deviceManagement/roleScopeTags", ctx.signal)) {
    for (const t of page) tags.push({ id: t.id, displayName: t.displayName ?? t.id, isBuiltIn: t.isBuiltIn === true });
    await ctx.progress({ filters: filters.length, scope_tags: tags.length });
  }
  ctx.signal.throwIfAborted();
  // A page Graph listed twice (a retried request) must not insert one id twice.
  const unique = <T extends { id: string }>(list: T[]) => [...new Map(list.map((x) => [x.id, x])).values()];
  await replaceReferenceCache(ctx.db, { tenantId: ctx.run.tenantId, filters: unique(filters), tags: unique(tags) });
  await ctx.progress({ filters: filters.length, scope_tags: tags.length });
};
