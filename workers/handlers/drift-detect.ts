import type { Client, GraphError } from "@microsoft/microsoft-graph-client";
import type { DriftBaselineEntry, PolicyFamily } from "@/db/schema";
import { assignmentFilterIds, referenceNames, scopeTagIdsOf } from "@/lib/directory/references";
import { baselineEntriesOf } from "@/lib/drift/baseline";
import { type ComparedPolicy, comparePolicies } from "@/lib/drift/compare";
import { type FindingInput, groupNamesIn, referencedGroupIds, replaceRunFindings } from "@/lib/drift/findings";
import { type GroupKeying, normalizePolicy } from "@/lib/drift/normalize";
import { INTUNE_COLLECTIONS, INTUNE_TYPE_KEYS, type IntuneCollection, typeOfObject } from "@/lib/intune/types";
import { snapshotContent } from "@/lib/inventory/policies";
import { OperationError } from "@/lib/operations/errors";
import { type GraphPolicy, isPermanent, itemFailure, pages, readPolicy } from "../intune";
import { isForbidden, typeForbiddenFailure } from "../type-access";
import type { OperationContext, OperationHandler } from "../types";

const PER_POLICY_CONCURRENCY = 4;

type CurrentPolicy = { policyId: string; family: PolicyFamily; name: string; content: Record<string, unknown> };

/**
 * Every policy of the tenant as Intune has it now (like a backup), the ones Graph refused to read,
 * and the types Graph refused to list (named failures; when it refuses every type, the run fails).
 */
async function readTenant(ctx: OperationContext) {
  const graph = await ctx.graph();
  let current: CurrentPolicy[] = [];
  const unreadable: { family: PolicyFamily; policyId: string; name: string }[] = [];
  const refused = new Map<PolicyFamily, GraphError>();
  for (const collection of INTUNE_COLLECTIONS) {
    try {
      await readCollection(ctx, { graph, collection, current, unreadable });
    } catch (err) {
      if (!isForbidden(err)) throw err;
      for (const family of collection.types) refused.set(family, err);
    }
  }
  const [first] = refused.values();
  if (first && refused.size === INTUNE_TYPE_KEYS.length) throw first;
  for (const [family, err] of refused) await ctx.addFailure(typeForbiddenFailure(family, err));
  // A type read in part (refused on a later page) is left out whole: what was read is not all there is.
  current = current.filter((c) => !refused.has(c.family));
  return { current, unreadable, refused: new Set(refused.keys()) };
}

async function readCollection(
  ctx: OperationContext,
  {
    graph,
    collection,
    current,
    unreadable,
  }: {
    graph: Client;
    collection: IntuneCollection;
    current: CurrentPolicy[];
    unreadable: { family: PolicyFamily; policyId: string; name: string }[];
  },
) {
  for await (const page of pages<GraphPolicy>(graph, collection.path, ctx.signal)) {
    for (let i = 0; i < page.length; i += PER_POLICY_CONCURRENCY) {
      await Promise.all(
        page.slice(i, i + PER_POLICY_CONCURRENCY).map(async (policy) => {
          const family = typeOfObject(collection, policy);
          if (!family) return; // a kind no type takes: not inventoried, not compared
          const name = String(policy.displayName ?? policy.name ?? "(unnamed)");
          try {
            const snapshot = await readPolicy(graph, { family, policy, signal: ctx.signal });
            current.push({ policyId: policy.id, family, name, content: snapshotContent(snapshot).content });
          } catch (err) {
            if (!isPermanent(err)) throw err;
            unreadable.push({ family, policyId: policy.id, name });
            await ctx.addFailure(itemFailure(err, name));
          }
        }),
      );
    }
  }
}

/**
 * drift.detect: reads the tenant now and compares it, setting by setting, with its baseline entries
 * (lib/drift/compare.ts). Findings are written in one transaction at the end, replacing any an
 * earlier attempt of this run wrote; a policy Graph refused to read is a named failure and is
 * neither reported as missing nor compared.
 */
