import { beforeAll, describe, expect, it } from "vitest";
import { roleDefinitionIdFromBind } from "@/emulator/rbac";
import { createHttpFetch } from "@/lib/graph/transport";
import { emulatorAppToken, emulatorUrl, graphConfig } from "./support/harness";
import { claimEmulatedTenant } from "./support/tenants";

/** The writes a restore and an RBAC assignment make, answered as Graph does. */
const http = createHttpFetch(graphConfig.caFile);
const tenant = claimEmulatedTenant(import.meta.url);
let token = "";
let groupIds: string[] = [];

beforeAll(async () => {
  token = await emulatorAppToken(tenant);
  groupIds = (
    (await (await call("GET", "/v1.0/groups?$top=3&$select=id")).json()) as { value: { id: string }[] }
  ).value.map((g) => g.id);
});

function call(method: string, path: string, body?: unknown) {
  return http(`${emulatorUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
const errorOf = async (r: Response) => ((await r.json()) as { error: { code: string; message: string } }).error;

describe("Graph emulator: creating and assigning policies", () => {
  it("refuses read-only fields, and creates a device configuration without them", async () => {
    const withId = await call("POST", "/beta/deviceManagement/deviceConfigurations", {
      "@odata.type": "#microsoft.graph.windows10GeneralConfiguration",
      displayName: "x",
      id: "abc",
    });
    expect(withId.status).toBe(400);
    expect((await errorOf(withId)).message).toContain("'id' is read-only");
    const created = await call("POST", "/beta/deviceManagement/deviceConfigurations", {
      "@odata.type": "#microsoft.graph.windows10GeneralConfiguration",
      displayName: "Restored baseline",
      passwordRequired: true,
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string; displayName: string; version: number };
    expect(body).toMatchObject({ displayName: "Restored baseline", version: 1 });
    const listed = (await (await call("GET", `/beta/deviceManagement/deviceConfigurations/${body.id}`)).json()) as {
      displayName: string;
    };
    expect(listed.displayName).toBe("Restored baseline");
  });

  it("creates a compliance policy only with exactly one block action", async () => {
    const base = { "@odata.type": "#microsoft.graph.windows10CompliancePolicy", displayName: "Restored compliance" };
    const block = { actionType: "block", gracePeriodHours: 0 };
    expect((await call("POST", "/beta/deviceManagement/deviceCompliancePolicies", base)).status).toBe(400);
    const twoBlocks = {
      ...base,
      scheduledActionsForRule: [{ ruleName: "PasswordRequired", scheduledActionConfigurations: [block, block] }],
    };
    expect((await call("POST", "/beta/deviceManagement/deviceCompliancePolicies", twoBlocks)).status).toBe(400);
    const ok = {
      ...base,
      scheduledActionsForRule: [{ ruleName: "PasswordRequired", scheduledActionConfigurations: [block] }],
    };
    expect((await call("POST", "/beta/deviceManagement/deviceCompliancePolicies", ok)).status).toBe(201);
  });

  it("creates a settings catalog policy with its settings on beta only", async () => {
    const policy = {
      name: "Restored catalog",
      platforms: "windows10",
      technologies: "mdm",
      settings: [{ id: "0", settingInstance: { settingDefinitionId: "a" } }],
    };
    expect((await call("POST", "/v1.0/deviceManagement/configurationPolicies", policy)).status).toBe(400);
    const created = await call("POST", "/beta/deviceManagement/configurationPolicies", policy);
    expect(created.status).toBe(201);
    const { id, settingCount } = (await created.json()) as { id: string; settingCount: number };
    expect(settingCount).toBe(1);
    const settings = (await (
      await call("GET", `/beta/deviceManagement/configurationPolicies/${id}/settings`)
    ).json()) as { value: unknown[] };
    expect(settings.value).toHaveLength(1);
  });

  it("replaces the assignment set with /assign and refuses groups the tenant does not have", async () => {
    const created = (await (
      await call("POST", "/beta/deviceManagement/deviceConfigurations", {
        "@odata.type": "#microsoft.graph.iosGeneralDeviceConfiguration",
        displayName: "Assign me",
      })
    ).json()) as { id: string };
    const path = `/beta/deviceManagement/deviceConfigurations/${created.id}`;
    const target = (groupId: string) => ({
      target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId },
    });
    expect(
      (await call("POST", `${path}/assign`, { assignments: [target(groupIds[0]!), target(groupIds[1]!)] })).status,
    ).toBe(200);
    expect((await call("POST", `${path}/assign`, { assignments: [target(groupIds[2]!)] })).status).toBe(200);
    const now = (await (await call("GET", `${path}/assignments`)).json()) as {
      value: { target: { groupId: string } }[];
    };
    expect(now.value.map((a) => a.target.groupId)).toEqual([groupIds[2]]);
    const unknown = await call("POST", `${path}/assign`, {
      assignments: [target("00000000-0000-4000-8000-000000000000")],
    });
    expect(unknown.status).toBe(400);
  });
});

describe("Graph emulator: Intune RBAC", () => {
  it("reads roleDefinition@odata.bind in both URL forms, on its own origin only", () => {
    const origin = "https://graph.example";
    expect(roleDefinitionIdFromBind(`${origin}/beta/deviceManagement/roleDefinitions('abc-1')`, origin)).toBe("abc-1");
    expect(roleDefinitionIdFromBind(`${origin}/beta/deviceManagement/roleDefinitions/abc-2`, origin)).toBe("abc-2");
    expect(roleDefinitionIdFromBind(`${origin}/beta/deviceManagement/other/abc`, origin)).toBeUndefined();
    // Another cloud's Graph (a hard-coded global host) is not this service.
    expect(
      roleDefinitionIdFromBind("https://graph.microsoft.com/beta/deviceManagement/roleDefinitions('abc-1')", origin),
    ).toBeUndefined();
  });

  it("lists role definitions and creates a role assignment for member and scope groups", async () => {
    const definitions = (await (await call("GET", "/beta/deviceManagement/roleDefinitions")).json()) as {
      value: { id: string; displayName: string }[];
    };
    expect(definitions.value.map((d) => d.displayName)).toContain("Help Desk Operator");
    const role = definitions.value[1]!;
    const assignment = { displayName: "Help desk, Finance", members: [groupIds[0]], scopeMembers: [groupIds[1]] };
    for (const bind of [
      `${emulatorUrl}/beta/deviceManagement/roleDefinitions('${role.id}')`,
      `${emulatorUrl}/beta/deviceManagement/roleDefinitions/${role.id}`,
    ]) {
      const created = await call("POST", "/beta/deviceManagement/roleAssignments", {
        ...assignment,
        "roleDefinition@odata.bind": bind,
      });
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({
        members: [groupIds[0]],
        scopeMembers: [groupIds[1]],
      });
    }
    const badRole = await call("POST", "/beta/deviceManagement/roleAssignments", {
      ...assignment,
      "roleDefinition@odata.bind": `${emulatorUrl}/beta/deviceManagement/roleDefinitions('nope')`,
    });
    expect(badRole.status).toBe(400);
    const badGroup = await call("POST", "/beta/deviceManagement/roleAssignments", {
      ...assignment,
      members: ["00000000-0000-4000-8000-000000000000"],
      "roleDefinition@odata.bind": `${emulatorUrl}/beta/deviceManagement/roleDefinitions/${role.id}`,
    });
    expect(badGroup.status).toBe(400);
    const listed = (await (await call("GET", "/beta/deviceManagement/roleAssignments")).json()) as { value: unknown[] };
    expect(listed.value.length).toBeGreaterThanOrEqual(2);
  });
});
