import { type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { type AuditOutcome, auditEvents, type OperationRun } from "@/db/schema";
import { insertFrom } from "@/db/write-together";
import type { AuditAction } from "@/lib/audit/actions";
import type { Actor } from "@/lib/auth/actor";
import { type AuditEventInput, auditInsert, auditValues } from "./record";

type RunAuditEvent = {
  actor: Actor | { kind: "system"; name: string } | { kind: "schedule"; userId: string; name: string };
  action: Extract<AuditAction, `run.${string}`>;
  /** `id` as SQL: read by the insert from another write of its statement. */
  run: Pick<OperationRun, "tenantId" | "type"> & { id: string | SQL };
  outcome: AuditOutcome;
  details?: Record<string, unknown>;
};

/** A run started, joined, re-run or cancelled, by a person or by the console itself. */
export async function recordRunAudit(tx: DbOrTx, event: RunAuditEvent): Promise<void> {
  await auditInsert(tx, runAuditEvent(event));
}

/**
 * The insert of the audit event of every run in `runs` (the rows a run's write returns,
 * db/write-together.ts `writeAlong`, named by `runs` as SQL text, the code's own): none when the
 * write changed no run.
 */
export function runAuditFrom(
  runs: string,
  event: Omit<RunAuditEvent, "run"> & { run: Pick<OperationRun, "tenantId" | "type"> },
) {
  const id = sql.raw(`${runs}.id::text`);
  return insertFrom(auditEvents, sql.raw(runs), auditValues(runAuditEvent({ ...event, run: { ...event.run, id } })));
}

function runAuditEvent({ actor, action, run, outcome, details = {} }: RunAuditEvent): AuditEventInput {
  const system = "kind" in actor;
  return {
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
  };
}
