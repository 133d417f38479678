import { sql } from "drizzle-orm";
import { index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { backupSets } from "./backups";
import { policyFamily } from "./inventory";
import { operationRuns } from "./operation-runs";
import { tenants } from "./tenants";
import { users } from "./users";

/**
 * A tenant's drift baseline: the sealed backup set an owner chose (possibly another tenant's).
 * Retention and an owner's delete keep a baseline's set (lib/retention/protected.ts); removing the
 * tenant that holds it clears the link only, because the baseline's content lives in its entries.
 */
export const driftBaselines = pgTable("drift_baselines", {
  tenantId: uuid("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  /** Null once the set's tenant was removed: the entries (copies) remain the baseline. */
  backupSetId: uuid("backup_set_id").references(() => backupSets.id, { onDelete: "set null" }),
  setBy: uuid("set_by").references(() => users.id, { onDelete: "set null" }),
  setAt: timestamp("set_at", { withTimezone: true }).notNull().defaultNow(),
});

export const baselineEntryOrigin = pgEnum("baseline_entry_origin", ["backup", "accepted"]);

/**
 * One policy of a baseline with its own copy of the content: copied from the backup set when the
 * baseline is chosen, replaced when a policy's current version is accepted. Detection reads these,
 * never the set, so accepted versions do not depend on the set staying.
 */
export const driftBaselineEntries = pgTable(
  "drift_baseline_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** The policy's id where the content was read (sourceTenantId): the tenant's own, or another's. */
    policyId: text("policy_id").notNull(),
    /** Whose directory the content's group ids belong to (no foreign key: that tenant may go). */
    sourceTenantId: uuid("source_tenant_id").notNull(),
    family: policyFamily("family").notNull(),
    name: text("name").notNull(),
    content: jsonb("content").$type<Record<string, unknown>>().notNull(),
    /**
     * Another tenant's entry: the names of the groups its content names, as that tenant's directory
     * cache had them when the baseline was chosen (that tenant, and its cache, may go later).
     */
    groupNames: jsonb("group_names").$type<Record<string, string>>().notNull().default({}),
    /** Another tenant's entry: its assignment filters' names, by id, from that tenant's filter cache. */
    filterNames: jsonb("filter_names").$type<Record<string, string>>().notNull().default({}),
    /** Another tenant's entry: its scope tags' names, by id, from that tenant's scope tag cache. */
    scopeTagNames: jsonb("scope_tag_names").$type<Record<string, string>>().notNull().default({}),
    origin: baselineEntryOrigin("origin").notNull(),
    /** The drift.accept run that put this version here (origin accepted). */
    acceptedRunId: uuid("accepted_run_id").references(() => operationRuns.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // An id is unique only within the tenant that gave it (a scope tag's "3" in two tenants): one entry
  // per policy of each source tenant.
  (t) => [uniqueIndex("drift_baseline_entries_policy_key").on(t.tenantId, t.sourceTenantId, t.policyId)],
);

export const driftFindingKind = pgEnum("drift_finding_kind", ["changed", "missing", "new"]);

/** One setting that differs: its key, a readable label, and each side's value (null: absent there). */
export type DriftSettingChange = { key: string; label: string; baseline: string | null; current: string | null };

/** What one `drift.detect` run found about one policy. Written all at once per run (a retry replaces them). */
export const driftFindings = pgTable(
  "drift_findings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    runId: uuid("run_id")
      .notNull()
      .references(() => operationRuns.id, { onDelete: "cascade" }),
    kind: driftFindingKind("kind").notNull(),
    family: policyFamily("family").notNull(),
    name: text("name").notNull(),
    /** The policy's id in this tenant (changed, new); null when it is missing here. */
    policyId: text("policy_id"),
    /** The baseline entry it was compared with (changed, missing). */
    baselineEntryId: uuid("baseline_entry_id").references(() => driftBaselineEntries.id, { onDelete: "set null" }),
    changes: jsonb("changes").$type<DriftSettingChange[]>().notNull().default([]),
    /** The policy as detection read it (changed, new): what Accept makes the baseline. */
    currentContent: jsonb("current_content").$type<Record<string, unknown>>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("drift_findings_run_idx").on(t.runId, t.kind, t.name),
    index("drift_findings_tenant_idx").on(t.tenantId),
    index("drift_findings_entry_idx").on(t.baselineEntryId).where(sql`baseline_entry_id is not null`),
  ],
);

export type DriftBaselineEntry = typeof driftBaselineEntries.$inferSelect;
export type DriftFinding = typeof driftFindings.$inferSelect;
