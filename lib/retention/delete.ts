import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { backupDeletions, backupSets } from "@/db/schema";
import { activeRestoreOf, backupSetProtection, type Protection } from "./protected";

/** Why a set went: past the tenant's days, beyond its count, or an owner's delete. */
export type DeletionReason = "past_days" | "beyond_count" | "owner";

export type DeleteOutcome =
  | { deleted: true }
  | { deleted: false; refused: Protection | "in_use" | "unsealed" | "gone"; restoreRunId?: string };

/**
 * Deletes one sealed backup set (its items go with it) and records it as deleted by `runId`, in one
 * short transaction: the set's row is locked first, then the protection rule and the active
 * restores are read, so nothing that commits meanwhile slips past them. Safe to repeat: a set
 * already gone changes nothing (a retried run finds it in `backup_deletions` instead).
 */
export async function deleteBackupSetOnce(
  db: Db,
  {
    runId,
    tenantId,
    backupSetId,
    reason,
  }: { runId: string; tenantId: string; backupSetId: string; reason: DeletionReason },
): Promise<DeleteOutcome> {
  return db.transaction(async (tx) => {
    const [set] = await tx
      .select()
      .from(backupSets)
      .where(and(eq(backupSets.tenantId, tenantId), eq(backupSets.id, backupSetId)))
      .for("update");
    if (!set) return { deleted: false, refused: "gone" };
    // A set still being written belongs to its backup run, whatever its age.
    if (!set.completedAt) return { deleted: false, refused: "unsealed" };
    const protection = await backupSetProtection(tx, { tenantId, backupSetId });
    if (protection) return { deleted: false, refused: protection };
    const restoreRunId = await activeRestoreOf(tx, backupSetId);
    if (restoreRunId) return { deleted: false, refused: "in_use", restoreRunId };
    await tx
      .insert(backupDeletions)
      .values({
        runId,
        backupSetId,
        tenantId,
        name: set.name,
        setCreatedAt: set.createdAt,
        itemCount: set.itemCount,
        reason,
      })
      .onConflictDoNothing();
    await tx.delete(backupSets).where(eq(backupSets.id, backupSetId));
    return { deleted: true };
  });
}

/** Run types whose page lists the backup sets they deleted. */
export const DELETING_RUN_TYPES: readonly string[] = ["retention.apply", "backup_set.delete"];

/** The sets `runId` deleted, oldest first: what its run page lists. */
export async function deletionsOfRun(db: Db, { tenantId, runId }: { tenantId: string; runId: string }) {
  return db
    .select()
    .from(backupDeletions)
    .where(and(eq(backupDeletions.tenantId, tenantId), eq(backupDeletions.runId, runId)))
    .orderBy(backupDeletions.setCreatedAt);
}

export async function deletionCountOfRun(db: Db, runId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(backupDeletions)
    .where(eq(backupDeletions.runId, runId));
  return row?.n ?? 0;
}
