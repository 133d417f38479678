import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { userIdentities, users } from "@/db/schema";
import type { MicrosoftAccountRefusal } from "./sign-in-error";

/** A Microsoft identity as the verified ID token names it: only `tid` and `oid` are immutable. */
export type MicrosoftIdentity = { tenantGuid: string; objectId: string; email: string; name: string };

export type MicrosoftAccount =
  | { ok: true; userId: string; action: "signed_in" | "linked" | "created" }
  | { ok: false; refusal: MicrosoftAccountRefusal };

/**
 * Which console account a Microsoft sign-in is, matched by (tid, oid) only. The email and
 * username claims are mutable — an Entra admin can set them to anyone's address — so they never
 * choose an existing account: that is the "nOAuth" takeover. An identity that is not linked yet is
 * linked to the user who asked for it (`linkTo`, after re-entering their password), or gets a new
 * account when it comes with an open invite (the account takes the invite's email) or its Entra
 * tenant may create accounts — and that email is not a console account's already.
 * `apply: false` decides without writing (the sign-in check); `apply: true` also writes.
 */
export async function resolveMicrosoftAccount(
  db: DbOrTx,
  {
    identity,
    linkTo,
    inviteEmail = null,
    allowedTenants,
    apply,
  }: {
    identity: Partial<MicrosoftIdentity>;
    linkTo: string | null;
    /** The email of the open invite this sign-in carries, if any. */
    inviteEmail?: string | null;
    allowedTenants: readonly string[];
    apply: boolean;
  },
): Promise<MicrosoftAccount> {
  const tenantGuid = identity.tenantGuid?.toLowerCase();
  const objectId = identity.objectId;
  if (!tenantGuid || !objectId) return { ok: false, refusal: "no_tenant" };
  const [linked] = await db
    .select({ userId: userIdentities.userId })
    .from(userIdentities)
    .where(
      and(
        eq(userIdentities.provider, "azure-ad"),
        eq(userIdentities.tenantGuid, tenantGuid),
        eq(userIdentities.subject, objectId),
      ),
    );
  // The username claim is kept for display only (the Account page), refreshed at each sign-in.
  const username = identity.email || null;
  if (linked) {
    if (linkTo && linked.userId !== linkTo) return { ok: false, refusal: "linked_elsewhere" };
    if (apply)
      await db
        .update(userIdentities)
        .set({ username })
        .where(
          and(
            eq(userIdentities.provider, "azure-ad"),
            eq(userIdentities.tenantGuid, tenantGuid),
            eq(userIdentities.subject, objectId),
          ),
        );
    return { ok: true, userId: linked.userId, action: "signed_in" };
  }
  const link = async (userId: string) => {
    if (apply)
      await db.insert(userIdentities).values({ provider: "azure-ad", tenantGuid, subject: objectId, userId, username });
  };
  if (linkTo) {
    await link(linkTo);
    return { ok: true, userId: linkTo, action: "linked" };
  }

  if (!inviteEmail && !allowedTenants.some((allowed) => allowed.toLowerCase() === tenantGuid))
    return { ok: false, refusal: "not_allowed" };
  // An invite fixes the email (its sender vouched for it); else the claim, which only names a new account.
  const email = inviteEmail ?? z.email().safeParse((identity.email ?? "").toLowerCase()).data;
  if (!email) return { ok: false, refusal: "no_email" };
  const [taken] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email}`);
  if (taken) return { ok: false, refusal: "email_taken" };
  if (!apply) return { ok: true, userId: "", action: "created" };
  const [created] = await db
    .insert(users)
    .values({ email, name: identity.name || email })
    .returning({ id: users.id });
  await link(created!.id);
  return { ok: true, userId: created!.id, action: "created" };
}
