import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { assignmentFilters, type PolicyFamily, scopeTags } from "@/db/schema";
import { intuneType, scopeTagPropertyOf } from "@/lib/intune/types";

/**
 * The caches of a tenant's Intune assignment filters and role scope tags: ids that policies and
 * their assignments name, which mean nothing in another tenant. `directory_references.sync` replaces
 * both lists at once; everything else reads them by tenant. "0" is the built-in Default scope tag,
 * the same in every tenant.
 */
export type CachedFilter = { id: string; displayName: string; platform: string | null };
export type CachedScopeTag = { id: string; displayName: string; isBuiltIn: boolean };
export type ReferenceKind = "filter" | "scopeTag";

export const DEFAULT_SCOPE_TAG = "0";

const TABLES = { filter: assignmentFilters, scopeTag: scopeTags } as const;

/**
 * Replaces the tenant's cached filters and scope tags with what one complete read of Graph listed,
 * in one transaction: a sync that fails before this keeps the previous cache whole.
 */
export async function replaceReferenceCache(
  db: DbOrTx,
  { tenantId, filters, tags }: { tenantId: string; filters: CachedFilter[]; tags: CachedScopeTag[] },
) {
  await db.transaction(async (tx) => {
    // One replace per tenant at a time: two syncs' deletes and inserts must not interleave.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('reference_cache'), hashtext(${tenantId}))`);
    await tx.delete(assignmentFilters).where(eq(assignmentFilters.tenantId, tenantId));
    await tx.delete(scopeTags).where(eq(scopeTags.tenantId, tenantId));
    for (let i = 0; i < filters.length; i += 500)
      await tx.insert(assignmentFilters).values(filters.slice(i, i + 500).map((f) => ({ ...f, tenantId })));
    for (let i = 0; i < tags.length; i += 500)
      await tx.insert(scopeTags).values(tags.slice(i, i + 500).map((t) => ({ ...t, tenantId })));
  });
}

/**
 * Writes one filter or scope tag into the tenant's cache (insert, or rename in place): one the
 * console just created or changed in Graph, so that mapping by name finds it before the next
 * `directory_references.sync`, which replaces the whole list anyway.
 */
export async function cacheReference(
  db: DbOrTx,
  {
    tenantId,
    kind,
    id,
    displayName,
    platform,
  }: { tenantId: string; kind: ReferenceKind; id: string; displayName: string; platform?: string | null },
) {
  // Stamped with the cache's last sync, not now: the summary's "last synced" stays the sync's.
  const table = TABLES[kind];
  const syncedAt = sql`coalesce((select max(${table.syncedAt}) from ${table} where ${table.tenantId} = ${tenantId}), now())`;
  if (kind === "filter")
    await db
      .insert(assignmentFilters)
      .values({ tenantId, id, displayName, platform: platform ?? null, syncedAt })
      .onConflictDoUpdate({
        target: [assignmentFilters.tenantId, assignmentFilters.id],
        set: { displayName, platform: platform ?? null },
      });
  else
    await db
      .insert(scopeTags)
      .values({ tenantId, id, displayName, isBuiltIn: false, syncedAt })
      .onConflictDoUpdate({ target: [scopeTags.tenantId, scopeTags.id], set: { displayName } });
}

/** Display names by id of the given filters or scope tags in the tenant's cache (unknown ids left out). */
export async function referenceNames(
  db: DbOrTx,
  { tenantId, kind, ids }: { tenantId: string; kind: ReferenceKind; ids: string[] },
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id) => typeof id === "string" && id.length > 0 && id.length <= 100))];
  if (!wanted.length) return new Map();
  const table = TABLES[kind];
  const rows = await db
    .select({ id: table.id, name: table.displayName })
    .from(table)
    .where(and(eq(table.tenantId, tenantId), inArray(table.id, wanted)));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * The tenant's filter or scope tag of each name (case-insensitive), or null where two share it:
 * either could be the wrong one. Names without any match are absent.
 */
