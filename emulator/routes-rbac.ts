import type { Context, Hono } from "hono";
import type { EmulatorEnv, EmulatorState } from "./app";
import { graphError } from "./graph-errors";
import { unknownProperty, unknownPropertyError } from "./model-validation";
import { type EntityShape, parseSelectExpand, selectProperties } from "./odata-options";
import {
  ASSIGNMENT_NAVIGATION,
  ASSIGNMENT_PROPERTIES,
  ASSIGNMENT_TYPE,
  assignmentAsGraph,
  definitionAsGraph,
  type GraphVersion,
  type RoleAssignment,
  roleDefinitionIdFromBind,
  SCOPE_TYPES,
  type ScopeType,
} from "./rbac";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEFINITION_SHAPE = {
  type: "microsoft.graph.deviceAndAppManagementRoleDefinition",
  properties: ["id", "displayName", "description", "isBuiltIn", "rolePermissions"],
};

/**
 * Intune RBAC (learn.microsoft.com graph/api/resources/intune-rbac-deviceandappmanagementroleassignment,
 * v1.0 and beta): `roleDefinitions` to choose from, and `roleAssignments` whose role is reachable
 * only through the `roleDefinition` navigation property — `$expand=roleDefinition` or
 * `…/roleAssignments/{id}/roleDefinition` — never as a `roleDefinitionId` property. Created with
 * `roleDefinition@odata.bind` pointing at this service; an unknown property is refused.
 */
export function registerRbacRoutes(app: Hono<EmulatorEnv>, state: EmulatorState) {
  const rbac = (c: Context<EmulatorEnv>) => state.rbac.get(c.get("tenant").tenantId)!;
  const context = (c: Context<EmulatorEnv>, version: GraphVersion, path: string) =>
    `${new URL(c.req.url).origin}/${version}/$metadata#${path}`;
  const notFound = (c: Context<EmulatorEnv>) =>
    graphError(
      c,
      404,
      "ResourceNotFound",
      `{"_version": 3, "Message": "Resource not found - Operation ID (for customer support): ${crypto.randomUUID()}"}`,
    );

  for (const version of ["v1.0", "beta"] as const) {
    const base = `/${version}/deviceManagement`;
    const shape: EntityShape = {
      type: ASSIGNMENT_TYPE,
      properties: ASSIGNMENT_PROPERTIES[version],
      navigation: ASSIGNMENT_NAVIGATION[version],
    };
    const definitionOf = (c: Context<EmulatorEnv>, a: RoleAssignment) =>
      rbac(c).definitions.find((d) => d.id === a.roleDefinitionLink);

    /** The assignment as `$select`/`$expand` ask for it, or the 400 Graph gives a query it cannot parse. */
    const render = (c: Context<EmulatorEnv>, assignments: RoleAssignment[]) => {
      const options = parseSelectExpand(new URL(c.req.url), shape, { roleDefinition: DEFINITION_SHAPE });
      if ("error" in options) return graphError(c, 400, "BadRequest", options.error);
      return assignments.map((a) => {
        const entity = selectProperties(assignmentAsGraph(a, version), options.select);
        for (const { name, select } of options.expand) {
          const definition = definitionOf(c, a);
          // Intune's scope tags are not imitated: an expanded roleScopeTags is always empty.
          entity[name] =
            name === "roleDefinition"
              ? definition
                ? selectProperties(definitionAsGraph(definition), select)
                : null
              : [];
        }
        return entity;
      });
    };

    app.get(`${base}/roleDefinitions`, (c) =>
      c.json({
        "@odata.context": context(c, version, "deviceManagement/roleDefinitions"),
        value: rbac(c).definitions.map(definitionAsGraph),
      }),
    );

    app.get(`${base}/roleAssignments`, (c) => {
      const rendered = render(c, rbac(c).assignments);
      if (rendered instanceof Response) return rendered;
      return c.json({ "@odata.context": context(c, version, "deviceManagement/roleAssignments"), value: rendered });
    });

    app.get(`${base}/roleAssignments/:id`, (c) => {
      const assignment = rbac(c).assignments.find((a) => a.id === c.req.param("id"));
      if (!assignment) return notFound(c);
      const rendered = render(c, [assignment]);
      if (rendered instanceof Response) return rendered;
      return c.json({
        "@odata.context": context(c, version, "deviceManagement/roleAssignments/$entity"),
        ...rendered[0],
      });
    });

    app.get(`${base}/roleAssignments/:id/roleDefinition`, (c) => {
      const assignment = rbac(c).assignments.find((a) => a.id === c.req.param("id"));
      const definition = assignment && definitionOf(c, assignment);
      if (!definition) return notFound(c);
      return c.json({
        "@odata.context": context(
          c,
          version,
          `deviceManagement/roleAssignments('${assignment.id}')/roleDefinition/$entity`,
        ),
        ...definitionAsGraph(definition),
      });
    });

    app.post(`${base}/roleAssignments`, async (c) => {
      const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
      if (!body || typeof body !== "object" || Array.isArray(body))
        return graphError(c, 400, "BadRequest", "The request body is not valid JSON.");
      const property = unknownProperty(body, shape);
      if (property) return unknownPropertyError(c, { property, type: "deviceAndAppManagementRoleAssignment" });

      const roleDefinitionId = roleDefinitionIdFromBind(body["roleDefinition@odata.bind"], new URL(c.req.url).origin);
      if (!roleDefinitionId || !rbac(c).definitions.some((d) => d.id === roleDefinitionId)) {
        return graphError(
          c,
          400,
          "BadRequest",
          "roleDefinition@odata.bind must reference an existing role definition of this service.",
        );
      }
      if (typeof body.displayName !== "string" || !body.displayName)
        return graphError(c, 400, "BadRequest", "displayName is required.");
      const scopeType = (body.scopeType ?? "resourceScope") as ScopeType;
      if (!SCOPE_TYPES.includes(scopeType))
        return graphError(c, 400, "BadRequest", `The value '${String(body.scopeType)}' is not a valid scopeType.`);

      const groupList = (name: string) => (Array.isArray(body[name]) ? (body[name] as unknown[]).map(String) : []);
      const members = groupList("members");
      const resourceScopes = groupList("resourceScopes");
      const scopeMembers = groupList("scopeMembers");
      const groups = state.groups.get(c.get("tenant").tenantId)!;
      for (const id of [...members, ...resourceScopes, ...scopeMembers]) {
        if (!GUID.test(id) || !groups.get(id))
          return graphError(c, 400, "BadRequest", `Group '${id}' does not exist in this tenant.`);
      }
      if (!members.length) return graphError(c, 400, "BadRequest", "At least one member group is required.");

      const assignment: RoleAssignment = {
        id: crypto.randomUUID(),
        displayName: body.displayName,
        description: typeof body.description === "string" ? body.description : "",
        members,
        resourceScopes,
        scopeMembers,
        scopeType,
        roleScopeTagIds: groupList("roleScopeTagIds").length ? groupList("roleScopeTagIds") : ["0"],
        roleDefinitionLink: roleDefinitionId,
      };
      rbac(c).assignments.push(assignment);
      return c.json(
        {
          "@odata.context": context(c, version, "deviceManagement/roleAssignments/$entity"),
          ...assignmentAsGraph(assignment, version),
        },
        201,
      );
    });
  }
}
