import { describe, expect, it } from "vitest";
import { roleAssignmentCreateBody, roleAssignmentFromGraph } from "./graph-assignments";

describe("Intune role assignments in Graph's shape", () => {
  it("takes the role from the expanded roleDefinition and scope groups from both fields, each once", () => {
    expect(
      roleAssignmentFromGraph({
        "@odata.type": "#microsoft.graph.deviceAndAppManagementRoleAssignment",
        id: "a1",
        displayName: "Service desk",
        members: ["m1"],
        resourceScopes: ["s1", "s2"],
        scopeMembers: ["s2", "s3"],
        scopeType: "resourceScope",
        roleDefinition: { id: "r1", displayName: "Help Desk Operator" },
      }),
    ).toEqual({
      id: "a1",
      displayName: "Service desk",
      roleDefinitionId: "r1",
      members: ["m1"],
      scopeGroups: ["s1", "s2", "s3"],
    });
  });

  it("reads a v1.0 answer (no scopeMembers) and one without its role", () => {
    expect(roleAssignmentFromGraph({ id: "a2", displayName: "x", members: ["m"], resourceScopes: ["s"] })).toEqual({
      id: "a2",
      displayName: "x",
      roleDefinitionId: undefined,
      members: ["m"],
      scopeGroups: ["s"],
    });
  });

  it("binds the role on the configured Graph host and writes scope groups as resourceScopes", () => {
    const body = roleAssignmentCreateBody({
      graphUrl: "https://graph.microsoft.us/",
      roleDefinitionId: "r1",
      displayName: "d",
      description: "",
      members: ["m"],
      scopeGroups: ["s"],
    });
    expect(body["roleDefinition@odata.bind"]).toBe(
      "https://graph.microsoft.us/beta/deviceManagement/roleDefinitions('r1')",
    );
    expect(body).toMatchObject({ resourceScopes: ["s"] });
    expect(body).not.toHaveProperty("scopeMembers");
    expect(body).not.toHaveProperty("roleDefinitionId");
  });
});
