import "server-only";
import type { DbOrTx } from "@/db/client";
import type { Schedule } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";

/**
 * Called once per overdue episode, in the transaction that marks it (lib/schedules/overdue-check.ts).
 * Records it on the audit log; alert rules ("schedule overdue") hook in here.
 */
export async function onScheduleOverdue(tx: DbOrTx, schedule: Schedule & { overdueSince: Date }) {
  await recordAudit(tx, {
    actor: { kind: "system", userId: null, name: "TenantAtlas" },
    tenantId: schedule.tenantId,
    action: "schedule.overdue",
    target: { type: "schedule", id: schedule.id, label: schedule.name },
    outcome: "success",
    details: { operationType: schedule.operationType, missedAt: schedule.overdueSince.toISOString() },
  });
}
