import { and, eq, sql } from "drizzle-orm";
import { fromDrizzle } from "pg-boss";
import type { DbOrTx } from "@/db/client";
import { type AlertChannel, alertChannels, alertDeliveries, type OperationRun, tenants } from "@/db/schema";
import type { AlertEventType, AlertRules } from "@/db/schema/alerts";
import { consoleUrl } from "@/lib/env";
import { componentLog } from "@/lib/log";
import type { AlertEvent } from "./payloads";
import { ALERT_QUEUE, type AlertJobData, type AlertQueue } from "./queue";

const log = componentLog("alerts");

/** A drift run found something when any of these counts (written by drift.detect) is above zero. */
const DRIFT_COUNTS = ["changed", "missing", "new"] as const;

const link = (path: string) => {
  const base = consoleUrl();
  return base ? `${base}${path}` : undefined;
};

/** The events a completed run raises, and whether a channel's rules want each. */
function runEvents(run: OperationRun): AlertEventType[] {
  if (run.status !== "completed") return [];
  const events: AlertEventType[] = [];
  if (run.outcome === "failed") events.push("run.failed");
  if (run.outcome === "partially_succeeded") events.push("run.partially_succeeded");
  const drift = DRIFT_COUNTS.reduce((sum, key) => sum + (run.summaryCounts[key] ?? 0), 0);
  if (run.type === "drift.detect" && run.outcome !== "failed" && run.outcome !== "cancelled" && drift > 0) {
    events.push("drift.detected");
  }
  return events;
}

export function wants(rules: AlertRules, event: AlertEventType, operationType?: string): boolean {
  const typeMatches =
    !operationType || rules.operationTypes.length === 0 || rules.operationTypes.includes(operationType);
  switch (event) {
    case "run.failed":
      return rules.runFailed && typeMatches;
    case "run.partially_succeeded":
      return rules.runPartiallySucceeded && typeMatches;
    case "drift.detected":
      return rules.driftDetected;
    case "schedule.overdue":
      return rules.scheduleOverdue;
    case "test":
      return true;
  }
}

/** One delivery row and its job, in the caller's transaction: both commit with the cause, or neither. */
export async function enqueueDelivery(
  tx: DbOrTx,
  {
    boss,
    channel,
    event,
    runId,
  }: { boss: AlertQueue; channel: Pick<AlertChannel, "id" | "tenantId">; event: AlertEvent; runId?: string },
): Promise<string> {
  const [delivery] = await tx
    .insert(alertDeliveries)
    .values({ channelId: channel.id, tenantId: channel.tenantId, eventType: event.type, runId, event })
    .returning({ id: alertDeliveries.id });
  const data: AlertJobData = { deliveryId: delivery!.id, attempt: 1 };
  const jobId = await boss.send(ALERT_QUEUE, data, { db: fromDrizzle(tx, sql) });
  if (!jobId) throw new Error("the alert queue accepted no job");
  return delivery!.id;
}

/**
 * Raises what `events` say to every enabled channel of the tenant that wants them, in a savepoint
 * of the caller's transaction. An alert must never stop the change that caused it: if raising
 * fails, the savepoint is undone, the error is logged, and the caller's transaction goes on.
 */
async function raise(
  tx: DbOrTx,
  {
    boss,
    tenantId,
    events,
    describe,
    runId,
  }: {
    boss: AlertQueue;
    tenantId: string;
    events: { type: AlertEventType; operationType?: string }[];
    describe: (type: AlertEventType, tenantName: string) => AlertEvent;
    runId?: string;
  },
): Promise<number> {
  if (events.length === 0) return 0;
  try {
    return await tx.transaction(async (sp) => {
      const channels = await sp
        .select({
          id: alertChannels.id,
          tenantId: alertChannels.tenantId,
          rules: alertChannels.rules,
          tenantName: tenants.displayName,
        })
        .from(alertChannels)
        .innerJoin(tenants, eq(tenants.id, alertChannels.tenantId))
        .where(and(eq(alertChannels.tenantId, tenantId), eq(alertChannels.enabled, true)));
      let queued = 0;
      for (const channel of channels) {
        for (const event of events) {
          if (!wants(channel.rules, event.type, event.operationType)) continue;
          await enqueueDelivery(sp, { boss, channel, event: describe(event.type, channel.tenantName), runId });
          queued += 1;
        }
      }
      return queued;
    });
  } catch (err) {
    log.error({ err, tenantId, runId, events: events.map((e) => e.type) }, "alerts could not be queued");
    return 0;
  }
}

/**
 * The one call every path that makes a run terminal makes, in the transaction of that write: the
 * worker's completion (and the reaper's, through it), a cancel of a queued run, a start whose job
 * could not be queued. A run that was not completed raises nothing.
 */
export async function raiseRunAlerts(
  tx: DbOrTx,
  { boss, run, label }: { boss: AlertQueue; run: OperationRun; label: string },
): Promise<number> {
  const events = runEvents(run).map((type) => ({ type, operationType: run.type }));
  const failures = run.failures.slice(0, 3).map(({ code, message }) => ({ code, message }));
  return raise(tx, {
    boss,
    tenantId: run.tenantId,
    runId: run.id,
    events,
    describe: (type, tenantName) => {
      const drift =
        type === "drift.detected"
          ? {
              changed: run.summaryCounts.changed ?? 0,
              missing: run.summaryCounts.missing ?? 0,
              new: run.summaryCounts.new ?? 0,
            }
          : undefined;
      const outcome = run.outcome === "partially_succeeded" ? "partly succeeded" : run.outcome;
      return {
        type,
        occurredAt: (run.completedAt ?? new Date()).toISOString(),
        tenant: { id: run.tenantId, name: tenantName },
        title: drift ? `Drift detected in ${tenantName}` : `${label} ${outcome} in ${tenantName}`,
        text: drift
          ? `${drift.changed} changed, ${drift.missing} missing from the tenant, ${drift.new} new in the tenant.`
          : failures.length > 0
            ? failures.map((f) => f.message).join("\n")
            : `The run ended ${outcome}.`,
        link: link(`/t/${run.tenantId}/operations/${run.id}`),
        run: { id: run.id, type: run.type, label, outcome: run.outcome, failures },
        drift,
      };
    },
  });
}

export type ScheduleOverdue = {
  boss: AlertQueue;
  tenantId: string;
  scheduleId: string;
  scheduleName: string;
  /** The firing that was missed. */
  dueAt?: Date;
};

/** For the scheduler: a schedule missed a firing by more than an interval (call it once per overdue spell). */
export async function raiseScheduleOverdue(
  tx: DbOrTx,
  { boss, tenantId, scheduleId, scheduleName, dueAt }: ScheduleOverdue,
): Promise<number> {
  return raise(tx, {
    boss,
    tenantId,
    events: [{ type: "schedule.overdue" }],
    describe: (type, tenantName) => ({
      type,
      occurredAt: new Date().toISOString(),
      tenant: { id: tenantId, name: tenantName },
      title: `Schedule "${scheduleName}" is overdue in ${tenantName}`,
      text: dueAt
        ? `It was due at ${dueAt.toISOString()} and has not run. Is a worker running?`
        : "It missed its firing and has not run. Is a worker running?",
      link: link(`/t/${tenantId}`),
      schedule: { id: scheduleId, name: scheduleName, dueAt: dueAt?.toISOString() },
    }),
  });
}
