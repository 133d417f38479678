import "server-only";
import type { DbOrTx } from "@/db/client";
import type { DriftBaselineEntry } from "@/db/schema";
import { DEFAULT_SCOPE_TAG, referencesByName, scopeTagIdsOf } from "@/lib/directory/references";
import { scopeTagPropertyOf } from "@/lib/intune/types";

/**
 * The scope tag ids (`roleScopeTagIds`, a filter's `roleScopeTags`) that put a baseline entry's scope tags back in `tenantId`: an entry read in
 * this tenant keeps its ids; one from another tenant has each tag swapped for this tenant's tag of
 * the same name (scope tag caches; Default "0" is "0" everywhere). Undefined when the entry names
 * none, or when a tag has no single namesake here: the caller then leaves the policy's tags as they
 * are rather than write another tenant's numbers, which here may be other tags.
 */
export async function baselineScopeTags(
  db: DbOrTx,
  { tenantId, entry }: { tenantId: string; entry: DriftBaselineEntry },
): Promise<{ ids?: string[]; unmapped: string[] }> {
  if (!Array.isArray(entry.content[scopeTagPropertyOf(entry.family)])) return { unmapped: [] };
  const ids = scopeTagIdsOf(entry.family, entry.content);
  if (entry.sourceTenantId === tenantId) return { ids, unmapped: [] };
  const names = entry.scopeTagNames ?? {};
  const here = await referencesByName(db, { tenantId, kind: "scopeTag", names: Object.values(names) });
  const mapped: string[] = [];
  const unmapped: string[] = [];
  for (const id of ids) {
    const target = id === DEFAULT_SCOPE_TAG ? id : names[id] ? here.get(names[id]!.toLowerCase()) : undefined;
    if (target) mapped.push(target);
    else unmapped.push(names[id] ? `“${names[id]}”` : id);
  }
  return unmapped.length ? { unmapped } : { ids: mapped, unmapped };
}