export async function referencesByName(
  db: DbOrTx,
  { tenantId, kind, names }: { tenantId: string; kind: ReferenceKind; names: string[] },
): Promise<Map<string, string | null>> {
  const wanted = [...new Set(names.map((n) => n.toLowerCase()))];
  if (!wanted.length) return new Map();
  const table = TABLES[kind];
  const rows = await db
    .select({ id: table.id, name: table.displayName })
    .from(table)
    .where(and(eq(table.tenantId, tenantId), inArray(sql`lower(${table.displayName})`, wanted)));
  const byName = new Map<string, string | null>();
  for (const row of rows) {
    const name = row.name.toLowerCase();
    byName.set(name, byName.has(name) ? null : row.id);
  }
  return byName;
}

/**
 * Maps ids of one tenant to the other tenant's ids of the same name through both caches. The
 * Default scope tag maps to itself. An id whose name is unknown in the source, or has no single
 * namesake in the target, is absent from the result.
 */
export async function mapReferencesByName(
  db: DbOrTx,
  {
    sourceTenantId,
    targetTenantId,
    kind,
    ids,
    sourceNames,
  }: {
    sourceTenantId: string;
    targetTenantId: string;
    kind: ReferenceKind;
    ids: string[];
    /** Names already known (a baseline's copy); otherwise read from the source's cache. */
    sourceNames?: Map<string, string>;
  },
): Promise<{ names: Map<string, string>; targets: Map<string, string> }> {
  const names = sourceNames ?? (await referenceNames(db, { tenantId: sourceTenantId, kind, ids }));
  const byName = await referencesByName(db, { tenantId: targetTenantId, kind, names: [...names.values()] });
  const targets = new Map<string, string>();
  for (const id of ids) {
    if (kind === "scopeTag" && id === DEFAULT_SCOPE_TAG) {
      targets.set(id, id);
      continue;
    }
    const name = names.get(id);
    const target = name ? byName.get(name.toLowerCase()) : undefined;
    if (target) targets.set(id, target);
  }
  return { names, targets };
}

/** How many filters and scope tags the tenant's cache holds, and when it was last filled. */
export async function referenceCacheSummary(db: DbOrTx, tenantId: string) {
  const { rows } = await db.execute<{ filters: number; tags: number; synced_at: string | null }>(sql`
    select (select count(*)::int from ${assignmentFilters} where ${assignmentFilters.tenantId} = ${tenantId}) as filters,
           (select count(*)::int from ${scopeTags} where ${scopeTags.tenantId} = ${tenantId}) as tags,
           (select max(${scopeTags.syncedAt}) from ${scopeTags} where ${scopeTags.tenantId} = ${tenantId}) as synced_at`);
  const row = rows[0];
  return {
    filters: row?.filters ?? 0,
    tags: row?.tags ?? 0,
    syncedAt: row?.synced_at ? new Date(row.synced_at) : null,
  };
}

/** The filter ids a policy's assignments name (with a filter type other than "none"). */
export function assignmentFilterIds(content: Record<string, unknown>): string[] {
  const assignments = Array.isArray(content.assignments) ? content.assignments : [];
  return assignments.flatMap((a) => {
    const target = (a as { target?: Record<string, unknown> }).target ?? {};
    const id = target.deviceAndAppManagementAssignmentFilterId;
    const type = target.deviceAndAppManagementAssignmentFilterType;
    return typeof id === "string" && id && type !== "none" ? [id] : [];
  });
}

/** The scope tag ids on an object, in the property its type keeps them in (`scopeTagProperty`). */
export function scopeTagIdsOf(family: PolicyFamily, content: Record<string, unknown>): string[] {
  const ids = content[scopeTagPropertyOf(family)];
  return Array.isArray(ids) ? ids.map(String) : [];
}

/**
 * After a restore or Revert wrote an object of a type others reference (`referenceKind`: a filter,
 * a scope tag) in `tenantId`: its id and name in that tenant's cache. Other types: nothing.
 */
export async function cacheCreatedReference(
  db: DbOrTx,
  { tenantId, family, id, body }: { tenantId: string; family: PolicyFamily; id: string; body: Record<string, unknown> },
) {
  const kind = intuneType(family).referenceKind;
  if (!kind || typeof body.displayName !== "string") return;
  const platform = typeof body.platform === "string" ? body.platform : null;
  await cacheReference(db, { tenantId, kind, id, displayName: body.displayName, platform });
}
