import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "@/db/client";
import { backupSets, operationRuns, policies, tenantInvites, tenants } from "@/db/schema";
import type { AuditAction } from "@/lib/audit/actions";
import { recordAudit, userAuditActor } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/actor";
import { InputError } from "@/lib/errors";
import { requireTenantAccess } from "./access";
import { checkAppCredentials, type IdentityConfig } from "./credential-check";
import { clientIdSchema, clientSecretSchema } from "./schema";
import { sealClientSecret } from "./secret";

/**
 * A tenant's settings (owners only): its app credentials and its removal. The data layer refuses
 * everyone else — a non-member as if the tenant did not exist (404), a member below owner with a
 * ForbiddenError — before anything is read or written.
 */

type TenantChange = { actor: Actor; tenantId: string };
type CredentialDeps = { encryptionKey: Buffer; identity: IdentityConfig };

function parsed<T>(schema: z.ZodType<T>, raw: unknown): T {
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new InputError("Please correct the highlighted fields.", z.flattenError(result.error).fieldErrors);
  }
  return result.data;
}

/**
 * Replaces the client secret after it signed in to the tenant with the current app id; a secret
 * that does not sign in changes nothing. Re-sealed with the tenant's own context; only the date
 * it was set is ever shown again.
 */
export async function rotateClientSecret(db: Db, change: TenantChange & CredentialDeps & { clientSecret: unknown }) {
  const clientSecret = parsed(clientSecretSchema, change.clientSecret);
  const { tenant } = await requireTenantAccess(db, {
    userId: change.actor.userId,
    tenantId: change.tenantId,
    minRole: "owner",
  });
  await checkAppCredentials(
    change.identity,
    { tenantGuid: tenant.tenantGuid, clientId: tenant.clientId, clientSecret },
    "clientSecret",
  );
  await saveCredentials(db, {
    ...change,
    checkedClientId: tenant.clientId,
    clientId: tenant.clientId,
    clientSecret,
    action: "tenant.secret_rotate",
  });
}

/**
 * Moves the tenant to another app registration: the new app id and its secret must sign in to the
 * tenant first, else nothing changes. The last verification's access report described the old
 * app, so it is cleared and the tenant reads as unverified until the next tenant.verify (the GUID
 * claim stays: the new app just proved the same control).
 */
export async function changeAppId(
  db: Db,
  change: TenantChange & CredentialDeps & { clientId: unknown; clientSecret: unknown },
) {
  const input = parsed(z.object({ clientId: clientIdSchema, clientSecret: clientSecretSchema }), change);
  const { tenant } = await requireTenantAccess(db, {
    userId: change.actor.userId,
    tenantId: change.tenantId,
    minRole: "owner",
  });
  if (input.clientId === tenant.clientId) {
    throw new InputError("This is the app the tenant already uses.", {
      clientId: ["This is the current application (client) ID; to replace only its secret, rotate the secret."],
    });
  }
  await checkAppCredentials(change.identity, { tenantGuid: tenant.tenantGuid, ...input }, "clientId");
  await saveCredentials(db, { ...change, ...input, checkedClientId: tenant.clientId, action: "tenant.update" });
}

