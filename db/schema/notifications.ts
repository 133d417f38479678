import { sql } from "drizzle-orm";
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { notificationKind, runOutcome } from "./enums";
import { operationRuns } from "./operation-runs";
import { tenants } from "./tenants";
import { users } from "./users";

export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Null (with runId) for notifications about the account itself, such as a linked identity. */
    tenantId: uuid("tenant_id").references(() => tenants.id, { onDelete: "cascade" }),
    runId: uuid("run_id").references(() => operationRuns.id, { onDelete: "cascade" }),
    kind: notificationKind("kind").notNull(),
    /** The run's outcome when the notification was written ("pending" for queued). */
    outcome: runOutcome("outcome").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    readAt: timestamp("read_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One queued and one terminal notification per run and recipient, even when a job is redelivered.
    uniqueIndex("notifications_run_kind_key").on(t.runId, t.userId, t.kind),
    index("notifications_user_newest_idx").on(t.userId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // Newest unread first: the capped unread count walks it in order and stops at the cap, whatever
    // plan (custom or generic) a prepared statement gets.
    // Retention walks a tenant's oldest notifications.
    index("notifications_tenant_oldest_idx").on(t.tenantId, t.createdAt, t.id),
    index("notifications_user_unread_idx").on(t.userId, t.createdAt.desc().nullsFirst()).where(sql`read_at is null`),
  ],
);

export type Notification = typeof notifications.$inferSelect;
