import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { backupItems } from "./backups";
import { policyFamily } from "./inventory";
import { operationRuns } from "./operation-runs";
import { tenants } from "./tenants";

export const restoreItemStatus = pgEnum("restore_item_status", ["created", "restored", "failed"]);

/**
 * What one `restore.execute` run did with one backup item in the target tenant. A row is written
 * as soon as the policy exists, so a retried run assigns it instead of creating it twice.
 */
export const restoreItems = pgTable(
  "restore_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    runId: uuid("run_id")
      .notNull()
      .references(() => operationRuns.id, { onDelete: "cascade" }),
    /** The target tenant (where the policy was created). */
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    backupItemId: uuid("backup_item_id").references(() => backupItems.id, { onDelete: "set null" }),
    family: policyFamily("family").notNull(),
    name: text("name").notNull(),
    status: restoreItemStatus("status").notNull(),
    /** The new policy's id in the target tenant. */
    createdPolicyId: text("created_policy_id"),
    assignedCount: integer("assigned_count").notNull().default(0),
    skippedCount: integer("skipped_count").notNull().default(0),
    message: text("message"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("restore_items_run_item_idx").on(t.runId, t.backupItemId),
    index("restore_items_tenant_idx").on(t.tenantId),
  ],
);

export type RestoreItem = typeof restoreItems.$inferSelect;
