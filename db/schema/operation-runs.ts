import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { initiatorKind, runOutcome, runStatus } from "./enums";
import { schedules } from "./schedules";
import { tenants } from "./tenants";
import { users } from "./users";

export type SummaryCounts = Record<string, number>;
/** `reference`: an unexpected error's id in the server log, where its full text is (never stored here). */
export type RunFailure = { code: string; message: string; item?: string; reference?: string };
/** `handedBack`: the attempt did not end; its worker stopped and gave the run back (no attempt spent). */
export type AttemptError = { attempt: number; message: string; at: string; handedBack?: true; reference?: string };

export const operationRuns = pgTable(
  "operation_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    status: runStatus("status").notNull().default("queued"),
    outcome: runOutcome("outcome").notNull().default("pending"),
    runIdentityHash: text("run_identity_hash").notNull(),
    inputs: jsonb("inputs").$type<Record<string, unknown>>().notNull().default({}),
    summaryCounts: jsonb("summary_counts").$type<SummaryCounts>().notNull().default({}),
    /** Bounded list (see MAX_FAILURES in lib/operations/runs.ts). */
    failures: jsonb("failures").$type<RunFailure[]>().notNull().default([]),
    /** Errors of attempts that pg-boss retried; the last attempt's error also lands in `failures`. */
    attemptErrors: jsonb("attempt_errors").$type<AttemptError[]>().notNull().default([]),
    initiatorKind: initiatorKind("initiator_kind").notNull().default("user"),
    initiatorUserId: uuid("initiator_user_id").references(() => users.id, { onDelete: "set null" }),
    /** The initiator's display name as it was at start, so history reads right after renames. */
    initiatorName: text("initiator_name").notNull(),
    /** The schedule whose firing started it (kind `schedule`). */
    scheduleId: uuid("schedule_id").references(() => schedules.id, { onDelete: "set null" }),
    jobId: text("job_id"),
    attempt: integer("attempt").notNull().default(0),
    /** Set when someone asks a running run to stop; the worker aborts the handler's signal. */
    cancelRequestedAt: timestamp("cancel_requested_at", { withTimezone: true }),
    cancelRequestedBy: text("cancel_requested_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // At most one active run per identity: the database, not application code, decides races.
    uniqueIndex("operation_runs_active_identity_key")
      .on(t.tenantId, t.runIdentityHash)
      .where(sql`status in ('queued', 'running')`),
    // Newest runs of a tenant, keyset-paged on (created_at, id). Status and outcome ride along (after
    // the order, so paging is unchanged) for the overview's counts by window and by day: they read
    // the tenant's last week from the index alone instead of fetching thousands of rows per view.
    index("operation_runs_tenant_newest_covering_idx").on(
      t.tenantId,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
      t.status,
      t.outcome,
    ),
    // A tenant's newest runs of one type (the overview's "last sync", the list filtered by type) and
    // of one status (the list's status chips, counted up to a cap): without them each walked the
    // tenant's runs newest first, fetching every row to test it — 10,000 for a type it never ran.
    index("operation_runs_tenant_type_newest_idx").on(
      t.tenantId,
      t.type,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("operation_runs_tenant_status_newest_idx").on(
      t.tenantId,
      t.status,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    // Newest runs across tenants (the all-tenants list scans this in order and filters by tenant).
    index("operation_runs_newest_idx").on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // The fleet view (lib/fleet/queries.ts), per tenant: its newest run of a type that read the tenant
    // (the last inventory sync), and its failed runs of the last day. Partial: only those rows.
    index("operation_runs_tenant_type_read_idx")
      .on(t.tenantId, t.type, t.completedAt.desc().nullsFirst())
      .where(sql`outcome in ('succeeded', 'partially_succeeded')`),
    index("operation_runs_tenant_failed_idx").on(t.tenantId, t.completedAt).where(sql`outcome = 'failed'`),

    // A schedule's runs, newest first (its last run on the Schedules tab).
    index("operation_runs_schedule_newest_idx")
      .on(t.scheduleId, t.createdAt.desc().nullsFirst())
      .where(sql`schedule_id is not null`),
    // The console itself owns no work a person should hear about: a system run notifies nobody.
    check("operation_runs_system_has_no_user", sql`${t.initiatorKind} <> 'system' or ${t.initiatorUserId} is null`),
  ],
);

export type OperationRun = typeof operationRuns.$inferSelect;
