import type { DbOrTx } from "@/db/client";
import type { AuditOutcome, OperationRun } from "@/db/schema";
import type { AuditAction } from "@/lib/audit/actions";
import type { Actor } from "@/lib/auth/actor";
import { auditInsert } from "./record";

type RunAuditEvent = {
  actor: Actor | { kind: "system"; name: string } | { kind: "schedule"; userId: string; name: string };
  action: Extract<AuditAction, `run.${string}`>;
  run: OperationRun;
  outcome: AuditOutcome;
  details?: Record<string, unknown>;
};

/** A run started, joined, re-run or cancelled, by a person or by the console itself. */
export async function recordRunAudit(tx: DbOrTx, event: RunAuditEvent): Promise<void> {
  await runAuditInsert(tx, event);
}

/** The insert of a run's audit event, not yet sent (db/write-together.ts). */
export function runAuditInsert(tx: DbOrTx, { actor, action, run, outcome, details = {} }: RunAuditEvent) {
  const system = "kind" in actor;
  return auditInsert(tx, {
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