/** Stores checked credentials and their audit event in one transaction, if the app id is still the one checked. */
async function saveCredentials(
  db: Db,
  save: TenantChange & {
    encryptionKey: Buffer;
    checkedClientId: string;
    clientId: string;
    clientSecret: string;
    action: Extract<AuditAction, "tenant.secret_rotate" | "tenant.update">;
  },
) {
  await db.transaction(async (tx) => {
    const [locked] = await tx
      .select({ clientId: tenants.clientId })
      .from(tenants)
      .where(eq(tenants.id, save.tenantId))
      .for("update");
    const { tenant } = await requireTenantAccess(tx, {
      userId: save.actor.userId,
      tenantId: save.tenantId,
      minRole: "owner",
    });
    if (locked?.clientId !== save.checkedClientId) {
      throw new InputError("Another owner changed the app meanwhile; nothing was changed. Reload and try again.");
    }
    const appChanged = save.clientId !== save.checkedClientId;
    const now = new Date();
    await tx
      .update(tenants)
      .set({
        clientId: save.clientId,
        clientSecretEnc: sealClientSecret(save.clientSecret, save.encryptionKey, save.tenantId),
        clientSecretSetAt: now,
        updatedAt: now,
        ...(appChanged
          ? {
              verificationStatus: "unverified" as const,
              verificationError: null,
              appPermissions: null,
              permissionGaps: [],
              intuneStatus: null,
            }
          : {}),
      })
      .where(eq(tenants.id, save.tenantId));
    await recordAudit(tx, {
      actor: userAuditActor(save.actor),
      tenantId: save.tenantId,
      action: save.action,
      target: { type: "tenant", id: save.tenantId, label: tenant.displayName },
      outcome: "success",
      clientAddress: save.actor.clientAddress ?? null,
      details: appChanged
        ? { clientId: { from: save.checkedClientId, to: save.clientId } }
        : { clientId: save.clientId },
    });
  });
}

/** A run still queued or running: the tenant cannot be removed under it. */
const ACTIVE = inArray(operationRuns.status, ["queued", "running"]);

const count = async (
  tx: DbOrTx,
  table: typeof operationRuns | typeof backupSets | typeof policies | typeof tenantInvites,
  tenantId: string,
) => (await tx.select({ n: sql<number>`count(*)::int` }).from(table).where(eq(table.tenantId, tenantId)))[0]!.n;

/**
 * Removes the tenant and everything the console holds for it — runs, backups and their policy
 * copies, inventory and versions, directory cache, invites, memberships, notifications (and, when
 * they come, schedules) — through the foreign keys' ON DELETE CASCADE, in one transaction with its
 * audit event. The audit log keeps the tenant's history (no foreign key). Refused while a run is
 * active: a removal must not pull the tenant out from under a restore writing to Intune, and
 * cancelling for the owner would hide that choice; they cancel or wait, then remove.
 * `confirmName` must be the tenant's display name exactly as shown (surrounding spaces aside).
 */
export async function removeTenant(db: Db, change: TenantChange & { confirmName: unknown }) {
  return db.transaction(async (tx) => {
    // Locks the row: a run start (its foreign key takes a share lock) waits for the removal and
    // then fails, or commits first and is seen as active below.
    await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, change.tenantId)).for("update");
    const { tenant } = await requireTenantAccess(tx, {
      userId: change.actor.userId,
      tenantId: change.tenantId,
      minRole: "owner",
    });
    const typed = typeof change.confirmName === "string" ? change.confirmName.trim() : "";
    if (typed !== tenant.displayName) {
      throw new InputError("The name does not match; nothing was removed.", {
        confirmName: [`Type the tenant's name, ${tenant.displayName}, to confirm.`],
      });
    }
    const [active] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(operationRuns)
      .where(and(eq(operationRuns.tenantId, change.tenantId), ACTIVE));
    if (active!.n > 0) {
      throw new InputError(
        `${active!.n === 1 ? "A run is" : `${active!.n} runs are`} still active for this tenant; nothing was removed. Wait for ${active!.n === 1 ? "it" : "them"} to finish or cancel ${active!.n === 1 ? "it" : "them"} on the Operations page, then remove the tenant.`,
      );
    }
    const removed = {
      runs: await count(tx, operationRuns, change.tenantId),
      backups: await count(tx, backupSets, change.tenantId),
      policies: await count(tx, policies, change.tenantId),
      invites: await count(tx, tenantInvites, change.tenantId),
    };
    await tx.delete(tenants).where(eq(tenants.id, change.tenantId));
    await recordAudit(tx, {
      actor: userAuditActor(change.actor),
      tenantId: change.tenantId,
      action: "tenant.remove",
      target: { type: "tenant", id: change.tenantId, label: tenant.displayName },
      outcome: "success",
      clientAddress: change.actor.clientAddress ?? null,
      details: { tenantGuid: tenant.tenantGuid, removed },
    });
    return removed;
  });
}
