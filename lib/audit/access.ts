import "server-only";
import type { DbOrTx } from "@/db/client";
import { requireTenantAccess } from "@/lib/tenants/access";
import { AUDIT_MIN_ROLE, type AuditScope, auditableTenants } from "./queries";

/** One tenant's log, for its owners and operators (NotFoundError / ForbiddenError otherwise). */
export async function tenantAuditScope(db: DbOrTx, { userId, tenantId }: { userId: string; tenantId: string }) {
  await requireTenantAccess(db, { userId, tenantId, minRole: AUDIT_MIN_ROLE });
  return { tenantId } satisfies AuditScope;
}

/** Every tenant the user may audit, plus their own sign-ins; with the tenants' names for the page. */
export async function userAuditScope(db: DbOrTx, userId: string) {
  const tenants = await auditableTenants(db, userId);
  return {
    scope: { userId, tenantIds: tenants.map((t) => t.id) } satisfies AuditScope,
    tenantNames: new Map(tenants.map((t) => [t.id, t.name])),
  };
}
