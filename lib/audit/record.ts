import type { SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { type AuditOutcome, auditEvents, type InitiatorKind } from "@/db/schema";
import type { AuditAction } from "@/lib/audit/actions";

/** Who an event is about acting: a person (or the account a sign-in named), a schedule, the console. */
export type AuditActor = { kind: InitiatorKind; userId: string | null; name: string };

export type AuditEventInput = {
  actor: AuditActor;
  /** Null for events about no tenant (sign-ins, identity links). */
  tenantId: string | null;
  /** A short dotted name: run.start, run.cancel, tenant.create, auth.sign_in_failed, … */
  action: AuditAction;
  /** `id` as SQL: read by the insert from another write of its statement (a run's, db/write-together.ts). */
  target?: { type: string; id: string | SQL; label?: string | null };
  outcome: AuditOutcome;
  clientAddress?: string | null;
  /** Small and secret-free: ids, counts, reasons. */
  details?: Record<string, unknown>;
};

/**
 * Append one audit event. Pass the transaction that makes the change, so the event and the change
 * commit (or roll back) together: no change without its event, no event for a change that never was.
 */
export async function recordAudit(tx: DbOrTx, event: AuditEventInput): Promise<void> {
  await auditInsert(tx, event);
}

/** The insert of one audit event, not yet sent. */
export function auditInsert(tx: DbOrTx, event: AuditEventInput) {
  return tx.insert(auditEvents).values(auditValues(event));
}

/** The row of one audit event (for `insertFrom`, db/write-together.ts, too). */
export function auditValues(event: AuditEventInput) {
  return {
    actorKind: event.actor.kind,
    actorUserId: event.actor.userId,
    actorName: event.actor.name,
    tenantId: event.tenantId,
    action: event.action,
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    targetLabel: event.target?.label ?? null,
    outcome: event.outcome,
    clientAddress: event.clientAddress ?? null,
    details: event.details ?? {},
  };
}

/** A console user acting through the UI. */
export function userAuditActor(actor: { userId: string; name: string }): AuditActor {
  return { kind: "user", userId: actor.userId, name: actor.name };
}
