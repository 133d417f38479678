import "server-only";
import type { DbOrTx } from "@/db/client";
import { DEFAULT_SCOPE_TAG, referenceNames } from "@/lib/directory/references";

/**
 * Display names of assignment filters and scope tags by id, from the tenant's caches
 * (`directory_references.sync`). An id the cache does not know shows as itself.
 */
export async function resolveReferenceNames(
  db: DbOrTx,
  { tenantId, filterIds, scopeTagIds }: { tenantId: string; filterIds: string[]; scopeTagIds: string[] },
): Promise<{ filters: Map<string, string>; scopeTags: Map<string, string> }> {
  const [filters, scopeTags] = await Promise.all([
    referenceNames(db, { tenantId, kind: "filter", ids: filterIds }),
    referenceNames(db, { tenantId, kind: "scopeTag", ids: scopeTagIds }),
  ]);
  // Scope tag "0" is Intune's built-in Default tag in every tenant, cached or not.
  if (scopeTagIds.includes(DEFAULT_SCOPE_TAG) && !scopeTags.has(DEFAULT_SCOPE_TAG))
    scopeTags.set(DEFAULT_SCOPE_TAG, "Default");
  return { filters, scopeTags };
}
