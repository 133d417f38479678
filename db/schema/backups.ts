import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { policyFamily } from "./inventory";
import { operationRuns } from "./operation-runs";
import { tenants } from "./tenants";

/** A backup of chosen policies, written by one `backup_set.create` run. Immutable once complete. */
export const backupSets = pgTable(
  "backup_sets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** The policy ids asked for, or null for "every policy in the inventory". */
    selection: jsonb("selection").$type<string[] | null>(),
    runId: uuid("run_id").references(() => operationRuns.id, { onDelete: "set null" }),
    itemCount: integer("item_count").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** Null while the run is writing it; a set without it never completed and is not restorable. */
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [
    index("backup_sets_tenant_newest_idx").on(t.tenantId, t.createdAt.desc().nullsFirst()),
    // Retention asks "does a backup refer to this run?" per run it deletes.
    index("backup_sets_run_idx").on(t.runId).where(sql`run_id is not null`),
    // A run seals one set at most: a retried attempt reuses the set an earlier attempt sealed.
    uniqueIndex("backup_sets_one_sealed_per_run").on(t.runId).where(sql`completed_at is not null`),
  ],
);

/** One policy as it was in Intune when the backup ran: full object, settings and assignments. */
export const backupItems = pgTable(
  "backup_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    backupSetId: uuid("backup_set_id")
      .notNull()
      .references(() => backupSets.id, { onDelete: "cascade" }),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    policyId: text("policy_id").notNull(),
    family: policyFamily("family").notNull(),
    name: text("name").notNull(),
    content: jsonb("content").$type<Record<string, unknown>>().notNull(),
    contentHash: text("content_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("backup_items_set_idx").on(t.backupSetId, t.name),
    // Retention keeps a policy version while a backup holds its content (same policy, same hash).
    index("backup_items_policy_content_idx").on(t.tenantId, t.policyId, t.contentHash),
  ],
);

export type BackupSet = typeof backupSets.$inferSelect;
export type BackupItem = typeof backupItems.$inferSelect;
