import { type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { SummaryCounts } from "@/db/schema";
import type { Retention } from "./retention";

/**
 * Rows one statement deletes at most. Each batch is its own short statement (autocommit), so no
 * lock is held for longer than one batch and the monitoring queries never wait behind a prune.
 */
export const PRUNE_BATCH = 5_000;

/**
 * Run types that are the record of something retention leaves alone: a restore's run is the restore
 * (the restores page lists those runs, and what it wrote into a tenant hangs off it).
 */
export const KEPT_RUN_TYPES = ["restore.execute"];

export type PruneCounts = {
  runsDeleted: number;
  notificationsDeleted: number;
  policyVersionsDeleted: number;
  scheduleFiringsDeleted: number;
  alertDeliveriesDeleted: number;
};

type Cursor = [string, string];
type Batch = { deleted: number; next: Cursor | null };
type Scope = { tenantId: string; r: Retention; size: number };

/**
 * Deletes one tenant's history that is past its retention, oldest first, in batches:
 * notifications (read ones sooner), completed runs (never an active one, a restore's, or one a
 * backup set refers to; their notifications go with them) and policy versions beyond the newest
 * `policyVersionsKept` of each policy (never one whose content a backup holds), schedule firings
 * older than the runs' days (never a schedule's newest: overdue counts from it) and finished alert
 * deliveries as old (with their tries). Backups themselves are not touched. Counts are reported after every batch; the signal is honoured between batches.
 */
export async function pruneTenant(
  db: Db,
  {
    tenantId,
    retention,
    signal,
    progress,
    batchSize = PRUNE_BATCH,
  }: {
    tenantId: string;
    retention: Retention;
    signal?: AbortSignal;
    progress?: (counts: SummaryCounts) => Promise<void>;
    batchSize?: number;
  },
): Promise<PruneCounts> {
  const counts: PruneCounts = {
    runsDeleted: 0,
    notificationsDeleted: 0,
    policyVersionsDeleted: 0,
    scheduleFiringsDeleted: 0,
    alertDeliveriesDeleted: 0,
  };
  const scope: Scope = { tenantId, r: retention, size: batchSize };
  const steps: [keyof PruneCounts, (after: Cursor) => SQL, Cursor][] = [
    ["notificationsDeleted", (after) => notificationBatch(scope, after), START_OF_TIME],
    ["runsDeleted", (after) => runBatch(scope, after), START_OF_TIME],
    ["policyVersionsDeleted", (after) => versionBatch(scope, after), START_OF_POLICIES],
    ["scheduleFiringsDeleted", (after) => firingBatch(scope, after), START_OF_TIME],
    ["alertDeliveriesDeleted", (after) => deliveryBatch(scope, after), START_OF_TIME],
  ];
  for (const [kind, batch, start] of steps) {
    let after: Cursor | null = start;
    while (after) {
      signal?.throwIfAborted();
      const { deleted, next }: Batch = parseBatch(await db.execute(batch(after)), batchSize);
      counts[kind] += deleted;
      if (deleted > 0) await progress?.({ ...counts });
      after = next;
    }
  }
  await progress?.({ ...counts });
  return counts;
}

const START_OF_TIME: Cursor = ["-infinity", "00000000-0000-0000-0000-000000000000"];
// Policy ids are text (migration 0036): the empty string sorts before every id.
const START_OF_POLICIES: Cursor = ["", "0"];

const daysAgo = (days: number) => sql`now() - make_interval(days => ${days})`;

/**
 * Each batch walks the next PRUNE_BATCH candidates in index order after a cursor (so rows it keeps
 * are never read twice), deletes those past retention, and answers with the cursor to go on from;
 * the cursor's time travels as text, keeping PostgreSQL's microseconds.
 */
function batchResult(position: SQL, last: SQL) {
  return sql`select (select count(*) from gone)::int as deleted, (select count(*) from batch)::int as scanned,
    (select ${position} from batch order by ${last} limit 1) as next`;
}
const byTime = [sql`array[created_at::text, id::text]`, sql`created_at desc, id desc`] as const;

function notificationBatch({ tenantId, r, size }: Scope, [afterTime, afterId]: Cursor) {
  const oldest = Math.min(r.readNotificationDays, r.notificationDays);
  return sql`with batch as (
      select id, created_at from notifications
      where tenant_id = ${tenantId} and created_at < ${daysAgo(oldest)}
        and (created_at, id) > (${afterTime}::timestamptz, ${afterId}::uuid)
      order by created_at, id limit ${size}
    ), gone as (
      delete from notifications n using batch b
      where n.id = b.id
        and (n.created_at < ${daysAgo(r.notificationDays)}
          or (n.read_at is not null and n.created_at < ${daysAgo(r.readNotificationDays)}))
      returning n.id
    ) ${batchResult(...byTime)}`;
}

function runBatch({ tenantId, r, size }: Scope, [afterTime, afterId]: Cursor) {
  // A run completes after it was created, so the tenant's runs created before the cutoff are the
  // only candidates, and its newest-first index serves them in order.
  return sql`with batch as (
      select id, created_at from operation_runs
      where tenant_id = ${tenantId} and created_at < ${daysAgo(r.runDays)}
        and (created_at, id) > (${afterTime}::timestamptz, ${afterId}::uuid)
      order by created_at, id limit ${size}
    ), gone as (
      delete from operation_runs o using batch b
      where o.id = b.id and o.status = 'completed' and o.completed_at < ${daysAgo(r.runDays)}
        and o.type <> all(${`{${KEPT_RUN_TYPES.join(",")}}`}::text[])
        and not exists (select 1 from backup_sets s where s.run_id = o.id)
      returning o.id
    ) ${batchResult(...byTime)}`;
}

function versionBatch({ tenantId, r, size }: Scope, [afterPolicy, afterVersion]: Cursor) {
  return sql`with batch as (
      select id, policy_id, version from policy_versions
      where tenant_id = ${tenantId} and (policy_id, version) > (${afterPolicy}::text, ${afterVersion}::int)
      order by policy_id, version limit ${size}
    ), gone as (
      delete from policy_versions v using batch b
      where v.id = b.id
        and v.version <= (select max(l.version) from policy_versions l
                          where l.tenant_id = v.tenant_id and l.policy_id = v.policy_id) - ${r.policyVersionsKept}
        and not exists (select 1 from backup_items i
                        where i.tenant_id = v.tenant_id and i.policy_id = v.policy_id and i.content_hash = v.content_hash)
      returning v.id
    ) ${batchResult(sql`array[policy_id::text, version::text]`, sql`policy_id desc, version desc`)}`;
}

function firingBatch({ tenantId, r, size }: Scope, [afterTime, afterId]: Cursor) {
  return sql`with batch as (
      select f.id, f.fired_at as created_at from schedule_firings f
      join schedules s on s.id = f.schedule_id
      where s.tenant_id = ${tenantId} and f.fired_at < ${daysAgo(r.runDays)}
        and (f.fired_at, f.id) > (${afterTime}::timestamptz, ${afterId}::uuid)
      order by f.fired_at, f.id limit ${size}
    ), gone as (
      delete from schedule_firings f using batch b
      where f.id = b.id
        and exists (select 1 from schedule_firings n where n.schedule_id = f.schedule_id and n.fired_at > f.fired_at)
      returning f.id
    ) ${batchResult(...byTime)}`;
}

function deliveryBatch({ tenantId, r, size }: Scope, [afterTime, afterId]: Cursor) {
  // A pending delivery still has a try queued: it stays until it is finished.
  return sql`with batch as (
      select id, created_at from alert_deliveries
      where tenant_id = ${tenantId} and created_at < ${daysAgo(r.runDays)}
        and (created_at, id) > (${afterTime}::timestamptz, ${afterId}::uuid)
      order by created_at, id limit ${size}
    ), gone as (
      delete from alert_deliveries d using batch b
      where d.id = b.id and d.status <> 'pending'
      returning d.id
    ) ${batchResult(...byTime)}`;
}

function parseBatch(result: { rows: Record<string, unknown>[] }, size: number): Batch {
  const row = result.rows[0] as { deleted: number; scanned: number; next: string[] | null };
  // A short batch was the last one.
  const next = row.scanned === size && row.next ? (row.next as Cursor) : null;
  return { deleted: row.deleted, next };
}
