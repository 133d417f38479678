import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { backupSets } from "./backups";
import { operationRuns } from "./operation-runs";
import { tenants } from "./tenants";
import { users } from "./users";

/**
 * A tenant's backup retention, set by an owner. Both limits null (or no row) keeps everything;
 * with both, a set goes when it is past either. The newest sealed set and pinned sets always stay.
 */
export const backupRetention = pgTable(
  "backup_retention",
  {
    tenantId: uuid("tenant_id")
      .primaryKey()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** Sealed sets older than this many days go. */
    keepDays: integer("keep_days"),
    /** Only the newest this many sealed sets stay. */
    keepCount: integer("keep_count"),
    updatedByName: text("updated_by_name").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("backup_retention_days_positive", sql`${t.keepDays} is null or ${t.keepDays} >= 1`),
    check("backup_retention_count_positive", sql`${t.keepCount} is null or ${t.keepCount} >= 1`),
  ],
);

/**
 * A pin keeps a backup set from retention and from deletion. Its own row, not a column: a sealed
 * set is immutable (backup_sets_final trigger), and a pin's insert takes a key-share lock on the set
 * row, so it serializes with a delete of that set.
 */
export const backupPins = pgTable("backup_pins", {
  backupSetId: uuid("backup_set_id")
    .primaryKey()
    .references(() => backupSets.id, { onDelete: "cascade" }),
  tenantId: uuid("tenant_id")
    .notNull()
    .references(() => tenants.id, { onDelete: "cascade" }),
  pinnedByUserId: uuid("pinned_by_user_id").references(() => users.id, { onDelete: "set null" }),
  /** The pinner's name as it was, so the Backups list reads right after a rename or departure. */
  pinnedByName: text("pinned_by_name").notNull(),
  pinnedAt: timestamp("pinned_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * What a `retention.apply` or `backup_set.delete` run deleted, written in the transaction that
 * deletes the set: the run page names every set it removed, and a retried run sees the ones an
 * earlier attempt already did. The set's id is kept as a plain value (the set is gone).
 */
export const backupDeletions = pgTable(
  "backup_deletions",
  {
    runId: uuid("run_id")
      .notNull()
      .references(() => operationRuns.id, { onDelete: "cascade" }),
    backupSetId: uuid("backup_set_id").notNull(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    setCreatedAt: timestamp("set_created_at", { withTimezone: true }).notNull(),
    itemCount: integer("item_count").notNull(),
    /** Why it went: past the days, beyond the count, or an owner's delete. */
    reason: text("reason").notNull(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.backupSetId] }), index("backup_deletions_tenant_idx").on(t.tenantId)],
);

export type BackupRetention = typeof backupRetention.$inferSelect;
export type BackupPin = typeof backupPins.$inferSelect;
export type BackupDeletion = typeof backupDeletions.$inferSelect;
