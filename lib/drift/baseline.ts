import "server-only";
import { and, desc, eq, isNotNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import {
  backupItems,
  backupSets,
  driftBaselineEntries,
  driftBaselines,
  tenantMemberships,
  tenants,
  users,
} from "@/db/schema";
import { recordAudit, userAuditActor } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/actor";
import { assignmentFilterIds, referenceNames, scopeTagIdsOf } from "@/lib/directory/references";
import { InputError } from "@/lib/errors";
import { withoutSealedSecrets } from "@/lib/secrets/oma-settings";
import { requireTenantAccess } from "@/lib/tenants/access";
import { groupNameMap, referencedGroupIds } from "./findings";

export const baselineInputSchema = z.object({ tenantId: z.uuid(), backupSetId: z.uuid() }).strict();

/** The one answer for a set that cannot be a baseline, whatever the reason: it reveals nothing. */
export const UNUSABLE_BASELINE =
  "This backup cannot be the baseline: choose a complete backup of a tenant you can read.";

/**
 * A sealed backup set this user may take a baseline from: one of the tenant's own, or of another
 * tenant they can read. Anything else — unknown, unsealed, or of a tenant they are not a member
 * of — gets the same answer, so it reveals nothing about other tenants' sets.
 */
async function readableSealedSet(db: DbOrTx, { userId, backupSetId }: { userId: string; backupSetId: string }) {
  const [set] = await db
    .select({ id: backupSets.id, tenantId: backupSets.tenantId, name: backupSets.name })
    .from(backupSets)
    .where(and(eq(backupSets.id, backupSetId), isNotNull(backupSets.completedAt)));
  if (!set) throw new InputError(UNUSABLE_BASELINE);
  await requireTenantAccess(db, { userId, tenantId: set.tenantId, minRole: "viewer" }).catch(() => {
    throw new InputError(UNUSABLE_BASELINE);
  });
  return set;
}

/**
 * Makes a sealed backup set the tenant's drift baseline (owner only): the baseline row points at
 * the set (which can no longer be deleted) and every item's content is copied into the tenant's
 * baseline entries, replacing the previous baseline and any accepted versions. Audited in the
 * same transaction.
 */
export async function setDriftBaseline(
  db: DbOrTx,
  { actor, tenantId, backupSetId }: { actor: Actor; tenantId: string; backupSetId: string },
) {
  const { tenant } = await requireTenantAccess(db, { userId: actor.userId, tenantId, minRole: "owner" });
  const set = await readableSealedSet(db, { userId: actor.userId, backupSetId });
  return db.transaction(async (tx) => {
    // One baseline change per tenant at a time: the entries are replaced as a whole.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('drift_baseline'), hashtext(${tenantId}))`);
    await tx
      .insert(driftBaselines)
      .values({ tenantId, backupSetId, setBy: actor.userId })
      .onConflictDoUpdate({
        target: driftBaselines.tenantId,
        set: { backupSetId, setBy: actor.userId, setAt: sql`now()` },
      });
    await tx.delete(driftBaselineEntries).where(eq(driftBaselineEntries.tenantId, tenantId));
    const items = await tx
      .select({
        policyId: backupItems.policyId,
        family: backupItems.family,
        name: backupItems.name,
        content: backupItems.content,
      })
      .from(backupItems)
      .where(eq(backupItems.backupSetId, set.id));
    // Another tenant's group ids are named now, while its cache is here to name them.
    const names =
      set.tenantId === tenantId
        ? new Map<string, string>()
        : await groupNameMap(
            tx,
            set.tenantId,
            items.flatMap((item) => referencedGroupIds(item.content)),
          );
    // Its filters likewise, from that tenant's filter cache.
    const filterNames =
      set.tenantId === tenantId
        ? new Map<string, string>()
        : await referenceNames(tx, {
            tenantId: set.tenantId,
            kind: "filter",
            ids: items.flatMap((item) => assignmentFilterIds(item.content)),
          });
    const tagNames =
      set.tenantId === tenantId
        ? new Map<string, string>()
        : await referenceNames(tx, {
            tenantId: set.tenantId,
            kind: "scopeTag",
            ids: items.flatMap((item) => scopeTagIdsOf(item.family, item.content)),
          });
    const named = (ids: string[], names: Map<string, string>) =>
      Object.fromEntries(ids.flatMap((id) => (names.has(id) ? [[id, names.get(id)!]] : [])));
    if (items.length)
      await tx.insert(driftBaselineEntries).values(
        items.map((item) => ({
          tenantId,
          sourceTenantId: set.tenantId,
          policyId: item.policyId,
          family: item.family,
          name: item.name,
          // Sealed plain texts stay in the backup: they are bound to the set's tenant and policy.
          content: withoutSealedSecrets(item.content),
          groupNames: Object.fromEntries(
            referencedGroupIds(item.content).flatMap((id) => (names.has(id) ? [[id, names.get(id)!]] : [])),
          ),
          filterNames: named(assignmentFilterIds(item.content), filterNames),
          scopeTagNames: named(scopeTagIdsOf(item.family, item.content), tagNames),
          origin: "backup" as const,
        })),
      );
    await recordAudit(tx, {
      actor: userAuditActor(actor),
      tenantId,
      action: "drift.baseline_set",
      target: { type: "backup_set", id: set.id, label: set.name },
      outcome: "success",
      clientAddress: actor.clientAddress,
      details: { policies: items.length, crossTenant: set.tenantId !== tenantId, tenant: tenant.displayName },
    });
    return { backupSetId: set.id, policies: items.length };
  });
}

/** The tenant's baseline as the drift page shows it (null when none is set). */
export async function driftBaselineOf(db: DbOrTx, tenantId: string) {
  const [row] = await db
    .select({
      backupSetId: driftBaselines.backupSetId,
      setAt: driftBaselines.setAt,
      setByName: users.name,
      setName: backupSets.name,
      sourceTenantId: backupSets.tenantId,
      sourceTenantName: tenants.displayName,
      entries: sql<number>`(select count(*)::int from ${driftBaselineEntries} where ${driftBaselineEntries.tenantId} = ${tenantId})`,
    })
    .from(driftBaselines)
    // Left joins: the set (and its tenant) may be gone while the baseline's entries remain.
    .leftJoin(backupSets, eq(backupSets.id, driftBaselines.backupSetId))
    .leftJoin(tenants, eq(tenants.id, backupSets.tenantId))
    .leftJoin(users, eq(users.id, driftBaselines.setBy))
    .where(eq(driftBaselines.tenantId, tenantId));
  return row ?? null;
}

/** Every baseline entry of the tenant (what detection compares with). */
export function baselineEntriesOf(db: DbOrTx, tenantId: string) {
  return db.select().from(driftBaselineEntries).where(eq(driftBaselineEntries.tenantId, tenantId));
}

/** Backup sets used as a baseline: never deleted (engineer B's protected-sets rule reads this). */
export function isBaselineSet(db: DbOrTx, backupSetId: string) {
  return db
    .select({ tenantId: driftBaselines.tenantId })
    .from(driftBaselines)
    .where(eq(driftBaselines.backupSetId, backupSetId))
    .limit(1)
    .then((rows) => rows.length > 0);
}

/** Sealed backup sets the user may choose as a baseline: of every tenant they are a member of, newest first. */
export function baselineCandidates(db: DbOrTx, userId: string) {
  return db
    .select({
      id: backupSets.id,
      name: backupSets.name,
      createdAt: backupSets.createdAt,
      itemCount: backupSets.itemCount,
      tenantId: backupSets.tenantId,
      tenantName: tenants.displayName,
    })
    .from(backupSets)
    .innerJoin(tenants, eq(tenants.id, backupSets.tenantId))
    .innerJoin(tenantMemberships, and(eq(tenantMemberships.tenantId, tenants.id), eq(tenantMemberships.userId, userId)))
    .where(isNotNull(backupSets.completedAt))
    .orderBy(desc(backupSets.createdAt))
    .limit(100);
}
