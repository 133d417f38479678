import "server-only";
import { and, eq, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { type MembershipRole, tenantMemberships, tenants } from "@/db/schema";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { ROLES, roleAtLeast } from "./roles";

const uuid = z.uuid();

/** Public columns of a tenant: everything but the sealed client secret. */
export const tenantColumns = {
  id: tenants.id,
  tenantGuid: tenants.tenantGuid,
  displayName: tenants.displayName,
  clientId: tenants.clientId,
  verificationStatus: tenants.verificationStatus,
  verifiedAt: tenants.verifiedAt,
  verificationError: tenants.verificationError,
  organizationName: tenants.organizationName,
  defaultDomain: tenants.defaultDomain,
  createdAt: tenants.createdAt,
};

export type TenantAccess = {
  tenant: { [K in keyof typeof tenantColumns]: (typeof tenants.$inferSelect)[K] };
  role: MembershipRole;
};

export type TenantAccessRequest = { userId: string; tenantId: string; minRole?: MembershipRole };

/**
 * The one gate for tenant-scoped data: the user must be a member (else the tenant does not exist
 * for them — 404, never 403, so ids cannot be probed) and hold at least `minRole`.
 */
export async function requireTenantAccess(
  db: DbOrTx,
  { userId, tenantId, minRole = "viewer" }: TenantAccessRequest,
): Promise<TenantAccess> {
  if (!uuid.safeParse(tenantId).success || !uuid.safeParse(userId).success) throw new NotFoundError("tenant");
  const [row] = await db
    .select({ tenant: tenantColumns, role: tenantMemberships.role })
    .from(tenants)
    .innerJoin(tenantMemberships, and(eq(tenantMemberships.tenantId, tenants.id), eq(tenantMemberships.userId, userId)))
    .where(eq(tenants.id, tenantId));
  if (!row) throw new NotFoundError("tenant");
  if (!roleAtLeast(row.role, minRole)) {
    throw new ForbiddenError(`This needs the ${minRole} role on ${row.tenant.displayName}; you are ${row.role}.`);
  }
  return row;
}

/**
 * The same gate as a condition of another statement, so the check rides along with a write instead
 * of being a round trip of its own (a run's start). It says only yes or no: where it says no, call
 * `requireTenantAccess` for the error. Null when the ids are not uuids (`requireTenantAccess` refuses).
 */
export function tenantAccessCondition({ userId, tenantId, minRole = "viewer" }: TenantAccessRequest): SQL | null {
  if (!uuid.safeParse(tenantId).success || !uuid.safeParse(userId).success) return null;
  const roles = ROLES.filter((role) => roleAtLeast(role, minRole));
  // A membership row implies its tenant (the foreign key cascades), as requireTenantAccess's join does.
  return sql`exists (select 1 from ${tenantMemberships} where ${tenantMemberships.tenantId} = ${tenantId}
    and ${tenantMemberships.userId} = ${userId} and ${tenantMemberships.role} = any(${sql.param(roles)}::membership_role[]))`;
}
