import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Schedule } from "@/db/schema";
import type { AlertQueue } from "@/lib/alerts/queue";
import { raiseScheduleOverdue } from "@/lib/alerts/raise";
import { recordAudit } from "@/lib/audit/record";

/**
 * Called once per overdue episode, in the transaction that marks it (lib/schedules/overdue-check.ts).
 * Records it on the audit log and raises the "schedule overdue" alert to the tenant's channels that
 * want it (queued in this transaction: the mark and its alert commit together, or neither).
 */
export async function onScheduleOverdue(tx: DbOrTx, boss: AlertQueue, schedule: Schedule & { overdueSince: Date }) {
  await recordAudit(tx, {
    actor: { kind: "system", userId: null, name: "TenantAtlas" },
    tenantId: schedule.tenantId,
    action: "schedule.overdue",
    target: { type: "schedule", id: schedule.id, label: schedule.name },
    outcome: "success",
    details: { operationType: schedule.operationType, missedAt: schedule.overdueSince.toISOString() },
  });
  await raiseScheduleOverdue(tx, {
    boss,
    tenantId: schedule.tenantId,
    scheduleId: schedule.id,
    scheduleName: schedule.name,
    dueAt: schedule.overdueSince,
  });
}
