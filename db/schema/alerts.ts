import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { operationRuns } from "./operation-runs";
import { tenants } from "./tenants";
import { users } from "./users";

/** What a channel's receiver expects: our signed JSON, a Slack incoming webhook or a Teams Workflows webhook. */
export const ALERT_CHANNEL_KINDS = ["webhook", "slack", "teams"] as const;
export type AlertChannelKind = (typeof ALERT_CHANNEL_KINDS)[number];

/** Which events a channel hears about. `operationTypes` empty: every type. */
export type AlertRules = {
  runFailed: boolean;
  runPartiallySucceeded: boolean;
  operationTypes: string[];
  driftDetected: boolean;
  scheduleOverdue: boolean;
};

/**
 * Where a tenant's alerts go. The URL (Slack and Teams URLs are bearer secrets) and the signing
 * secret are sealed with contexts bound to the channel (lib/alerts/secrets.ts); only the host is
 * kept in the clear, for display.
 */
export const alertChannels = pgTable(
  "alert_channels",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: text("kind").$type<AlertChannelKind>().notNull(),
    urlSealed: text("url_sealed").notNull(),
    urlHost: text("url_host").notNull(),
    signingSecretSealed: text("signing_secret_sealed").notNull(),
    rules: jsonb("rules").$type<AlertRules>().notNull(),
    enabled: boolean("enabled").notNull().default(true),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    secretRotatedAt: timestamp("secret_rotated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("alert_channels_tenant_idx").on(t.tenantId),
    check("alert_channels_kind", sql`${t.kind} in ('webhook', 'slack', 'teams')`),
  ],
);

export const ALERT_EVENT_TYPES = [
  "run.failed",
  "run.partially_succeeded",
  "drift.detected",
  "schedule.overdue",
  "test",
] as const;
export type AlertEventType = (typeof ALERT_EVENT_TYPES)[number];
export const ALERT_DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type AlertDeliveryStatus = (typeof ALERT_DELIVERY_STATUSES)[number];

/**
 * One alert for one channel: created in the transaction that caused it (a run's terminal write),
 * with its pg-boss job. `event` is what happened (no secret); the receiver's shape is rendered from
 * it at each attempt. `attempts` fences attempt records: each is written once.
 */
export const alertDeliveries = pgTable(
  "alert_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    channelId: uuid("channel_id")
      .notNull()
      .references(() => alertChannels.id, { onDelete: "cascade" }),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    eventType: text("event_type").$type<AlertEventType>().notNull(),
    runId: uuid("run_id").references(() => operationRuns.id, { onDelete: "set null" }),
    event: jsonb("event").$type<Record<string, unknown>>().notNull(),
    status: text("status").$type<AlertDeliveryStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("alert_deliveries_channel_newest_idx").on(t.channelId, t.createdAt.desc()),
    index("alert_deliveries_run_idx").on(t.runId),
    // Retention walks a tenant's oldest deliveries (lib/maintenance/prune.ts).
    index("alert_deliveries_tenant_oldest_idx").on(t.tenantId, t.createdAt, t.id),
    check("alert_deliveries_status", sql`${t.status} in ('pending', 'delivered', 'failed')`),
  ],
);

/** One try at sending a delivery: what the receiver answered (or why nothing did), and when the next try is. */
export const alertDeliveryAttempts = pgTable(
  "alert_delivery_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    deliveryId: uuid("delivery_id")
      .notNull()
      .references(() => alertDeliveries.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id")
      .notNull()
      .references(() => alertChannels.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    ok: boolean("ok").notNull(),
    statusCode: integer("status_code"),
    error: text("error"),
    latencyMs: integer("latency_ms").notNull(),
    attemptedAt: timestamp("attempted_at", { withTimezone: true }).notNull().defaultNow(),
    nextRetryAt: timestamp("next_retry_at", { withTimezone: true }),
  },
  (t) => [
    index("alert_delivery_attempts_delivery_idx").on(t.deliveryId, t.attempt),
    index("alert_delivery_attempts_channel_newest_idx").on(t.channelId, t.attemptedAt.desc()),
  ],
);

export type AlertChannel = typeof alertChannels.$inferSelect;
export type AlertDelivery = typeof alertDeliveries.$inferSelect;
export type AlertDeliveryAttempt = typeof alertDeliveryAttempts.$inferSelect;
