import type { Db } from "@/db/client";
import { type MicrosoftAccount, type MicrosoftIdentity, resolveMicrosoftAccount } from "@/lib/auth/microsoft-account";
import { recordAudit } from "./record";
import { UNKNOWN_ACCOUNT } from "./sign-in";

type MicrosoftSignIn = {
  identity: Partial<MicrosoftIdentity>;
  linkTo: string | null;
  allowedTenants: readonly string[];
  address: string | null;
};

/** Only ids reach the log: the Entra tenant and object id, never tokens or claims' emails. */
function identityDetails(identity: Partial<MicrosoftIdentity>) {
  return { method: "microsoft", entraTenantId: identity.tenantGuid ?? null, objectId: identity.objectId ?? null };
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
 * Resolves and writes a Microsoft sign-in (an account created, an identity linked) with its audit
 * event in one transaction: `identity.link` for the explicit link flow, `auth.sign_in` otherwise.
 */
export async function applyMicrosoftSignIn(db: Db, request: MicrosoftSignIn): Promise<MicrosoftAccount> {
  const { identity, address } = request;
  return db.transaction(async (tx) => {
    const local = await resolveMicrosoftAccount(tx, { ...request, apply: true });
    if (!local.ok) {
      await recordAudit(tx, {
        actor: { kind: "user", userId: request.linkTo, name: identity.name || UNKNOWN_ACCOUNT },
        tenantId: null,
        action: request.linkTo ? "identity.link" : "auth.sign_in_failed",
        outcome: "refused",
        clientAddress: address,
        details: { ...identityDetails(identity), reason: local.refusal },
      });
      return local;
    }
    await recordAudit(tx, {
      actor: { kind: "user", userId: local.userId, name: identity.name || UNKNOWN_ACCOUNT },
      tenantId: null,
      action: local.action === "linked" ? "identity.link" : "auth.sign_in",
      target: { type: "user", id: local.userId },
      outcome: "success",
      clientAddress: address,
      details: { ...identityDetails(identity), created: local.action === "created" },
    });
    return local;
  });
}
