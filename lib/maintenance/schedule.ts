import "server-only";
import type { PgBoss } from "pg-boss";
import { tenants } from "@/db/schema";
import { componentLog } from "@/lib/log";
import { type OperationDeps, SYSTEM_ACTOR, startOperation } from "@/lib/operations/start";
import type { Retention } from "./retention";

const log = componentLog("maintenance");

/**
 * The queue pg-boss's scheduler sends the daily firing to. A firing is not a run: it starts one
 * `maintenance.prune` run per tenant, and those are the runs.
 */
export const PRUNE_SCHEDULE_QUEUE = "maintenance.prune-schedule";

export type MaintenanceConfig = { cron: string; retention: Retention; queueJobsDays: number };
export type FiringResult = { started: number; skipped: number };

/**
 * One firing: a system-started prune for every tenant, through the same `startOperation` and dedupe
 * as any start. A tenant whose prune is still active is skipped, never given a second run; the
 * counts become the firing job's output in pg-boss.
 */
export async function firePrune(deps: OperationDeps, retention: Retention): Promise<FiringResult> {
  const result: FiringResult = { started: 0, skipped: 0 };
  for (const { id } of await deps.db.select({ id: tenants.id }).from(tenants)) {
    const { created } = await startOperation(deps, {
      actor: SYSTEM_ACTOR,
      tenantId: id,
      type: "maintenance.prune",
      inputs: retention,
    });
    result[created ? "started" : "skipped"] += 1;
  }
  return result;
}

/**
 * Registers the daily schedule with pg-boss (an upsert: every worker may call it; pg-boss's cron
 * pass is claimed by one instance at a time and files each occurrence once), works its firings, and
 * applies the job retention to the operation queues (pg-boss deletes finished jobs itself, in batches).
 * A firing missed while no worker ran is sent once when one comes back.
 */
export async function startMaintenance(boss: PgBoss, deps: OperationDeps, config: MaintenanceConfig) {
  const deleteAfterSeconds = config.queueJobsDays * 86_400;
  for (const type of Object.keys(deps.registry)) {
    if (await boss.getQueue(type)) await boss.updateQueue(type, { deleteAfterSeconds });
  }
  // Idempotent in pg-boss: workers starting together all get the one queue.
  await boss.createQueue(PRUNE_SCHEDULE_QUEUE, { retryLimit: 3, retryDelay: 60, deleteAfterSeconds });
  await boss.schedule(PRUNE_SCHEDULE_QUEUE, config.cron, null, { tz: "UTC", missed: "once" });
  await boss.work(PRUNE_SCHEDULE_QUEUE, async () => {
    const result = await firePrune(deps, config.retention);
    log.info(result, "prune fired (skipped: a tenant's prune still active)");
    return result;
  });
}
