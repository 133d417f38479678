import "server-only";
import { and, asc, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { entraGroups, policies, policyFamily, policyVersions } from "@/db/schema";
import type { MembershipRole } from "@/db/schema/enums";
import { NotFoundError } from "@/lib/errors";
import { isIntuneObjectId } from "@/lib/intune/object-id";
import { policyContentFor } from "@/lib/secrets/policy-masking";

export { TYPE_LABELS as FAMILY_LABELS } from "@/lib/intune/types";

export const policyFiltersSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  family: z.enum(policyFamily.enumValues).optional().catch(undefined),
  platform: z.enum(["Windows", "iOS", "Android", "macOS", "Other"]).optional().catch(undefined),
  assigned: z.enum(["yes", "no"]).optional().catch(undefined),
  deleted: z.enum(["only", "include"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});
export type PolicyFilters = z.infer<typeof policyFiltersSchema>;

/** The tenant's policies by name (a few hundred to a few thousand: offset paging is fine here). */
export async function listPolicies(
  db: DbOrTx,
  { tenantId, filters: f, pageSize = 50 }: { tenantId: string; filters: PolicyFilters; pageSize?: number },
) {
  const where: SQL[] = [eq(policies.tenantId, tenantId)];
  if (f.q) where.push(sql`lower(${policies.name}) like ${`%${f.q.toLowerCase().replace(/[\\%_]/g, "\\$&")}%`}`);
  if (f.family) where.push(eq(policies.family, f.family));
  if (f.platform) where.push(eq(policies.platform, f.platform));
  if (f.assigned) where.push(eq(policies.assigned, f.assigned === "yes"));
  if (f.deleted === "only") where.push(eq(policies.deleted, true));
  else if (f.deleted !== "include") where.push(eq(policies.deleted, false));
  const page = f.page ?? 1;
  const rows = await db
    .select({
      id: policies.id,
      name: policies.name,
      family: policies.family,
      platform: policies.platform,
      assigned: policies.assigned,
      versions: policies.versions,
      deleted: policies.deleted,
      updatedAt: policies.updatedAt,
      total: sql<number>`count(*) over ()::int`,
    })
    .from(policies)
    .where(and(...where))
    .orderBy(sql`lower(${policies.name})`, asc(policies.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return {
    items: rows,
    total: rows[0]?.total ?? 0,
    page,
    pages: Math.max(1, Math.ceil((rows[0]?.total ?? 0) / pageSize)),
  };
}

/** One policy and its versions, their content as `role` may see it (lib/secrets/policy-masking.ts). */
export async function getPolicy(
  db: DbOrTx,
  { tenantId, policyId, role }: { tenantId: string; policyId: string; role: MembershipRole },
) {
  if (!isIntuneObjectId(policyId)) throw new NotFoundError("policy");
  const [policy] = await db
    .select()
    .from(policies)
    .where(and(eq(policies.tenantId, tenantId), eq(policies.id, policyId)));
  if (!policy) throw new NotFoundError("policy");
  const versions = await db
    .select({
      version: policyVersions.version,
      contentHash: policyVersions.contentHash,
      content: policyVersions.content,
      runId: policyVersions.runId,
      createdAt: policyVersions.createdAt,
    })
    .from(policyVersions)
    .where(and(eq(policyVersions.tenantId, tenantId), eq(policyVersions.policyId, policyId)))
    .orderBy(desc(policyVersions.version));
  return {
    policy: { ...policy, content: policyContentFor(role, policy.content) },
    versions: versions.map((v) => ({ ...v, content: policyContentFor(role, v.content) })),
  };
}

/** Names of the cached groups an assignment list points at (the directory cache, never Graph). */
export async function groupNames(db: DbOrTx, tenantId: string, groupIds: string[]) {
  const ids = [...new Set(groupIds.filter((id) => z.uuid().safeParse(id).success))];
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ id: entraGroups.id, name: entraGroups.displayName })
    .from(entraGroups)
    .where(and(eq(entraGroups.tenantId, tenantId), inArray(entraGroups.id, ids)));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Policies currently in the inventory (not deleted). */
export async function policyCount(db: DbOrTx, tenantId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(policies)
    .where(and(eq(policies.tenantId, tenantId), eq(policies.deleted, false)));
  return row?.n ?? 0;
}
