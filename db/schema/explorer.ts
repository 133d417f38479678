import { sql } from "drizzle-orm";
import { index, integer, pgEnum, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { tenants } from "./tenants";

/**
 * Which cached groups are direct members of which (Entra ID group nesting), filled by
 * `directory_groups.sync` from `members@delta`. Users and devices are not kept: the explorer needs
 * the group graph only. Loops may exist (Entra ID does not document refusing them).
 */
export const groupMemberGroups = pgTable(
  "group_member_groups",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** The containing group. */
    groupId: uuid("group_id").notNull(),
    /** The group that is a direct member of it. */
    memberGroupId: uuid("member_group_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.groupId, t.memberGroupId] }),
    // The explorer walks upwards: which groups contain this one.
    index("group_member_groups_member_idx").on(t.tenantId, t.memberGroupId),
  ],
);

/** What an assignment targets, from its target's `@odata.type` (every Intune family shares these types). */
export const assignmentTargetKind = pgEnum("assignment_target_kind", [
  "group",
  "exclusion_group",
  "all_users",
  "all_devices",
  "other",
]);
export type AssignmentTargetKind = (typeof assignmentTargetKind.enumValues)[number];

/**
 * One row per assignment of each live policy, derived from its stored content in the same
 * transaction that records the policy (lib/inventory/policies.ts), so it never disagrees with the
 * inventory. The explorer reads this, never the JSON.
 */
export const policyAssignmentTargets = pgTable(
  "policy_assignment_targets",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    policyId: text("policy_id").notNull(),
    /** The assignment's place in the policy's list (an assignment has no id in every family). */
    position: integer("position").notNull(),
    /** The policy's name, family and platform, copied in the same transaction so the explorer needs no join (and can page by name). */
    policyName: text("policy_name").notNull(),
    family: text("family").notNull(),
    platform: text("platform").notNull(),
    kind: assignmentTargetKind("kind").notNull(),
    /** The target's `@odata.type` as Graph sent it (for kind "other", the only description). */
    odataType: text("odata_type").notNull(),
    groupId: uuid("group_id"),
    /** `deviceAndAppManagementAssignmentFilterId`: an assignment filter's id (names come from its cache). */
    filterId: text("filter_id"),
    /** `deviceAndAppManagementAssignmentFilterType`: include or exclude (none when no filter). */
    filterType: text("filter_type"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.policyId, t.position] }),
    index("policy_assignment_targets_group_idx").on(t.tenantId, t.groupId).where(sql`group_id is not null`),
    // All users / all devices reach every group: read in name order, a page at a time.
    index("policy_assignment_targets_everyone_idx")
      .on(t.tenantId, t.policyName, t.policyId)
      .where(sql`kind in ('all_users', 'all_devices')`),
  ],
);

export type PolicyAssignmentTarget = typeof policyAssignmentTargets.$inferSelect;
