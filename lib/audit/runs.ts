import type { DbOrTx } from "@/db/client";
import type { AuditOutcome, OperationRun } from "@/db/schema";
import type { AuditAction } from "@/lib/audit/actions";
import type { Actor } from "@/lib/auth/actor";
import { recordAudit } from "./record";

/** A run started, joined, re-run or cancelled, by a person or by the console itself. */
export async function recordRunAudit(
  tx: DbOrTx,
  {
    actor,
    action,
    run,
    outcome,
    details = {},
  }: {
    actor: Actor | { kind: "system"; name: string } | { kind: "schedule"; userId: string; name: string };
    action: Extract<AuditAction, `run.${string}`>;
    run: OperationRun;
    outcome: AuditOutcome;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  const system = "kind" in actor;
  await recordAudit(tx, {
    // A schedule acts for its owner: the event names the schedule and keeps the owner's id.
    actor: !system
      ? { kind: "user", userId: actor.userId, name: actor.name }
      : actor.kind === "schedule"
        ? { kind: "schedule", userId: actor.userId, name: actor.name }
        : { kind: "system", userId: null, name: actor.name },
    tenantId: run.tenantId,
    action,
    target: { type: "run", id: run.id, label: run.type },
    outcome,
    clientAddress: system ? null : actor.clientAddress,
    details,
  });
}
