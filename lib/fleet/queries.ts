import "server-only";
import { and, count, desc, eq, gt, isNotNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { preparedOnce } from "@/db/prepared";
import { backupSets, operationRuns, schedules, tenantMemberships, tenants } from "@/db/schema";
import { FLEET_THRESHOLDS } from "./health";

/**
 * The fleet view's one query: a row per tenant the user is a member of, with the figures its
 * health is judged on. Database only (no Graph), one statement, prepared once per handle.
 *
 * Each per-tenant figure is a lateral subquery that an index answers for one tenant at a time
 * (db/schema/operation-runs.ts: operation_runs_tenant_type_read_idx, operation_runs_tenant_failed_idx; the
 * active-identity index for active runs; backup_sets_tenant_newest_idx). To add one (drift
 * findings, overdue schedules), add a subquery to PER_TENANT and its column to the select below,
 * named as FleetHealthInput names it (driftCount, overdueSchedules): the view judges the row as is.
 * Write fixed predicates as SQL literals: a bound one leaves the generic plan without the partial index.
 */
const PER_TENANT = {
  /** The newest inventory sync that read the tenant (fully or partly). */
  lastSync: (db: Db) =>
    db
      .select({ at: sql<Date | null>`${operationRuns.completedAt}`.as("last_sync_at") })
      .from(operationRuns)
      .where(
        and(
          eq(operationRuns.tenantId, tenants.id),
          eq(operationRuns.type, "inventory.sync"),
          // Literal, not bound: the planner must see the partial index's own predicate.
          sql`${operationRuns.outcome} in ('succeeded', 'partially_succeeded')`,
        ),
      )
      .orderBy(desc(operationRuns.completedAt))
      .limit(1)
      .as("last_sync"),
  /** The newest sealed backup set (an unsealed one never completed and restores nothing). */
  lastBackup: (db: Db) =>
    db
      .select({ at: sql<Date | null>`${backupSets.completedAt}`.as("last_backup_at") })
      .from(backupSets)
      .where(and(eq(backupSets.tenantId, tenants.id), isNotNull(backupSets.completedAt)))
      .orderBy(desc(backupSets.createdAt))
      .limit(1)
      .as("last_backup"),
  failedRuns: (db: Db) =>
    db
      .select({ n: count().as("failed_runs") })
      .from(operationRuns)
      .where(
        and(
          eq(operationRuns.tenantId, tenants.id),
          sql`${operationRuns.outcome} = 'failed'`,
          gt(operationRuns.completedAt, sql`now() - make_interval(hours => ${FLEET_THRESHOLDS.failedRunsWindowHours})`),
        ),
      )
      .as("failed"),
  /**
   * Policies the tenant's latest finished drift.detect found changed, missing or new (its summary
   * counts; the drift page lists the same run's findings). The sync's partial index answers it.
   */
  drift: (db: Db) =>
    db
      .select({
        n: sql<number>`coalesce((${operationRuns.summaryCounts} ->> 'changed')::int, 0)
          + coalesce((${operationRuns.summaryCounts} ->> 'missing')::int, 0)
          + coalesce((${operationRuns.summaryCounts} ->> 'new')::int, 0)`.as("drift_count"),
      })
      .from(operationRuns)
      .where(
        and(
          eq(operationRuns.tenantId, tenants.id),
          sql`${operationRuns.type} = 'drift.detect'`,
          sql`${operationRuns.outcome} in ('succeeded', 'partially_succeeded')`,
        ),
      )
      .orderBy(desc(operationRuns.completedAt))
      .limit(1)
      .as("drift"),
  /** Active schedules that missed a firing (lib/schedules/overdue-check.ts marks them). */
  overdueSchedules: (db: Db) =>
    db
      .select({ n: count().as("overdue_schedules") })
      .from(schedules)
      .where(
        and(eq(schedules.tenantId, tenants.id), sql`${schedules.overdueSince} is not null and not ${schedules.paused}`),
      )
      .as("overdue"),
  /** Queued or running: the predicate of the active-identity index, which answers it index-only. */
  activeRuns: (db: Db) =>
    db
      .select({ n: count().as("active_runs") })
      .from(operationRuns)
      .where(and(eq(operationRuns.tenantId, tenants.id), sql`${operationRuns.status} in ('queued', 'running')`))
      .as("active"),
};

/** The prepared statement (tests read its SQL with `getQuery()`). */
export function fleetStatement(db: Db) {
  const lastSync = PER_TENANT.lastSync(db);
  const lastBackup = PER_TENANT.lastBackup(db);
  const failed = PER_TENANT.failedRuns(db);
  const active = PER_TENANT.activeRuns(db);
  const drift = PER_TENANT.drift(db);
  const overdue = PER_TENANT.overdueSchedules(db);
  return db
    .select({
      tenantId: tenants.id,
      displayName: tenants.displayName,
      role: tenantMemberships.role,
      verificationStatus: tenants.verificationStatus,
      verifiedAt: tenants.verifiedAt,
      permissionGaps: sql<number>`jsonb_array_length(${tenants.permissionGaps})`.mapWith(Number),
      lastInventorySyncAt: sql<Date | null>`${lastSync.at}`.mapWith(tenants.verifiedAt),
      lastBackupAt: sql<Date | null>`${lastBackup.at}`.mapWith(tenants.verifiedAt),
      failedRuns: sql<number>`${failed.n}`.mapWith(Number),
      activeRuns: sql<number>`${active.n}`.mapWith(Number),
      driftCount: sql<number>`coalesce(${drift.n}, 0)`.mapWith(Number),
      overdueSchedules: sql<number>`${overdue.n}`.mapWith(Number),
      // The database's clock: ages are measured against the clock that wrote the timestamps.
      observedAt: sql<Date>`now()`.mapWith(tenants.createdAt),
    })
    .from(tenantMemberships)
    .innerJoin(tenants, eq(tenants.id, tenantMemberships.tenantId))
    .leftJoinLateral(lastSync, sql`true`)
    .leftJoinLateral(lastBackup, sql`true`)
    .crossJoinLateral(failed)
    .crossJoinLateral(active)
    .leftJoinLateral(drift, sql`true`)
    .crossJoinLateral(overdue)
    .where(eq(tenantMemberships.userId, sql.placeholder("userId")))
    .orderBy(tenants.displayName, tenants.id)
    .prepare("fleet");
}

export type FleetRow = Awaited<ReturnType<typeof listFleet>>[number];

/** The user's tenants with their fleet figures, by name; nobody else's tenant can appear. */
export async function listFleet(db: Db, userId: string) {
  if (!z.uuid().safeParse(userId).success) return [];
  return preparedOnce(db, "fleet", () => fleetStatement(db)).execute({ userId });
}