export const detectDrift: OperationHandler = async (ctx) => {
  const tenantId = ctx.run.tenantId;
  const entries = await baselineEntriesOf(ctx.db, tenantId);
  if (entries.length === 0)
    throw new OperationError("no_baseline", "This tenant has no drift baseline: choose a backup set as its baseline.");
  const { current, unreadable, refused } = await readTenant(ctx);
  ctx.signal.throwIfAborted();

  const skipped = new Set(unreadable.flatMap((u) => [`${u.family}\n${u.policyId}`, `${u.family}\n${u.name}`]));
  // A type Graph refused to list is neither compared nor called missing.
  const compared = entries.filter(
    (e) =>
      !refused.has(e.family) && !skipped.has(`${e.family}\n${e.policyId}`) && !skipped.has(`${e.family}\n${e.name}`),
  );
  // Group ids mean something only in their own tenant's cache: each side is named in its own.
  const currentNames = await groupNamesIn(
    ctx.db,
    tenantId,
    current.flatMap((c) => referencedGroupIds(c.content)),
  );
  // An entry from another tenant carries its group names from when it was copied (that tenant may
  // be gone); this tenant's own entries are named in its cache now, like the current side.
  const ownNames = await groupNamesIn(
    ctx.db,
    tenantId,
    compared.filter((e) => e.sourceTenantId === tenantId).flatMap((e) => referencedGroupIds(e.content)),
  );
  // Filters likewise: this tenant's cache names both sides, except another tenant's entries, which
  // carry the names their own cache had (filterNames).
  const filterNames = await referenceNames(ctx.db, {
    tenantId,
    kind: "filter",
    ids: [...current, ...compared].flatMap((p) => assignmentFilterIds(p.content ?? {})),
  });
  const tagNames = await referenceNames(ctx.db, {
    tenantId,
    kind: "scopeTag",
    ids: [...current, ...compared].flatMap((p) => scopeTagIdsOf(p.family, p.content ?? {})),
  });
  const filterHere = (id: string) => filterNames.get(id);
  const tagHere = (id: string) => tagNames.get(id);
  // Notification templates by name: this tenant's as read now, another tenant's as its baseline holds them.
  // The current side last, so a template this tenant renamed since an Accept goes by its name now.
  const templateNames = new Map(
    [...compared, ...current]
      .filter((p) => p.family === "notification_message_template")
      .map((p) => [`${"sourceTenantId" in p ? p.sourceTenantId : tenantId}\n${p.policyId}`, p.name]),
  );
  const templateIn = (sourceTenantId: string) => (id: string) => templateNames.get(`${sourceTenantId}\n${id}`);
  const currentRefs = { group: currentNames, filter: filterHere, scopeTag: tagHere, template: templateIn(tenantId) };
  const keyingOf = (entry: DriftBaselineEntry): GroupKeying => (entry.sourceTenantId === tenantId ? "id" : "name");
  const namesOf = (entry: DriftBaselineEntry) =>
    entry.sourceTenantId === tenantId
      ? { group: ownNames, filter: filterHere, scopeTag: tagHere, template: templateIn(tenantId) }
      : {
          group: (id: string) => entry.groupNames[id],
          filter: (id: string) => entry.filterNames[id],
          scopeTag: (id: string) => entry.scopeTagNames[id],
          template: templateIn(entry.sourceTenantId),
        };
  const baseline: (ComparedPolicy & { entry: DriftBaselineEntry })[] = compared.map((entry) => ({
    entry,
    policyId: entry.policyId,
    family: entry.family,
    name: entry.name,
    foreign: entry.sourceTenantId !== tenantId,
    normalized: normalizePolicy(entry.family, entry.content, namesOf(entry), keyingOf(entry)),
  }));
  const now: (ComparedPolicy & { content: Record<string, unknown> })[] = current.map((c) => ({
    ...c,
    normalized: normalizePolicy(c.family, c.content, currentRefs),
  }));
  const result = comparePolicies(baseline, now, (c, b) =>
    keyingOf(b.entry) === "name" ? c.normalized : normalizePolicy(c.family, c.content, currentRefs, "id"),
  );

  const findings: FindingInput[] = [
    ...result.changed.map(({ baseline: b, current: c, changes }) => ({
      kind: "changed" as const,
      family: c.family,
      name: c.name,
      policyId: c.policyId,
      baselineEntryId: b.entry.id,
      changes,
      currentContent: c.content,
    })),
    ...result.missing.map((b) => ({
      kind: "missing" as const,
      family: b.family,
      name: b.name,
      policyId: null,
      baselineEntryId: b.entry.id,
      changes: [],
      currentContent: null,
    })),
    ...result.added.map((c) => ({
      kind: "new" as const,
      family: c.family,
      name: c.name,
      policyId: c.policyId,
      baselineEntryId: null,
      changes: [],
      currentContent: c.content,
    })),
  ];
  await replaceRunFindings(ctx.db, { tenantId, runId: ctx.run.id, findings });
  await ctx.progress({
    changed: result.changed.length,
    missing: result.missing.length,
    new: result.added.length,
    unchanged: result.unchanged,
    failed: unreadable.length,
  });
};
