import type { DbOrTx } from "@/db/client";
import type { AuditAction } from "@/lib/audit/actions";
import { recordAudit } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/actor";

export type TeamAction = Extract<AuditAction, `member.${string}` | `invite.${string}` | "account.create_from_invite">;

/** One audit event for a membership or invite change, written in the change's own transaction. */
export async function recordTeamChange(
  tx: DbOrTx,
  change: {
    actor: Actor;
    tenantId: string;
    action: TeamAction;
    target: { type: "member" | "invite"; id: string; label?: string | null };
    details?: Record<string, unknown>;
  },
) {
  await recordAudit(tx, {
    actor: { kind: "user", userId: change.actor.userId, name: change.actor.name },
    tenantId: change.tenantId,
    action: change.action,
    target: change.target,
    outcome: "success",
    clientAddress: change.actor.clientAddress ?? null,
    details: change.details,
  });
}
