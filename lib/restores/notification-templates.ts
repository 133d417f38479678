import "server-only";
import { and, eq, inArray, not, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { driftBaselineEntries, policies } from "@/db/schema";
import type { TemplateMatch } from "./references";

const TEMPLATE = "notification_message_template" as const;

/**
 * The target tenant's notification message templates for the source's, by name: a compliance
 * notification names its template by id, which means nothing in another tenant. `sourceNames` are
 * the source templates' names (templateNamesInInventory, or a baseline's copies); the target's
 * templates of each name (case-insensitive, not deleted) come from the target's inventory: database
 * only, like the group mapping from the directory cache. One namesake maps; none or several are
 * named by the plan (lib/restores/references.ts).
 */
export async function notificationTemplateMatches(
  db: DbOrTx,
  { targetTenantId, ids, sourceNames }: { targetTenantId: string; ids: string[]; sourceNames: Map<string, string> },
): Promise<Map<string, TemplateMatch>> {
  const wanted = [...new Set([...sourceNames.values()].map((n) => n.toLowerCase()))];
  const targets = wanted.length
    ? await db
        .select({ id: policies.id, name: policies.name })
        .from(policies)
        .where(
          and(
            eq(policies.tenantId, targetTenantId),
            eq(policies.family, TEMPLATE),
            not(policies.deleted),
            inArray(sql`lower(${policies.name})`, wanted),
          ),
        )
    : [];
  return new Map(
    ids.map((id) => {
      const name = sourceNames.get(id) ?? null;
      const targetIds = name ? targets.filter((t) => t.name.toLowerCase() === name.toLowerCase()).map((t) => t.id) : [];
      return [id, { name, targetIds: targetIds.sort() }];
    }),
  );
}

/** Names of a tenant's templates in its inventory (a deleted template keeps its last name there). */
export async function templateNamesInInventory(
  db: DbOrTx,
  { tenantId, ids }: { tenantId: string; ids: string[] },
): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: policies.id, name: policies.name })
    .from(policies)
    .where(and(eq(policies.tenantId, tenantId), eq(policies.family, TEMPLATE), inArray(policies.id, ids)));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Names of another tenant's templates as a drift baseline copied them (that tenant may be gone),
 * else as its inventory holds them.
 */
export async function templateNamesInBaseline(
  db: DbOrTx,
  { tenantId, sourceTenantId, ids }: { tenantId: string; sourceTenantId: string; ids: string[] },
): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: driftBaselineEntries.policyId, name: driftBaselineEntries.name })
    .from(driftBaselineEntries)
    .where(
      and(
        eq(driftBaselineEntries.tenantId, tenantId),
        eq(driftBaselineEntries.sourceTenantId, sourceTenantId),
        eq(driftBaselineEntries.family, TEMPLATE),
        inArray(driftBaselineEntries.policyId, ids),
      ),
    );
  const names = new Map(rows.map((r) => [r.id, r.name]));
  const rest = ids.filter((id) => !names.has(id));
  for (const [id, name] of await templateNamesInInventory(db, { tenantId: sourceTenantId, ids: rest }))
    names.set(id, name);
  return names;
}
