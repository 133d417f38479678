import { and, eq } from "drizzle-orm";
import { intuneRoleAssignments } from "@/db/schema";
import { createKey, withMarker } from "@/lib/graph/create-marker";
import { createOnce } from "@/lib/graph/create-once";
import { OperationError } from "@/lib/operations/errors";
import { roleAssignmentCreateBody } from "@/lib/rbac/graph-assignments";
import { type RoleAssignmentInputs, recordRoleAssignment } from "@/lib/rbac/roles";
import { isPermanent } from "../intune";
import type { OperationHandler } from "../types";

/**
 * rbac.assign: creates the Intune role assignment with the app-only client, binding the role by
 * `roleDefinition@odata.bind` on the configured Graph host, and records its id and role. A retried run that already recorded its
 * assignment does not create a second one, nor does one whose create answered 5xx or nothing after
 * Intune made it (lib/graph/create-once.ts adopts it by the marker in its description).
 */
export const assignRbacRole: OperationHandler<RoleAssignmentInputs> = async (ctx) => {
  const counts = { total: 1, processed: 0, created: 0 };
  const [done] = await ctx.db
    .select({ id: intuneRoleAssignments.id })
    .from(intuneRoleAssignments)
    .where(and(eq(intuneRoleAssignments.tenantId, ctx.run.tenantId), eq(intuneRoleAssignments.runId, ctx.run.id)));
  if (!done) {
    const graph = await ctx.graph();
    const body = (marker: string) =>
      roleAssignmentCreateBody({
        graphUrl: ctx.graphUrl,
        roleDefinitionId: ctx.inputs.roleDefinitionId,
        displayName: ctx.inputs.displayName,
        description: withMarker(`Assigned from TenantAtlas by ${ctx.run.initiatorName}`, marker),
        members: ctx.inputs.members.map((m) => m.id),
        scopeGroups: ctx.inputs.scopes.map((s) => s.id),
      });
    let created: { id: string };
    try {
      // Created once even when the answer is lost: found again by the marker in its description.
      created = await createOnce(graph, ctx.db, {
        runId: ctx.run.id,
        tenantId: ctx.run.tenantId,
        collection: "/deviceManagement/roleAssignments",
        itemKey: createKey({
          roleDefinitionId: ctx.inputs.roleDefinitionId,
          displayName: ctx.inputs.displayName,
          members: ctx.inputs.members.map((m) => m.id).sort(),
          scopes: ctx.inputs.scopes.map((s) => s.id).sort(),
        }),
        body,
        signal: ctx.signal,
      });
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
      // The created entity does not name its role (Graph has no roleDefinitionId): it is the one bound.
      assignment: {
        id: created.id,
        displayName: ctx.inputs.displayName,
        roleDefinitionId: ctx.inputs.roleDefinitionId,
      },
      members: ctx.inputs.members,
      scopeMembers: ctx.inputs.scopes,
      runId: ctx.run.id,
    });
    counts.created = 1;
  }
  counts.processed = 1;
  await ctx.progress(counts);
};
