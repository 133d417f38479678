import "server-only";
import type { DbOrTx } from "@/db/client";
import type { PolicyFamily } from "@/db/schema";
import {
  assignmentFilterIds,
  DEFAULT_SCOPE_TAG,
  mapReferencesByName,
  type ReferenceKind,
  referenceNames,
  scopeTagIdsOf,
} from "@/lib/directory/references";
import { scopeTagPropertyOf } from "@/lib/intune/types";

/**
 * How a restore carries assignment filters and scope tags into the target tenant: by name, through
 * both tenants' caches (DB only, like the group mapping). Into the same tenant every id is kept.
 * Into another, a filter or tag with exactly one namesake in the target's cache gets its id; one
 * without is left out — the assignment it filters (sending it unfiltered would widen who the policy
 * reaches), or the tag — and named in the preview and the run's results. Never a source id.
 */
export type MappedReference = {
  kind: ReferenceKind;
  sourceId: string;
  /** Its name in the source tenant's cache, if cached there. */
  name: string | null;
  /** The target tenant's id of the same name (absent: left out). */
  targetId?: string;
  usedBy: string[];
};
export type ReferenceMapping = {
  crossTenant: boolean;
  /** One row per filter and custom scope tag the chosen items use (the wizard's table). */
  rows: MappedReference[];
  /** Source id → target id, by kind; into the same tenant each id maps to itself. */
  filter(id: string): { name: string | null; targetId?: string };
  scopeTag(id: string): { name: string | null; targetId?: string };
};

type Item = { family: PolicyFamily; name: string; content: Record<string, unknown> };

export async function referenceMapping(
  db: DbOrTx,
  { sourceTenantId, targetTenantId, items }: { sourceTenantId: string; targetTenantId: string; items: Item[] },
): Promise<ReferenceMapping> {
  const crossTenant = sourceTenantId !== targetTenantId;
  const usedBy = { filter: new Map<string, string[]>(), scopeTag: new Map<string, string[]>() };
  for (const item of items) {
    for (const id of new Set(assignmentFilterIds(item.content)))
      usedBy.filter.set(id, [...(usedBy.filter.get(id) ?? []), item.name]);
    for (const id of new Set(scopeTagIdsOf(item.family, item.content).filter((id) => id !== DEFAULT_SCOPE_TAG)))
      usedBy.scopeTag.set(id, [...(usedBy.scopeTag.get(id) ?? []), item.name]);
  }
  const resolve = async (kind: ReferenceKind) => {
    const ids = [...usedBy[kind].keys()];
    if (!crossTenant) {
      const names = await referenceNames(db, { tenantId: sourceTenantId, kind, ids });
      return { names, targets: new Map(ids.map((id) => [id, id])) };
    }
    return mapReferencesByName(db, { sourceTenantId, targetTenantId, kind, ids });
  };
  const [filters, tags] = await Promise.all([resolve("filter"), resolve("scopeTag")]);
  const lookup = (resolved: typeof filters, kind: ReferenceKind) => (id: string) => ({
    name: resolved.names.get(id) ?? (kind === "scopeTag" && id === DEFAULT_SCOPE_TAG ? "Default" : null),
    ...(resolved.targets.has(id) || (kind === "scopeTag" && id === DEFAULT_SCOPE_TAG)
      ? { targetId: resolved.targets.get(id) ?? id }
      : {}),
  });
  const filter = lookup(filters, "filter");
  const scopeTag = lookup(tags, "scopeTag");
  const rows = (["filter", "scopeTag"] as const).flatMap((kind) =>
    [...usedBy[kind].entries()].map(
      ([id, by]): MappedReference => ({
        kind,
        sourceId: id,
        ...(kind === "filter" ? filter(id) : scopeTag(id)),
        usedBy: by,
      }),
    ),
  );
  rows.sort((a, b) => a.kind.localeCompare(b.kind) || (a.name ?? "\uffff").localeCompare(b.name ?? "\uffff"));
  return { crossTenant, rows, filter, scopeTag };
}

/** A reference as people read it: its name in quotes, or its id when the source cache lacks it. */
export const referenceLabel = (kind: ReferenceKind, ref: { sourceId: string; name: string | null }) =>
  `${kind === "filter" ? "filter" : "scope tag"} ${ref.name ? `“${ref.name}”` : ref.sourceId}`;

/**
 * The scope tags the created policy carries: each mapped tag, the unmapped ones left out (named).
 * Graph gives a policy created without tags the Default tag, so an emptied list sends "0".
 */
export function mappedScopeTags(family: PolicyFamily, content: Record<string, unknown>, mapping: ReferenceMapping) {
  if (!Array.isArray(content[scopeTagPropertyOf(family)])) return { ids: undefined, leftOut: [] as string[] };
  const ids: string[] = [];
  const leftOut: string[] = [];
  for (const id of scopeTagIdsOf(family, content)) {
    const mapped = mapping.scopeTag(id);
    if (mapped.targetId) ids.push(mapped.targetId);
    else leftOut.push(referenceLabel("scopeTag", { sourceId: id, name: mapped.name }));
  }
  return { ids: ids.length ? [...new Set(ids)] : [DEFAULT_SCOPE_TAG], leftOut };
}
