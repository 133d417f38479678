import "server-only";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { backupSets, operationRuns, type RestoreItem, restoreItems, tenants } from "@/db/schema";

type RestoreItemRecord = Pick<RestoreItem, "runId" | "tenantId" | "backupItemId" | "family" | "name" | "status"> &
  Partial<Pick<RestoreItem, "createdPolicyId" | "assignedCount" | "skippedCount" | "message">>;

/** Writes (or moves on) one item's result within its run. */
export async function recordRestoreItem(db: DbOrTx, record: RestoreItemRecord) {
  const changes = {
    status: record.status,
    createdPolicyId: record.createdPolicyId,
    assignedCount: record.assignedCount,
    skippedCount: record.skippedCount,
    message: record.message,
  };
  await db
    .insert(restoreItems)
    .values(record)
    .onConflictDoUpdate({
      target: [restoreItems.runId, restoreItems.backupItemId],
      set: { ...changes, updatedAt: new Date() },
    });
}

/** What earlier attempts of this run already did, by backup item. */
export async function restoreItemsOf(db: DbOrTx, runId: string) {
  const rows = await db.select().from(restoreItems).where(eq(restoreItems.runId, runId));
  return new Map(rows.map((r) => [r.backupItemId, r]));
}

export async function listRestoreItems(db: DbOrTx, tenantId: string, runId: string) {
  return db
    .select()
    .from(restoreItems)
    .where(and(eq(restoreItems.tenantId, tenantId), eq(restoreItems.runId, runId)))
    .orderBy(asc(restoreItems.family), asc(restoreItems.name));
}

/** The tenant's restores (its `restore.execute` runs), newest first, with the backup each came from. */
export async function listRestores(db: DbOrTx, tenantId: string) {
  return db
    .select({
      runId: operationRuns.id,
      status: operationRuns.status,
      outcome: operationRuns.outcome,
      createdAt: operationRuns.createdAt,
      initiatorName: operationRuns.initiatorName,
      summary: operationRuns.summaryCounts,
      backupName: backupSets.name,
      sourceTenantName: tenants.displayName,
    })
    .from(operationRuns)
    .leftJoin(backupSets, sql`${backupSets.id}::text = ${operationRuns.inputs}->>'backupSetId'`)
    .leftJoin(tenants, eq(tenants.id, backupSets.tenantId))
    .where(and(eq(operationRuns.tenantId, tenantId), eq(operationRuns.type, "restore.execute")))
    .orderBy(desc(operationRuns.createdAt))
    .limit(100);
}
