import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";

/** Why a backup set may not be deleted, by retention or by an owner. */
export type Protection = "pinned" | "newest" | "baseline";

export const PROTECTION_MESSAGES: Record<Protection, string> = {
  pinned: "This backup is pinned: unpin it first.",
  newest: "This is the tenant's newest complete backup: it is always kept.",
  baseline: "This backup is a drift baseline: choose another baseline first.",
};

/**
 * The one rule of which backup sets stay whatever retention says: a pinned set, the tenant's
 * newest sealed set, and a set some tenant (this or another) compares its drift with. Null when `backupSetId` may go. Called inside the deleting transaction after
 * the set's row is locked, so a pin or a newer seal committed before it is seen.
 */
export async function backupSetProtection(
  db: DbOrTx,
  { tenantId, backupSetId }: { tenantId: string; backupSetId: string },
): Promise<Protection | null> {
  const { rows } = await db.execute<{ pinned: boolean; newest: boolean; baseline: boolean }>(sql`
    select exists (select 1 from backup_pins where backup_set_id = ${backupSetId}) as pinned,
      exists (select 1 from drift_baselines where backup_set_id = ${backupSetId}) as baseline,
      coalesce((select id from backup_sets where tenant_id = ${tenantId} and completed_at is not null
                order by created_at desc, id desc limit 1) = ${backupSetId}::uuid, false) as newest`);
  const [row] = rows;
  if (row?.pinned) return "pinned";
  if (row?.baseline) return "baseline";
  if (row?.newest) return "newest";
  return null;
}

/**
 * An active restore reading `backupSetId` (from any tenant: a restore may take another tenant's
 * backup), or undefined. A set in use is not deleted; the restore would lose its items mid-way.
 */
export async function activeRestoreOf(db: DbOrTx, backupSetId: string): Promise<string | undefined> {
  const { rows } = await db.execute<{ id: string }>(sql`
    select id from operation_runs
    where type = 'restore.execute' and status in ('queued', 'running') and inputs ->> 'backupSetId' = ${backupSetId}
    limit 1`);
  return rows[0]?.id;
}
