import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { operationRuns } from "./operation-runs";
import { tenants } from "./tenants";

/** Every Intune object type the console knows (lib/intune/types.ts describes each). */
export const policyFamily = pgEnum("policy_family", [
  "device_configuration",
  "compliance",
  "settings_catalog",
  "powershell_script",
  "shell_script",
  "remediation",
  "feature_update_profile",
  "quality_update_profile",
  "driver_update_profile",
  "update_ring",
  "endpoint_security_antivirus",
  "endpoint_security_firewall",
  "endpoint_security_disk_encryption",
  "endpoint_security_edr",
  "endpoint_security_asr",
  "endpoint_security_account_protection",
  "autopilot_profile",
  "ios_app_protection",
  "android_app_protection",
  "windows_app_protection",
  "managed_app_configuration",
  "managed_device_app_configuration",
  "administrative_template",
  "enrollment_status_page",
  "enrollment_limit",
  "enrollment_platform_restriction",
  "windows_hello_for_business",
  "endpoint_security_intent",
  "assignment_filter",
  "scope_tag",
  "notification_message_template",
]);
export type PolicyFamily = (typeof policyFamily.enumValues)[number];

/** The tenant's Intune policies as the last `inventory.sync` saw them (current content only). */
export const policies = pgTable(
  "policies",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /**
     * The policy's id in Intune: text, not uuid, because not every type's id is a GUID (an enrollment
     * configuration's is `<guid>_<kind>`, an app protection policy's `T_<guid>`); see lib/intune/object-id.ts.
     */
    id: text("id").notNull(),
    family: policyFamily("family").notNull(),
    name: text("name").notNull(),
    platform: text("platform").notNull(),
    odataType: text("odata_type").notNull(),
    assigned: boolean("assigned").notNull(),
    /** Graph's object with its settings and assignments, as of the latest version. */
    content: jsonb("content").$type<Record<string, unknown>>().notNull(),
    contentHash: text("content_hash").notNull(),
    versions: integer("versions").notNull(),
    /** Gone from Intune (not listed by the last complete sync); versions are kept. */
    deleted: boolean("deleted").notNull().default(false),
    lastSeenRunId: uuid("last_seen_run_id"),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("policies_tenant_name_idx").on(t.tenantId, sql`lower(${t.name})`, t.id),
  ],
);

/** Every distinct content a policy has had, appended by syncs and never changed afterwards. */
export const policyVersions = pgTable(
  "policy_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    policyId: text("policy_id").notNull(),
    version: integer("version").notNull(),
    contentHash: text("content_hash").notNull(),
    content: jsonb("content").$type<Record<string, unknown>>().notNull(),
    runId: uuid("run_id").references(() => operationRuns.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("policy_versions_policy_version_key").on(t.tenantId, t.policyId, t.version),
    // Deleting a run sets run_id null here: without it, every deleted run scans all versions.
    index("policy_versions_run_idx").on(t.runId).where(sql`run_id is not null`),
  ],
);

export type Policy = typeof policies.$inferSelect;
export type PolicyVersion = typeof policyVersions.$inferSelect;
