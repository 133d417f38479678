import { sql } from "drizzle-orm";
import { check, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { auditOutcome, initiatorKind } from "./enums";

/**
 * Who did what, where, and how it ended: one row per mutation, written in the mutation's own
 * transaction (lib/audit/record.ts). Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE.
 *
 * No foreign keys on purpose: the log must outlive the tenants and users it names (a removed
 * tenant's history is exactly what a review asks for), and ON DELETE SET NULL would be an UPDATE the
 * trigger refuses. Names are copied as they were, so rows read right after renames and removals.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
    actorKind: initiatorKind("actor_kind").notNull(),
    /** The user acting, or for a sign-in attempt the account it named (null: unknown email, the console). */
    actorUserId: uuid("actor_user_id"),
    actorName: text("actor_name").notNull(),
    /** Null for events about no tenant (sign-ins, identity links). */
    tenantId: uuid("tenant_id"),
    /** A short dotted name: run.start, run.cancel, tenant.create, auth.sign_in_failed, … */
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    targetLabel: text("target_label"),
    outcome: auditOutcome("outcome").notNull(),
    clientAddress: text("client_address"),
    /** Small and secret-free: ids, counts, reasons — never tokens, passwords or policy bodies. */
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    check("audit_events_action_shape", sql`${t.action} ~ '^[a-z_]+(\\.[a-z_]+)+$'`),
    check("audit_events_details_small", sql`octet_length(${t.details}::text) <= 4096`),
    // The tenant page: newest first within a tenant.
    index("audit_events_tenant_newest_idx").on(t.tenantId, t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // The action and actor filters within a tenant: a rare one reads only its own rows.
    index("audit_events_tenant_action_newest_idx").on(
      t.tenantId,
      t.action,
      t.occurredAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("audit_events_tenant_actor_newest_idx").on(
      t.tenantId,
      t.actorName,
      t.occurredAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    // The cross-tenant page's recent window: the newest events of every tenant (lib/audit/queries.ts).
    index("audit_events_newest_idx").on(t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // The cross-tenant page's own events (sign-ins: no tenant).
    index("audit_events_own_newest_idx")
      .on(t.actorUserId, t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`tenant_id is null`),
  ],
);

export type AuditEvent = typeof auditEvents.$inferSelect;
export type NewAuditEvent = typeof auditEvents.$inferInsert;
