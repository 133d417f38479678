import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { restoreItems, type RestoreItem } from "@/db/schema";

type RestoreItemRecord = Pick<RestoreItem, "runId" | "tenantId" | "backupItemId" | "family" | "name" | "status"> &
  Partial<Pick<RestoreItem, "createdPolicyId" | "assignedCount" | "skippedCount" | "message">>;

/** Writes (or moves on) one item's result within its run. */
export async function recordRestoreItem(db: DbOrTx, record: RestoreItemRecord) {
  const { runId: _r, tenantId: _t, backupItemId: _b, ...changes } = record;
  await db
    .insert(restoreItems)
    .values(record)
    .onConflictDoUpdate({ target: [restoreItems.runId, restoreItems.backupItemId], set: { ...changes, updatedAt: new Date() } });
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
