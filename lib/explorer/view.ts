import "server-only";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { intuneObjectId } from "@/lib/intune/object-id";
import { listPolicies } from "@/lib/inventory/queries";
import { requireTenantAccess } from "@/lib/tenants/access";
import { assignmentsForGroup, assignmentsOfPolicy, cachedGroup, searchGroupsByPrefix } from "./queries";

/** The explorer's selection, as the URL holds it (shareable); anything malformed is simply not selected. */
export const explorerSelectionSchema = z.object({
  /** Group search. */
  q: z.string().trim().max(100).optional().catch(undefined),
  /** Policy search. */
  pq: z.string().trim().max(100).optional().catch(undefined),
  group: z.uuid().optional().catch(undefined),
  policy: intuneObjectId.optional().catch(undefined),
});
export type ExplorerSelection = z.infer<typeof explorerSelectionSchema>;

/**
 * What the explorer shows for a selection, read from the database only, after checking the user
 * may view the tenant (viewer): the group search's matches, the picked group's assignments, or the
 * picked policy's targets. The page and the CSV export both read through here.
 */
export async function readExplorerView(
  db: DbOrTx,
  {
    userId,
    tenantId,
    selection,
    limit,
  }: {
    userId: string;
    tenantId: string;
    selection: ExplorerSelection /** Rows of a group's view (the page caps it, the export does not). */;
    limit?: number;
  },
) {
  await requireTenantAccess(db, { userId, tenantId, minRole: "viewer" });
  const [matches, policyMatches, group, policy] = await Promise.all([
    selection.q ? searchGroupsByPrefix(db, { tenantId, q: selection.q }).then((items) => ({ items })) : null,
    selection.pq ? listPolicies(db, { tenantId, filters: { q: selection.pq }, pageSize: 25 }) : null,
    selection.group
      ? Promise.all([
          cachedGroup(db, { tenantId, groupId: selection.group }),
          assignmentsForGroup(db, { tenantId, groupId: selection.group, limit }),
        ]).then(([g, assignments]) => (g ? { group: g, ...assignments } : null))
      : null,
    selection.policy ? assignmentsOfPolicy(db, { tenantId, policyId: selection.policy }) : null,
  ]);
  return { matches, policyMatches, group, policy };
}
