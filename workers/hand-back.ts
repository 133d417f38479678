import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { operationRuns } from "@/db/schema";
import { PGBOSS_SCHEMA } from "@/lib/operations/queue";
import type { AttemptRef } from "@/lib/operations/runs";
import { QUEUE_NOTIFY_CHANNEL } from "./dispatcher";

export const HANDED_BACK_MESSAGE =
  "Handed back at shutdown: its worker stopped before this attempt ended; another worker resumes it (no attempt spent).";

/** The pg-boss claim a worker holds on a job: its queue, its id and the retry count it was fetched at. */
export type JobClaim = { name: string; id: string; retryCount: number };

/**
 * Gives an unfinished run back at shutdown without spending an attempt, in one transaction:
 *  - the job goes active → created. It keeps started_on, so its next claim increments retry_count as
 *    any claim does, and pg-boss's attempt fence (id + retry_count) still tells that claim from ours:
 *    a late complete() or fail() of this worker can never settle the next worker's claim. Its
 *    retry_limit grows by one and data.handedBack counts the hand-back, so neither the retries left
 *    nor the run's attempt number (retryCount + 1 − handedBack) change.
 *  - the run goes running → queued on the same attempt, with a timeline line saying so (the only
 *    way back to queued the transition guard allows, migration 0015).
 *  - a NOTIFY on the queue wakes an idle worker at once.
 * Fenced to this claim and attempt: a claim that is no longer ours changes nothing (false).
 */
export async function handBack(db: Db, { run, job }: { run: AttemptRef; job: JobClaim }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const moved = await tx.execute(sql`
      update ${sql.identifier(PGBOSS_SCHEMA)}.job
      set state = 'created', retry_limit = retry_limit + 1, start_after = now(), heartbeat_on = null,
        data = jsonb_set(coalesce(data, '{}'::jsonb), '{handedBack}',
          to_jsonb(coalesce((data ->> 'handedBack')::int, 0) + 1))
      where name = ${job.name} and id = ${job.id}::uuid and retry_count = ${job.retryCount} and state = 'active'`);
    if (moved.rowCount !== 1) return false;
    await tx
      .update(operationRuns)
      .set({
        status: "queued",
        attemptErrors: sql`${operationRuns.attemptErrors} || jsonb_build_array(jsonb_build_object(
          'attempt', ${run.attempt}::int, 'message', ${HANDED_BACK_MESSAGE}::text, 'handedBack', true, 'at', now()))`,
      })
      .where(
        and(
          eq(operationRuns.id, run.runId),
          eq(operationRuns.status, "running"),
          eq(operationRuns.attempt, run.attempt),
        ),
      );
    await tx.execute(sql`select pg_notify(${sql.raw(QUEUE_NOTIFY_CHANNEL)}, ${job.name})`);
    return true;
  });
}
