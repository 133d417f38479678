import { and, eq } from "drizzle-orm";
import { intuneRoleAssignments } from "@/db/schema";
import { OperationError } from "@/lib/operations/errors";
import { type GraphRoleAssignment, type RoleAssignmentInputs, recordRoleAssignment } from "@/lib/rbac/roles";
import { isPermanent } from "../intune";
import type { OperationHandler } from "../types";

/**
 * rbac.assign: creates the Intune role assignment with the app-only client, binding the role by
 * `roleDefinition@odata.bind`, and records its id. A retried run that already recorded its
 * assignment does not create a second one.
 */
export const assignRbacRole: OperationHandler<RoleAssignmentInputs> = async (ctx) => {
  const counts = { total: 1, processed: 0, created: 0 };
  const [done] = await ctx.db
    .select({ id: intuneRoleAssignments.id })
    .from(intuneRoleAssignments)
    .where(and(eq(intuneRoleAssignments.tenantId, ctx.run.tenantId), eq(intuneRoleAssignments.runId, ctx.run.id)));
  if (!done) {
    const graph = await ctx.graph();
    const body = {
      "@odata.type": "#microsoft.graph.deviceAndAppManagementRoleAssignment",
      displayName: ctx.inputs.displayName,
      description: `Assigned from TenantAtlas by ${ctx.run.initiatorName}`,
      members: ctx.inputs.members.map((m) => m.id),
      scopeMembers: ctx.inputs.scopes.map((s) => s.id),
      "roleDefinition@odata.bind": `https://graph.microsoft.com/beta/deviceManagement/roleDefinitions('${ctx.inputs.roleDefinitionId}')`,
    };
    let created: GraphRoleAssignment;
    try {
      created = (await graph
        .api("/deviceManagement/roleAssignments")
        .version("beta")
        .option("signal", ctx.signal)
        .post(body)) as GraphRoleAssignment;
    } catch (err) {
      // Graph refusing the assignment (an unknown group, a role gone) does not change on retry.
      if (isPermanent(err))
        throw new OperationError(
          `graph_${err.code ?? err.statusCode}`,
          `Graph refused the role assignment: ${err.message}`,
        );
      throw err;
    }
    await recordRoleAssignment(ctx.db, {
      tenantId: ctx.run.tenantId,
      assignment: { ...created, roleDefinitionId: ctx.inputs.roleDefinitionId },
      members: ctx.inputs.members,
      scopeMembers: ctx.inputs.scopes,
      runId: ctx.run.id,
    });
    counts.created = 1;
  }
  counts.processed = 1;
  await ctx.progress(counts);
};
