import {
  ROLE_ASSIGNMENTS_PATH,
  type RoleAssignmentRecord,
  roleAssignmentFromGraph,
} from "@/lib/rbac/graph-assignments";
import { type GraphRoleDefinition, replaceRoleAssignments, replaceRoleDefinitions } from "@/lib/rbac/roles";
import { pages } from "../intune";
import type { OperationHandler } from "../types";

/**
 * rbac_roles.sync: caches the tenant's Intune role definitions and role assignments, each
 * assignment's role read through its `roleDefinition` (Graph has no `roleDefinitionId`).
 */
export const syncRbacRoles: OperationHandler = async (ctx) => {
  const graph = await ctx.graph();
  const definitions: GraphRoleDefinition[] = [];
  for await (const page of pages<GraphRoleDefinition>(graph, "/deviceManagement/roleDefinitions", ctx.signal))
    definitions.push(...page);
  const assignments: RoleAssignmentRecord[] = [];
  for await (const page of pages<unknown>(graph, ROLE_ASSIGNMENTS_PATH, ctx.signal))
    assignments.push(...page.map(roleAssignmentFromGraph));
  await ctx.db.transaction(async (tx) => {
    await replaceRoleDefinitions(tx, ctx.run.tenantId, definitions);
    await replaceRoleAssignments(tx, ctx.run.tenantId, assignments);
  });
  await ctx.progress({
    total: definitions.length + assignments.length,
    processed: definitions.length + assignments.length,
    roles: definitions.length,
    assignments: assignments.length,
  });
};
