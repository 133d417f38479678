import "server-only";
import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "@/db/client";
import { tenantMemberships, tenants, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { InputError } from "@/lib/errors";
import { OperationError } from "@/lib/operations/errors";
import { tenantColumns } from "./access";
import type { AccessReport } from "./access-view";
import { newTenantSchema } from "./schema";
import { openClientSecret, sealClientSecret } from "./secret";

/**
 * Registers a tenant and makes its creator the owner. Invalid input writes nothing. A registration
 * claims no GUID (lib/tenants/guid-claim.ts): whether another one names the same GUID is never
 * looked at, so the answer reveals nothing and nobody can block the GUID's real owner.
 */
export async function createTenant(
  db: Db,
  {
    encryptionKey,
    ownerUserId,
    input: raw,
    clientAddress = null,
  }: { encryptionKey: Buffer; ownerUserId: string; input: unknown; clientAddress?: string | null },
) {
  const parsed = newTenantSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InputError("Please correct the highlighted fields.", z.flattenError(parsed.error).fieldErrors);
  }
  const input = parsed.data;
  const id = randomUUID();
  return db.transaction(async (tx) => {
    const [tenant] = await tx
      .insert(tenants)
      .values({
        id,
        tenantGuid: input.tenantGuid,
        displayName: input.displayName,
        clientId: input.clientId,
        clientSecretEnc: sealClientSecret(input.clientSecret, encryptionKey, id),
      })
      .returning({ id: tenants.id });
    await tx.insert(tenantMemberships).values({ userId: ownerUserId, tenantId: id, role: "owner" });
    const [owner] = await tx.select({ name: users.name }).from(users).where(eq(users.id, ownerUserId));
    await recordAudit(tx, {
      actor: { kind: "user", userId: ownerUserId, name: owner?.name ?? "" },
      tenantId: id,
      action: "tenant.create",
      target: { type: "tenant", id, label: input.displayName },
      outcome: "success",
      clientAddress,
      details: { tenantGuid: input.tenantGuid, clientId: input.clientId },
    });
    return tenant!;
  });
}

/** Tenants the user belongs to, with their role. */
export async function listTenantsForUser(db: DbOrTx, userId: string) {
  return db
    .select({ tenant: tenantColumns, role: tenantMemberships.role })
    .from(tenantMemberships)
    .innerJoin(tenants, eq(tenants.id, tenantMemberships.tenantId))
    .where(eq(tenantMemberships.userId, userId))
    .orderBy(asc(tenants.displayName));
}

/** App credentials for worker-side Graph calls. Never called by pages. */
export async function getTenantCredentials(db: DbOrTx, encryptionKey: Buffer, tenantId: string) {
  const [row] = await db
    .select({ tenantGuid: tenants.tenantGuid, clientId: tenants.clientId, sealed: tenants.clientSecretEnc })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!row) throw new Error(`Tenant ${tenantId} no longer exists.`);
  let clientSecret: string;
  try {
    clientSecret = openClientSecret(row.sealed, encryptionKey, tenantId);
  } catch {
    // No retry opens it: the key changed (or the row was tampered with). The owner re-enters it.
    throw new OperationError(
      "secret_unreadable",
      "The tenant's client secret cannot be opened with this installation's ENCRYPTION_KEY (was the key changed?). An owner can enter the client secret again in the tenant's settings.",
    );
  }
  return { tenantGuid: row.tenantGuid, clientId: row.clientId, clientSecret };
}

export type VerificationResult =
  | {
      ok: true;
      /** Absent when Graph would not show the organization (the app lacks the permission to read it). */
      organization?: { name: string; defaultDomain: string | null };
      access: AccessReport;
    }
  | { ok: false; error: string };

export async function recordVerification(db: DbOrTx, tenantId: string, result: VerificationResult) {
  await db
    .update(tenants)
    .set(
      result.ok
        ? {
            verificationStatus: "verified",
            verifiedAt: new Date(),
            verificationError: null,
            ...(result.organization
              ? { organizationName: result.organization.name, defaultDomain: result.organization.defaultDomain }
              : {}),
            ...result.access,
            updatedAt: new Date(),
          }
        : { verificationStatus: "failed", verificationError: result.error, updatedAt: new Date() },
    )
    .where(eq(tenants.id, tenantId));
}

/** The access report of the last verification, for the tenant page. */
export async function tenantAccessReport(db: DbOrTx, tenantId: string): Promise<AccessReport | null> {
  const [row] = await db
    .select({
      appPermissions: tenants.appPermissions,
      permissionGaps: tenants.permissionGaps,
      intuneStatus: tenants.intuneStatus,
    })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  return row?.intuneStatus ? { ...row, intuneStatus: row.intuneStatus } : null;
}
