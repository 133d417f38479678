import { sql } from "drizzle-orm";
import { boolean, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { operationRuns } from "./operation-runs";
import { tenants } from "./tenants";

/** Intune role definitions as `rbac_roles.sync` last read them (the RBAC wizard chooses from these). */
export const intuneRoleDefinitions = pgTable(
  "intune_role_definitions",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    displayName: text("display_name").notNull(),
    description: text("description"),
    isBuiltIn: boolean("is_built_in").notNull().default(false),
    syncedAt: timestamp("synced_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** A group as a role assignment names it: its id, and its name when the console knows it. */
export type AssignedGroup = { id: string; name: string | null };

/** Intune role assignments: read by `rbac_roles.sync`, or written by the `rbac.assign` run that made them. */
export const intuneRoleAssignments = pgTable(
  "intune_role_assignments",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    displayName: text("display_name").notNull(),
    /** Read through Graph's `roleDefinition` navigation (the assignment has no such property); "" when unknown. */
    roleDefinitionId: text("role_definition_id").notNull(),
    members: jsonb("members").$type<AssignedGroup[]>().notNull().default([]),
    /** Scope groups: Graph's `resourceScopes` and (beta) `scopeMembers` together, each group once. */
    scopeMembers: jsonb("scope_members").$type<AssignedGroup[]>().notNull().default([]),
    /** The `rbac.assign` run that created it here (null when it was found by a sync). */
    runId: uuid("run_id").references(() => operationRuns.id, { onDelete: "set null" }),
    syncedAt: timestamp("synced_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // Deleting a run sets run_id null here: without it, every deleted run scans all assignments.
    index("intune_role_assignments_run_idx").on(t.runId).where(sql`run_id is not null`),
  ],
);

export type IntuneRoleDefinition = typeof intuneRoleDefinitions.$inferSelect;
export type IntuneRoleAssignment = typeof intuneRoleAssignments.$inferSelect;
