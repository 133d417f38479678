import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { userIdentities, users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { InputError, NotFoundError } from "@/lib/errors";
import { recordAccountChange } from "./audit";

export type AccountIdentities = {
  hasPassword: boolean;
  microsoft: { tenantGuid: string; objectId: string; username: string | null; linkedAt: Date }[];
};

/** The ways this user signs in: a password, and each linked Microsoft identity. */
export async function accountIdentities(db: DbOrTx, userId: string): Promise<AccountIdentities> {
  const [user] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  const microsoft = await db
    .select({
      tenantGuid: userIdentities.tenantGuid,
      objectId: userIdentities.subject,
      username: userIdentities.username,
      linkedAt: userIdentities.createdAt,
    })
    .from(userIdentities)
    .where(and(eq(userIdentities.userId, userId), eq(userIdentities.provider, "azure-ad")))
    .orderBy(asc(userIdentities.createdAt));
  return { hasPassword: Boolean(user?.passwordHash), microsoft };
}

/**
 * Unlinks one of the user's Microsoft identities, never the last way to sign in. The user's row is
 * locked first, so two concurrent unlinks cannot each see the other identity still there.
 */
export async function unlinkMicrosoftIdentity(
  db: Db,
  { actor, tenantGuid, objectId }: { actor: Actor; tenantGuid: string; objectId: string },
) {
  await db.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, actor.userId)).for("update");
    const identities = await accountIdentities(tx, actor.userId);
    const target = identities.microsoft.find((i) => i.tenantGuid === tenantGuid && i.objectId === objectId);
    if (!target) throw new NotFoundError("identity");
    if (!identities.hasPassword && identities.microsoft.length === 1) {
      throw new InputError(
        "This is the only way you sign in: set up another (link a second Microsoft account) before unlinking it.",
      );
    }
    await tx
      .delete(userIdentities)
      .where(
        and(
          eq(userIdentities.userId, actor.userId),
          eq(userIdentities.provider, "azure-ad"),
          eq(userIdentities.tenantGuid, tenantGuid),
          eq(userIdentities.subject, objectId),
        ),
      );
    await recordAccountChange(tx, {
      actor,
      action: "identity.unlink",
      details: { method: "microsoft", entraTenantId: tenantGuid, objectId },
    });
  });
}
