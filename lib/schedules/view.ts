import "server-only";
import type { Db } from "@/db/client";
import { OUTCOME_LABELS, STATUS_LABELS } from "@/lib/operations/labels";
import { operationLabel, schedulableTypes } from "@/lib/operations/registry";
import { paths } from "@/lib/paths";
import { roleAtLeast } from "@/lib/tenants/roles";
import { overdueSince } from "./overdue";
import { describeRecurrence, nextFiring } from "./recurrence";
import { listSchedules } from "./service";

/** What the Schedules tab shows: each schedule's timing, next firing, last run, overdue state. */
export async function schedulesView(db: Db, { userId, tenantId }: { userId: string; tenantId: string }) {
  const { role, schedules } = await listSchedules(db, { userId, tenantId });
  const now = new Date();
  return {
    canEdit: roleAtLeast(role, "operator"),
    types: schedulableTypes().map((type) => ({ type, label: operationLabel(type) })),
    schedules: schedules.map((s) => {
      const missed = overdueSince({ ...s, lastFiredAt: s.lastFiring?.firedAt ?? null }, now);
      return {
        id: s.id,
        name: s.name,
        typeLabel: operationLabel(s.operationType),
        operationType: s.operationType,
        recurrence: s.recurrence,
        timing: `${describeRecurrence(s.recurrence)} (${s.timezone})`,
        timezone: s.timezone,
        notify: s.notify,
        paused: s.paused,
        nextFiring: s.paused ? null : nextFiring(s.cron, s.timezone, now),
        overdueSince: missed ?? s.overdueSince,
        lastRun: s.lastRun
          ? {
              href: paths.run(tenantId, s.lastRun.id),
              label:
                s.lastRun.status === "completed" ? OUTCOME_LABELS[s.lastRun.outcome] : STATUS_LABELS[s.lastRun.status],
              outcome: s.lastRun.outcome,
              at: s.lastRun.createdAt,
            }
          : null,
        lastFiring: s.lastFiring
          ? { outcome: s.lastFiring.outcome, reason: s.lastFiring.reason, at: s.lastFiring.firedAt }
          : null,
      };
    }),
  };
}

export type SchedulesView = Awaited<ReturnType<typeof schedulesView>>;
export type ScheduleRow = SchedulesView["schedules"][number];
