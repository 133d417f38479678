import "server-only";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { tenants } from "@/db/schema";
import { requireTenantAccess } from "./access";

// Apart from lib/tenants/settings.ts (the changes): rendering the page reaches no Graph code.

/** What the settings page shows: ids and dates, never the secret (neither sealed nor open). */
export async function tenantSettings(db: DbOrTx, { userId, tenantId }: { userId: string; tenantId: string }) {
  const { tenant } = await requireTenantAccess(db, { userId, tenantId, minRole: "owner" });
  const [row] = await db
    .select({ clientSecretSetAt: tenants.clientSecretSetAt, guidClaimedAt: tenants.guidClaimedAt })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  return {
    id: tenant.id,
    displayName: tenant.displayName,
    tenantGuid: tenant.tenantGuid,
    clientId: tenant.clientId,
    clientSecretSetAt: row!.clientSecretSetAt,
    guidClaimedAt: row!.guidClaimedAt,
  };
}
