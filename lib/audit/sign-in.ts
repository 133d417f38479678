import type { DbOrTx } from "@/db/client";
import type { AuditOutcome } from "@/db/schema";
import { recordAudit } from "./record";

/** The name an attempt on an unknown email is recorded under. */
export const UNKNOWN_ACCOUNT = "(unknown account)";

/**
 * A sign-in attempt (or the lock it caused), recorded against the account it named. Details hold
 * the reason and which limits locked, never the email typed or the password.
 */
export async function recordSignInAudit(
  tx: DbOrTx,
  {
    user,
    address,
    action,
    outcome,
    ...details
  }: {
    user: { id: string; name: string } | null;
    address?: string | null;
    action: "auth.sign_in" | "auth.sign_in_failed" | "auth.locked";
    outcome: AuditOutcome;
    reason?: string;
    method?: "password" | "microsoft";
    locked?: string[];
  },
): Promise<void> {
  await recordAudit(tx, {
    actor: { kind: "user", userId: user?.id ?? null, name: user?.name ?? UNKNOWN_ACCOUNT },
    tenantId: null,
    action,
    target: user ? { type: "user", id: user.id, label: user.name } : undefined,
    outcome,
    clientAddress: address ?? null,
    details,
  });
}
