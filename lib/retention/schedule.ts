import "server-only";
import { sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Db } from "@/db/client";
import { componentLog } from "@/lib/log";
import { type OperationDeps, SYSTEM_ACTOR, startOperation } from "@/lib/operations/start";

const log = componentLog("retention");

/** The queue pg-boss's scheduler sends the daily firing to; a firing starts one run per tenant with a policy. */
export const RETENTION_SCHEDULE_QUEUE = "retention.apply-schedule";

/** Tenants whose retention can delete something: a policy with at least one limit. */
async function tenantsWithRetention(db: Db) {
  const { rows } = await db.execute<{ tenant_id: string }>(
    sql`select tenant_id from backup_retention where keep_days is not null or keep_count is not null`,
  );
  return rows.map((row) => row.tenant_id);
}

/**
 * One firing: a system-started `retention.apply` for every tenant that has a retention policy,
 * through `startOperation` (a tenant whose run is still active is skipped, never given a second).
 */
export async function fireRetention(deps: OperationDeps) {
  const result = { started: 0, skipped: 0 };
  for (const tenantId of await tenantsWithRetention(deps.db)) {
    const { created } = await startOperation(deps, { actor: SYSTEM_ACTOR, tenantId, type: "retention.apply" });
    result[created ? "started" : "skipped"] += 1;
  }
  return result;
}

/** Registers the daily firing with pg-boss's scheduler (an upsert every worker may make) and works it. */
export async function startRetentionSchedule(boss: PgBoss, deps: OperationDeps, cron: string) {
  await boss.createQueue(RETENTION_SCHEDULE_QUEUE, { retryLimit: 3, retryDelay: 60 });
  await boss.schedule(RETENTION_SCHEDULE_QUEUE, cron, null, { tz: "UTC", missed: "once" });
  await boss.work(RETENTION_SCHEDULE_QUEUE, async () => {
    const result = await fireRetention(deps);
    log.info(result, "backup retention fired (skipped: a tenant's run still active)");
    return result;
  });
}
