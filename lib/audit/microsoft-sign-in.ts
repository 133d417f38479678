import type { Db, DbOrTx } from "@/db/client";
import { notifications } from "@/db/schema";
import { findLinkRequest } from "@/lib/account/link-requests";
import { type MicrosoftAccount, type MicrosoftIdentity, resolveMicrosoftAccount } from "@/lib/auth/microsoft-account";
import { joinFromInvite, openInviteEmail } from "@/lib/team/invites";
import { recordAudit } from "./record";
import { UNKNOWN_ACCOUNT } from "./sign-in";

/**
 * A Microsoft sign-in as the console receives it: the verified identity, and the two things the
 * browser may carry through the round trip in httpOnly cookies — a link token (minted after the
 * user re-entered their password) and an invite token (the invite link's own secret).
 */
export type MicrosoftSignIn = {
  identity: Partial<MicrosoftIdentity>;
  linkToken: string | null;
  inviteToken: string | null;
  allowedTenants: readonly string[];
  address: string | null;
};

/** Only ids reach the log: the Entra tenant and object id, never tokens or claims' emails. */
function identityDetails(identity: Partial<MicrosoftIdentity>) {
  return { method: "microsoft", entraTenantId: identity.tenantGuid ?? null, objectId: identity.objectId ?? null };
}

/** Reads (or, applying, redeems) the link token and reads the invite, then decides the account. */
async function resolve(db: DbOrTx, request: MicrosoftSignIn, apply: boolean) {
  const link = await findLinkRequest(db, { token: request.linkToken, consume: apply });
  if (link === "expired") return { account: { ok: false, refusal: "link_expired" } as const, inviteEmail: null };
  const linkTo = link?.userId ?? null;
  const inviteEmail = !linkTo && request.inviteToken ? await openInviteEmail(db, request.inviteToken) : null;
  const account = await resolveMicrosoftAccount(db, { ...request, linkTo, inviteEmail, apply });
  return { account, linkTo, inviteEmail };
}

/** The sign-in check: decides without writing, so a refusal can go back to sign-in with its reason. */
export async function decideMicrosoftSignIn(db: DbOrTx, request: MicrosoftSignIn): Promise<MicrosoftAccount> {
  return (await resolve(db, request, false)).account;
}

/** A Microsoft sign-in the console refused, before anything was written. */
export async function recordMicrosoftRefusal(
  db: Db,
  { identity, address, refusal }: { identity: Partial<MicrosoftIdentity>; address: string | null; refusal: string },
): Promise<void> {
  await recordAudit(db, {
    actor: { kind: "user", userId: null, name: identity.name || UNKNOWN_ACCOUNT },
    tenantId: null,
    action: "auth.sign_in_failed",
    outcome: "refused",
    clientAddress: address,
    details: { ...identityDetails(identity), reason: refusal },
  });
}

/**
 * Resolves and writes a Microsoft sign-in with its audit event in one transaction: an account
 * created (joining its invite's tenant when it came with one), an identity linked (`identity.link`,
 * and a notification in the user's bell: a link they did not make is how they would notice), or a
 * plain sign-in (`auth.sign_in`).
 */
export async function applyMicrosoftSignIn(db: Db, request: MicrosoftSignIn): Promise<MicrosoftAccount> {
  const { identity, address } = request;
  return db.transaction(async (tx) => {
    const { account: local, linkTo, inviteEmail } = await resolve(tx, request, true);
    if (!local.ok) {
      await recordAudit(tx, {
        actor: { kind: "user", userId: linkTo ?? null, name: identity.name || UNKNOWN_ACCOUNT },
        tenantId: null,
        action: linkTo || local.refusal === "link_expired" ? "identity.link" : "auth.sign_in_failed",
        outcome: "refused",
        clientAddress: address,
        details: { ...identityDetails(identity), reason: local.refusal },
      });
      return local;
    }
    const actor = { userId: local.userId, name: identity.name || UNKNOWN_ACCOUNT, clientAddress: address };
    await recordAudit(tx, {
      actor: { kind: "user", userId: actor.userId, name: actor.name },
      tenantId: null,
      action: local.action === "linked" ? "identity.link" : "auth.sign_in",
      target: { type: "user", id: local.userId },
      outcome: "success",
      clientAddress: address,
      details: { ...identityDetails(identity), created: local.action === "created" },
    });
    if (local.action === "created" && inviteEmail && request.inviteToken)
      await joinFromInvite(tx, { token: request.inviteToken, actor });
    if (local.action === "linked") {
      await tx.insert(notifications).values({
        userId: local.userId,
        kind: "identity_linked",
        outcome: "succeeded",
        title: "Microsoft account linked",
        body: `${identity.email || identity.name || "A Microsoft account"} (directory ${identity.tenantGuid}) can now sign in as you. Not you? Unlink it on your Account page and change your password.`,
      });
    }
    return local;
  });
}
