import type { Context, Hono } from "hono";
import type { EmulatorEnv, EmulatorState } from "./app";
import { graphError } from "./graph-errors";
import { type RoleAssignment, roleDefinitionIdFromBind } from "./rbac";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Intune RBAC: `roleDefinitions` to choose from, and `roleAssignments` created with
 * `roleDefinition@odata.bind` (both URL forms) and member / scope groups that must exist.
 */
export function registerRbacRoutes(app: Hono<EmulatorEnv>, state: EmulatorState) {
  const rbac = (c: Context<EmulatorEnv>) => state.rbac.get(c.get("tenant").tenantId)!;
  for (const version of ["v1.0", "beta"] as const) {
    app.get(`/${version}/deviceManagement/roleDefinitions`, (c) =>
      c.json({
        "@odata.context": `${new URL(c.req.url).origin}/${version}/$metadata#deviceManagement/roleDefinitions`,
        value: rbac(c).definitions,
      }),
    );
    app.get(`/${version}/deviceManagement/roleAssignments`, (c) =>
      c.json({
        "@odata.context": `${new URL(c.req.url).origin}/${version}/$metadata#deviceManagement/roleAssignments`,
        value: rbac(c).assignments,
      }),
    );
    app.post(`/${version}/deviceManagement/roleAssignments`, async (c) => {
      const body = (await c.req.json().catch(() => null)) as (Partial<RoleAssignment> & Record<string, unknown>) | null;
      if (!body) return graphError(c, 400, "BadRequest", "The request body is not valid JSON.");
      const roleDefinitionId = roleDefinitionIdFromBind(body["roleDefinition@odata.bind"]);
      const definitions = rbac(c).definitions;
      if (!roleDefinitionId || !definitions.some((d) => d.id === roleDefinitionId)) {
        return graphError(
          c,
          400,
          "BadRequest",
          "roleDefinition@odata.bind must reference an existing role definition.",
        );
      }
      if (!body.displayName) return graphError(c, 400, "BadRequest", "displayName is required.");
      const groups = state.groups.get(c.get("tenant").tenantId)!;
      for (const id of [...(body.members ?? []), ...(body.scopeMembers ?? [])]) {
        if (!GUID.test(id) || !groups.get(id))
          return graphError(c, 400, "BadRequest", `Group '${id}' does not exist in this tenant.`);
      }
      if (!body.members?.length) return graphError(c, 400, "BadRequest", "At least one member group is required.");
      const assignment: RoleAssignment = {
        id: crypto.randomUUID(),
        displayName: body.displayName,
        description: body.description ?? "",
        members: body.members,
        scopeMembers: body.scopeMembers ?? [],
        resourceScopes: body.resourceScopes ?? [],
        roleDefinitionId,
      };
      rbac(c).assignments.push(assignment);
      return c.json(
        {
          "@odata.context": `${new URL(c.req.url).origin}/${version}/$metadata#deviceManagement/roleAssignments/$entity`,
          ...assignment,
        },
        201,
      );
    });
  }
}
