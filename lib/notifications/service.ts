import "server-only";
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { notifications, type OperationRun, operationRuns, type RunOutcome, schedules, tenants } from "@/db/schema";
import { insertFrom } from "@/db/write-together";
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

/**
 * The insert of the notification of every run in `runs` — a relation with the columns of
 * `operation_runs`, such as the rows a write returns (db/write-together.ts `writeAlong`) — all read
 * from the run's row itself, so a write that changed no run notifies nobody, in its own statement.
 *
 * Run notifications go to the initiator only (system runs notify nobody; a schedule's runs notify
 * its owner as the schedule chose: `always`, or `problems` — a completion failed or partially
 * succeeded —, the default a deleted schedule's runs keep). The unique index on (run, user, kind)
 * makes a repeated write a no-op, so a redelivered job cannot notify twice. `title`:
 * `runNotificationTitle` of the run's type and outcome. `where`: which rows of `runs`.
 */
export function runNotificationFrom(runs: SQL, title: string, where?: SQL): SQL {
  const column = (name: string) => sql`${runs}.${sql.identifier(name)}`;
  const terminal = sql`${column("status")} = 'completed'`;
  const failure = sql`case when ${terminal} then nullif(${column("failures")} -> 0 ->> 'message', '') end`;
  const tenantName = sql`coalesce((select ${tenants.displayName} from ${tenants} where ${tenants.id} = ${column("tenant_id")}), 'Tenant')`;
  const choice = sql`coalesce((select ${schedules.notify} from ${schedules} where ${schedules.id} = ${column("schedule_id")}), 'problems')`;
  const problem = sql`${column("outcome")} in (${sql.join(
    PROBLEMS.map((outcome) => sql`${outcome}`),
    sql`, `,
  )})`;
  const wanted = sql`(${column("initiator_kind")} <> 'schedule' or ${choice} = 'always'
    or (${choice} = 'problems' and ${terminal} and ${problem}))`;
  const insert = insertFrom(
    notifications,
    runs,
    {
      userId: column("initiator_user_id"),
      tenantId: column("tenant_id"),
      runId: column("id"),
      kind: sql`(case when ${terminal} then 'run_completed' else 'run_queued' end)::notification_kind`,
      outcome: column("outcome"),
      title,
      // The tenant's name is read by the insert itself: no round trip of its own.
      body: sql`left(concat_ws(' — ', ${tenantName}, ${failure}), 500)`,
    },
    sql`${column("initiator_user_id")} is not null and ${wanted}${where ? sql` and ${where}` : sql``}`,
  );
  return sql`${insert} on conflict do nothing`;
}

/** The notification of a run just written in this transaction, in the state the database has it. */
export async function notifyRun(db: DbOrTx, run: OperationRun, registry?: OperationRegistry): Promise<void> {
  const title = runNotificationTitle(run.type, run.outcome, registry);
  await db.execute(
    runNotificationFrom(
      sql`${operationRuns}`,
      title,
      and(eq(operationRuns.id, run.id), eq(operationRuns.tenantId, run.tenantId)),
    ),
  );
}
