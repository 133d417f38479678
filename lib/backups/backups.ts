import "server-only";
import { and, asc, count, desc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { backupItems, backupSets, policies } from "@/db/schema";
import type { MembershipRole } from "@/db/schema/enums";
import { NotFoundError } from "@/lib/errors";
import { APP_NAMES_KEY, type TenantAppNames } from "@/lib/intune/tenant-apps";
import { type PolicySnapshot, snapshotContent } from "@/lib/inventory/policies";
import { SEALED_SECRETS_KEY, type SealedSecrets, withoutSealedSecrets } from "@/lib/secrets/oma-settings";
import { policyContentFor } from "@/lib/secrets/policy-masking";

/** The policies a backup should take: the selection (those still in the inventory) or all of them. */
export async function policiesToBackUp(db: DbOrTx, tenantId: string, selection: string[] | null) {
  const where = [eq(policies.tenantId, tenantId), eq(policies.deleted, false)];
  if (selection) where.push(inArray(policies.id, selection));
  const rows = await db
    .select({ id: policies.id, family: policies.family, name: policies.name })
    .from(policies)
    .where(and(...where))
    .orderBy(asc(policies.family), asc(policies.name));
  const found = new Set(rows.map((r) => r.id));
  return { policies: rows, missing: (selection ?? []).filter((id) => !found.has(id)) };
}

/**
 * The set an earlier attempt of this run already sealed: its worker died (or its database
 * connection did) after sealing but before the run was completed. The retry reuses it.
 */
export async function sealedBackupSetOfRun(db: DbOrTx, runId: string) {
  const [set] = await db
    .select({ id: backupSets.id, itemCount: backupSets.itemCount })
    .from(backupSets)
    .where(and(eq(backupSets.runId, runId), isNotNull(backupSets.completedAt)));
  return set;
}

/**
 * Starts the run's backup set. A set an earlier attempt of the same run left unfinished is dropped
 * first (with its items), so a retried run ends with exactly one set.
 */
export async function openBackupSet(
  db: DbOrTx,
  { tenantId, runId, selection }: { tenantId: string; runId: string; selection: string[] | null },
) {
  await db.delete(backupSets).where(and(eq(backupSets.runId, runId), isNull(backupSets.completedAt)));
  const [set] = await db
    .insert(backupSets)
    .values({
      tenantId,
      runId,
      selection,
      name: `Backup of ${selection ? `${selection.length} selected` : "all"} policies`,
    })
    .returning({ id: backupSets.id });
  return set!.id;
}

/**
 * One policy into the set. Sealed secrets ride along in the content; the hash is the inventory's
 * (without them), so a backup item and the version it was taken from have the same hash.
 */
export async function addBackupItem(
  db: DbOrTx,
  {
    tenantId,
    backupSetId,
    name,
    snapshot,
    sealedSecrets = {},
    appNames = {},
  }: {
    tenantId: string;
    backupSetId: string;
    name: string;
    snapshot: PolicySnapshot;
    sealedSecrets?: SealedSecrets;
    /** Names of the tenant apps it targets (lib/intune/tenant-apps.ts), beside the content like the secrets. */
    appNames?: TenantAppNames;
  },
) {
  const { content: read, hash } = snapshotContent(snapshot);
  const content = Object.keys(appNames).length ? { ...read, [APP_NAMES_KEY]: appNames } : read;
  await db.insert(backupItems).values({
    backupSetId,
    tenantId,
    policyId: snapshot.body.id,
    family: snapshot.family,
    name,
    content: Object.keys(sealedSecrets).length ? { ...content, [SEALED_SECRETS_KEY]: sealedSecrets } : content,
    contentHash: hash,
  });
}

/** Seals the set: from now on neither it nor its items change. */
export async function completeBackupSet(db: DbOrTx, backupSetId: string) {
  const [{ n }] = (await db
    .select({ n: count() })
    .from(backupItems)
    .where(eq(backupItems.backupSetId, backupSetId))) as [{ n: number }];
  await db.update(backupSets).set({ itemCount: n, completedAt: sql`now()` }).where(eq(backupSets.id, backupSetId));
  return n;
}

export async function listBackupSets(db: DbOrTx, tenantId: string) {
  return db
    .select()
    .from(backupSets)
    .where(eq(backupSets.tenantId, tenantId))
    .orderBy(desc(backupSets.createdAt))
    .limit(200);
}

type BackupSetRead = { tenantId: string; backupSetId: string; role: MembershipRole };

/** One backup set and its items, their content as `role` may see it (lib/secrets/policy-masking.ts). */
export async function getBackupSet(db: DbOrTx, { tenantId, backupSetId, role }: BackupSetRead) {
  if (!z.uuid().safeParse(backupSetId).success) throw new NotFoundError("backup");
  const [set] = await db
    .select()
    .from(backupSets)
    .where(and(eq(backupSets.tenantId, tenantId), eq(backupSets.id, backupSetId)));
  if (!set) throw new NotFoundError("backup");
  const items = await db
    .select({
      id: backupItems.id,
      policyId: backupItems.policyId,
      family: backupItems.family,
      name: backupItems.name,
      content: backupItems.content,
      contentHash: backupItems.contentHash,
    })
    .from(backupItems)
    .where(eq(backupItems.backupSetId, backupSetId))
    .orderBy(asc(backupItems.family), asc(backupItems.name));
  // This is what the backup page shows: sealed secrets stay out of it, and a viewer's secret values.
  const visible = (content: Record<string, unknown>) => policyContentFor(role, withoutSealedSecrets(content));
  return { set, items: items.map((item) => ({ ...item, content: visible(item.content) })) };
}
