import type { DbOrTx } from "@/db/client";
import type { AuditOutcome } from "@/db/schema";
import type { AuditAction } from "@/lib/audit/actions";
import { recordAudit } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/actor";

export type AccountAction = Extract<
  AuditAction,
  `auth.password_change` | "auth.sessions_revoke" | `identity.${string}`
>;

/** One audit event about the actor's own account (no tenant), in the change's own transaction. */
export async function recordAccountChange(
  tx: DbOrTx,
  change: { actor: Actor; action: AccountAction; outcome?: AuditOutcome; details?: Record<string, unknown> },
) {
  await recordAudit(tx, {
    actor: { kind: "user", userId: change.actor.userId, name: change.actor.name },
    tenantId: null,
    action: change.action,
    target: { type: "user", id: change.actor.userId, label: change.actor.name },
    outcome: change.outcome ?? "success",
    clientAddress: change.actor.clientAddress ?? null,
    details: change.details,
  });
}
