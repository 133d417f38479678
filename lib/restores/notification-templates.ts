import "server-only";
import { and, eq, inArray, not, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { policies } from "@/db/schema";
import type { TemplateMatch } from "./references";

const TEMPLATE = "notification_message_template" as const;

/**
 * The target tenant's notification message templates for the source's, by name: a compliance
 * notification names its template by id, which means nothing in another tenant. The source's name
 * comes from its inventory (a deleted template keeps its last name there), the target's templates
 * of that name (case-insensitive, not deleted) from the target's inventory: database only, like
 * the group mapping from the directory cache. One namesake maps; none or several are named by the
 * plan (lib/restores/references.ts).
 */
export async function notificationTemplateMatches(
  db: DbOrTx,
  { sourceTenantId, targetTenantId, ids }: { sourceTenantId: string; targetTenantId: string; ids: string[] },
): Promise<Map<string, TemplateMatch>> {
  if (!ids.length) return new Map();
  const sources = await db
    .select({ id: policies.id, name: policies.name })
    .from(policies)
    .where(and(eq(policies.tenantId, sourceTenantId), eq(policies.family, TEMPLATE), inArray(policies.id, ids)));
  const names = new Map(sources.map((s) => [s.id, s.name]));
  const wanted = [...new Set(sources.map((s) => s.name.toLowerCase()))];
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
      const name = names.get(id) ?? null;
      const targetIds = name ? targets.filter((t) => t.name.toLowerCase() === name.toLowerCase()).map((t) => t.id) : [];
      return [id, { name, targetIds: targetIds.sort() }];
    }),
  );
}
