import "server-only";
import { and, asc, eq, notInArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { type AssignedGroup, intuneRoleAssignments, intuneRoleDefinitions } from "@/db/schema";
import { InputError } from "@/lib/errors";
import { cachedGroupsById } from "@/lib/restores/plan";
import type { RoleAssignmentRecord } from "./graph-assignments";

export type GraphRoleDefinition = { id: string; displayName: string; description?: string | null; isBuiltIn?: boolean };

/** Makes the cached role definitions exactly what Graph listed. */
export async function replaceRoleDefinitions(db: DbOrTx, tenantId: string, definitions: GraphRoleDefinition[]) {
  for (const d of definitions) {
    const row = {
      displayName: d.displayName,
      description: d.description ?? null,
      isBuiltIn: Boolean(d.isBuiltIn),
      syncedAt: new Date(),
    };
    await db
      .insert(intuneRoleDefinitions)
      .values({ tenantId, id: d.id, ...row })
      .onConflictDoUpdate({ target: [intuneRoleDefinitions.tenantId, intuneRoleDefinitions.id], set: row });
  }
  const ids = definitions.map((d) => d.id);
  await db
    .delete(intuneRoleDefinitions)
    .where(
      and(
        eq(intuneRoleDefinitions.tenantId, tenantId),
        ids.length ? notInArray(intuneRoleDefinitions.id, ids) : sql`true`,
      ),
    );
}

/** Makes the cached role assignments what Graph listed (keeping which run created each, and a
 *  role Graph's answer did not name), with group names from the directory cache (null where the
 *  cache does not know a group). */
export async function replaceRoleAssignments(db: DbOrTx, tenantId: string, assignments: RoleAssignmentRecord[]) {
  const names = await cachedGroupsById(db, tenantId, [
    ...new Set(assignments.flatMap((a) => [...a.members, ...a.scopeGroups])),
  ]);
  const named = (ids: string[]): AssignedGroup[] => ids.map((id) => ({ id, name: names.get(id) ?? null }));
  for (const a of assignments)
    await recordRoleAssignment(db, {
      tenantId,
      assignment: a,
      members: named(a.members),
      scopeMembers: named(a.scopeGroups),
    });
  const ids = assignments.map((a) => a.id);
  await db
    .delete(intuneRoleAssignments)
    .where(
      and(
        eq(intuneRoleAssignments.tenantId, tenantId),
        ids.length ? notInArray(intuneRoleAssignments.id, ids) : sql`true`,
      ),
    );
}

/** Records one assignment. A role left undefined keeps the one already recorded (a new row gets ""). */
export async function recordRoleAssignment(
  db: DbOrTx,
  {
    tenantId,
    assignment: a,
    members,
    scopeMembers,
    runId,
  }: {
    tenantId: string;
    assignment: Pick<RoleAssignmentRecord, "id" | "displayName" | "roleDefinitionId">;
    members: AssignedGroup[];
    scopeMembers: AssignedGroup[];
    runId?: string;
  },
) {
  const row = {
    displayName: a.displayName,
    ...(a.roleDefinitionId ? { roleDefinitionId: a.roleDefinitionId } : {}),
    members,
    scopeMembers,
    syncedAt: new Date(),
  };
  await db
    .insert(intuneRoleAssignments)
    .values({ tenantId, id: a.id, roleDefinitionId: "", ...row, runId: runId ?? null })
    .onConflictDoUpdate({
      target: [intuneRoleAssignments.tenantId, intuneRoleAssignments.id],
      set: runId ? { ...row, runId } : row,
    });
}

export async function listRoleDefinitions(db: DbOrTx, tenantId: string) {
  return db
    .select()
    .from(intuneRoleDefinitions)
    .where(eq(intuneRoleDefinitions.tenantId, tenantId))
    .orderBy(asc(intuneRoleDefinitions.displayName));
}

/** Current role assignments, with their role's name, from the database. */
export async function listRoleAssignments(db: DbOrTx, tenantId: string) {
  return db
    .select({ assignment: intuneRoleAssignments, roleName: intuneRoleDefinitions.displayName })
    .from(intuneRoleAssignments)
    .leftJoin(
      intuneRoleDefinitions,
      and(
        eq(intuneRoleDefinitions.tenantId, intuneRoleAssignments.tenantId),
        eq(intuneRoleDefinitions.id, intuneRoleAssignments.roleDefinitionId),
      ),
    )
    .where(eq(intuneRoleAssignments.tenantId, tenantId))
    .orderBy(asc(intuneRoleAssignments.displayName));
}

const group = z.object({ id: z.uuid(), name: z.string().trim().min(1).max(256) });

/** What the RBAC wizard starts: a role, member groups and scope groups, each as the picker chose them. */
export const roleAssignmentInputSchema = z
  .object({
    roleDefinitionId: z.string().trim().min(1, "Choose a role").max(100),
    displayName: z.string().trim().min(1, "Name the assignment").max(128),
    members: z.array(group).min(1, "Choose at least one member group").max(25),
    scopes: z.array(group).max(25).default([]),
  })
  .strict();
export type RoleAssignmentInputs = z.infer<typeof roleAssignmentInputSchema>;

export const roleAssignmentIdentity = (inputs: RoleAssignmentInputs) => ({
  role: inputs.roleDefinitionId,
  members: inputs.members.map((m) => m.id).sort(),
  scopes: inputs.scopes.map((s) => s.id).sort(),
});

/** The role must be one of the tenant's cached role definitions (synced, not typed in). */
export async function checkRoleAssignment(db: DbOrTx, tenantId: string, inputs: RoleAssignmentInputs) {
  const [role] = await db
    .select({ id: intuneRoleDefinitions.id })
    .from(intuneRoleDefinitions)
    .where(and(eq(intuneRoleDefinitions.tenantId, tenantId), eq(intuneRoleDefinitions.id, inputs.roleDefinitionId)));
  if (!role) {
    throw new InputError(
      "That role is not one of this tenant's role definitions. Sync Intune roles and choose again.",
      { roleDefinitionId: ["Unknown role."] },
    );
  }
}
