import "server-only";
import type { DbOrTx } from "@/db/client";

/**
 * Display names of assignment filters and scope tags by id. Their caches (`assignment_filters`,
 * `scope_tags`) are another change's; until they are joined here the explorer shows ids, so this is
 * the one place that learns the names. An id without a name shows as itself.
 */
export async function resolveReferenceNames(
  db: DbOrTx,
  refs: { tenantId: string; filterIds: string[]; scopeTagIds: string[] },
): Promise<{ filters: Map<string, string>; scopeTags: Map<string, string> }> {
  void db;
  void refs;
  // Scope tag "0" is Intune's built-in Default tag in every tenant.
  return { filters: new Map(), scopeTags: new Map(refs.scopeTagIds.includes("0") ? [["0", "Default"]] : []) };
}
