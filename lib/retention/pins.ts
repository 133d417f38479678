import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { backupPins, backupSets } from "@/db/schema";
import { recordAudit, userAuditActor } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/actor";
import { InputError, NotFoundError } from "@/lib/errors";
import { requireTenantAccess } from "@/lib/tenants/access";

type PinChange = { actor: Actor; tenantId: string; backupSetId: string; pinned: boolean };

/**
 * Pins or unpins a sealed backup set (owners only): a pinned set is never pruned nor deleted. Not a
 * run (one row, no outside system); audited in the same transaction. The set's row is read under a
 * key-share lock, so a pin and a delete of the same set never both succeed. Pinning twice is a no-op.
 */
export async function setBackupPin(db: Db, { actor, tenantId, backupSetId, pinned }: PinChange) {
  await requireTenantAccess(db, { userId: actor.userId, tenantId, minRole: "owner" });
  if (!z.uuid().safeParse(backupSetId).success) throw new NotFoundError("backup");
  await db.transaction(async (tx) => {
    const [set] = await tx
      .select({ name: backupSets.name, completedAt: backupSets.completedAt })
      .from(backupSets)
      .where(and(eq(backupSets.tenantId, tenantId), eq(backupSets.id, backupSetId)))
      .for("key share");
    if (!set) throw new NotFoundError("backup");
    if (!set.completedAt) throw new InputError("Only a complete backup can be pinned.");
    const changed = pinned
      ? await tx
          .insert(backupPins)
          .values({ backupSetId, tenantId, pinnedByUserId: actor.userId, pinnedByName: actor.name })
          .onConflictDoNothing()
          .returning({ id: backupPins.backupSetId })
      : await tx
          .delete(backupPins)
          .where(eq(backupPins.backupSetId, backupSetId))
          .returning({ id: backupPins.backupSetId });
    if (!changed.length) return;
    await recordAudit(tx, {
      actor: userAuditActor(actor),
      tenantId,
      action: pinned ? "backup.pin" : "backup.unpin",
      target: { type: "backup_set", id: backupSetId, label: set.name },
      outcome: "success",
      clientAddress: actor.clientAddress,
    });
  });
}

/** Each pinned set of the tenant and who pinned it, by set id (for the Backups list). */
export async function pinsOf(db: Db, tenantId: string) {
  const rows = await db.select().from(backupPins).where(eq(backupPins.tenantId, tenantId));
  return new Map(rows.map((row) => [row.backupSetId, row]));
}
