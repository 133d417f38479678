import { sql } from "drizzle-orm";
import { boolean, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { scheduleNotify } from "./enums";
import { tenants } from "./tenants";
import { users } from "./users";

/** How a schedule recurs, as the person chose it; `cron` beside it is what pg-boss is given. */
export type Recurrence =
  | { kind: "hourly" }
  | { kind: "daily"; time: string }
  | { kind: "weekly"; weekday: number; time: string }
  | { kind: "cron"; expression: string };

/**
 * A tenant's recurring operation. Each active schedule is one pg-boss schedule (queue
 * `schedule.fire`, key = this id), written in the same transaction as this row.
 */
export const schedules = pgTable(
  "schedules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    operationType: text("operation_type").notNull(),
    recurrence: jsonb("recurrence").$type<Recurrence>().notNull(),
    /** The cron expression the recurrence comes to (evaluated in `timezone`). */
    cron: text("cron").notNull(),
    /** An IANA time zone. */
    timezone: text("timezone").notNull(),
    paused: boolean("paused").notNull().default(false),
    /** The member who made it: its runs start on their behalf and notify them. */
    ownerUserId: uuid("owner_user_id").references(() => users.id, { onDelete: "set null" }),
    notify: scheduleNotify("notify").notNull().default("problems"),
    /** When it last became active (made, resumed, its timing edited): overdue counts from here or the last firing. */
    activeSince: timestamp("active_since", { withTimezone: true }).notNull().defaultNow(),
    /** Set once when an overdue episode begins (by the worker's check), cleared when it fires again. */
    overdueSince: timestamp("overdue_since", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("schedules_tenant_idx").on(t.tenantId, t.createdAt),
    // The overdue check reads the active ones.
    index("schedules_active_idx").on(t.id).where(sql`not paused`),
  ],
);

export type Schedule = typeof schedules.$inferSelect;
