import "server-only";
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { type OperationRun, operationRuns, type RunOutcome } from "@/db/schema";
import { type OperationRegistry, operationLabel } from "@/lib/operations/registry";

const OUTCOME_WORDS: Record<RunOutcome, string> = {
  pending: "queued",
  succeeded: "succeeded",
  partially_succeeded: "partially succeeded",
  failed: "failed",
  cancelled: "was cancelled",
};

/** The outcomes a schedule set to `problems` notifies of. */
const PROBLEMS: RunOutcome[] = ["failed", "partially_succeeded"];

/**
 * The title of a run's notification in a state ("Inventory sync succeeded"). The one part of a run
 * notification not read from the run's row: the label is the registry's, not the database's.
 */
export function runNotificationTitle(type: string, outcome: RunOutcome, registry?: OperationRegistry): string {
  return `${operationLabel(type, registry)} ${OUTCOME_WORDS[outcome]}`;
}

/** The notification insert's text around its title, per relation it reads runs from: built once. */
const notificationText = new Map<string, [string, string]>();

function notificationParts(runs: string): [string, string] {
  let parts = notificationText.get(runs);
  if (!parts) {
    const terminal = `${runs}.status = 'completed'`;
    const choice = `coalesce((select s.notify from schedules s where s.id = ${runs}.schedule_id), 'problems')`;
    const problems = PROBLEMS.map((outcome) => `'${outcome}'`).join(", ");
    parts = [
      `insert into notifications (user_id, tenant_id, run_id, kind, outcome, title, body)
        select ${runs}.initiator_user_id, ${runs}.tenant_id, ${runs}.id,
          (case when ${terminal} then 'run_completed' else 'run_queued' end)::notification_kind,
          ${runs}.outcome, cast(`,
      // The tenant's name is read by the insert itself: no round trip of its own.
      ` as text), left(concat_ws(' — ',
            coalesce((select t.display_name from tenants t where t.id = ${runs}.tenant_id), 'Tenant'),
            case when ${terminal} then nullif(${runs}.failures -> 0 ->> 'message', '') end), 500)
        from ${runs}
        where ${runs}.initiator_user_id is not null
          and (${runs}.initiator_kind <> 'schedule' or ${choice} = 'always'
            or (${choice} = 'problems' and ${terminal} and ${runs}.outcome in (${problems})))`,
    ];
    notificationText.set(runs, parts);
  }
  return parts;
}

/**
 * The insert of the notification of every run in `runs` — a relation with the columns of
 * `operation_runs`, such as the rows a write returns (db/write-together.ts `writeAlong`) — all read
 * from the run's row itself, so a write that changed no run notifies nobody, in its own statement.
 *
 * Run notifications go to the initiator only (system runs notify nobody; a schedule's runs notify
 * its owner as the schedule chose: `always`, or `problems` — a completion failed or partially
 * succeeded —, the default a deleted schedule's runs keep). The unique index on (run, user, kind)
 * makes a repeated write a no-op, so a redelivered job cannot notify twice. `title`:
 * `runNotificationTitle` of the run's type and outcome. `where`: which rows of `runs`. The text is
 * written out and kept per relation, not composed by the ORM on every call (db/write-together.ts), so
 * `runs` is a relation's name as SQL text, the code's own (never input).
 */
export function runNotificationFrom(runs: string, title: string, where?: SQL): SQL {
  const [beforeTitle, afterTitle] = notificationParts(runs);
  return sql`${sql.raw(beforeTitle)}${title}${sql.raw(afterTitle)}${where ? sql` and ${where}` : sql``} on conflict do nothing`;
}

/** The notification of a run just written in this transaction, in the state the database has it. */
export async function notifyRun(db: DbOrTx, run: OperationRun, registry?: OperationRegistry): Promise<void> {
  const title = runNotificationTitle(run.type, run.outcome, registry);
  await db.execute(
    runNotificationFrom(
      "operation_runs",
      title,
      and(eq(operationRuns.id, run.id), eq(operationRuns.tenantId, run.tenantId)),
    ),
  );
}
