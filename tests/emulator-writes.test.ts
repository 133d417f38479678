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
  it("refuses what the metadata says a create may not carry, and creates a device configuration without it", async () => {
    const create = (extra: Record<string, unknown>, type = "#microsoft.graph.windows10GeneralConfiguration") =>
      call("POST", "/beta/deviceManagement/deviceConfigurations", { "@odata.type": type, displayName: "x", ...extra });
    // Read-only in the metadata, or set by Graph: Intune's "… invalid for create." inside its JSON message.
    for (const [extra, name] of [
      [{ supportsScopeTags: true }, "SupportsScopeTags"],
      [{ id: "abc" }, "Id"],
      [{ version: 2 }, "Version"],
    ] as const) {
      const refused = await create(extra);
      expect(refused.status).toBe(400);
      const error = await errorOf(refused);
      expect(error.code).toBe("NotSupported");
      expect(JSON.parse(error.message)).toMatchObject({
        _version: 3,
        Message: expect.stringMatching(`^${name} invalid for create\\. - `),
      });
    }
    const unknown = await create({ storageRequireEncryption: true });
    expect(await errorOf(unknown)).toMatchObject({
      code: "ModelValidationFailure",
      message:
        "The property 'storageRequireEncryption' does not exist on type 'microsoft.management.services.api.windows10GeneralConfiguration'. Make sure to only use property names that are defined by the type.",
    });
    expect((await errorOf(await create({}, "#microsoft.graph.futureConfiguration"))).message).toMatch(
      /^A type named 'microsoft.graph.futureConfiguration' could not be resolved by the model/,
    );
    expect((await errorOf(await create({}, "#microsoft.graph.iosCompliancePolicy"))).code).toBe(
      "ModelValidationFailure",
    );

    const created = await create({
      displayName: "Restored baseline",
      passwordRequired: true,
      roleScopeTagIds: ["0"],
      deviceManagementApplicabilityRuleOsEdition: null,
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string; displayName: string; version: number };
    expect(body).toMatchObject({ displayName: "Restored baseline", version: 1 });
    const listed = (await (await call("GET", `/beta/deviceManagement/deviceConfigurations/${body.id}`)).json()) as {
      displayName: string;
    };
    expect(listed.displayName).toBe("Restored baseline");
  });

  it("creates a compliance policy only with one block action, keeps its other actions, and returns them only expanded", async () => {
    const base = { "@odata.type": "#microsoft.graph.windows10CompliancePolicy", displayName: "Restored compliance" };
    const block = { actionType: "block", gracePeriodHours: 24 };
    const notify = { actionType: "notification", gracePeriodHours: 0, notificationTemplateId: crypto.randomUUID() };
    const retire = { actionType: "retire", gracePeriodHours: 2160 };
    const post = (rules?: unknown) =>
      call("POST", "/beta/deviceManagement/deviceCompliancePolicies", { ...base, scheduledActionsForRule: rules });
    const rule = (...actions: unknown[]) => [{ ruleName: "PasswordRequired", scheduledActionConfigurations: actions }];
    expect((await post()).status).toBe(400);
    expect((await post(rule(block, block))).status).toBe(400);
    expect((await post(rule(notify))).status).toBe(400);
    expect((await post(rule({ ...block, gracePeriodHours: 8761 }))).status).toBe(400);
    expect((await post(rule({ ...block, id: "source-id" }))).status).toBe(400);
    const created = await post(rule(block, notify, retire));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const path = `/beta/deviceManagement/deviceCompliancePolicies/${id}`;
    expect(await (await call("GET", path)).json()).not.toHaveProperty("scheduledActionsForRule");
    const expanded = (await (
      await call("GET", `${path}?$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)`)
    ).json()) as {
      scheduledActionsForRule: { id: string; scheduledActionConfigurations: Record<string, unknown>[] }[];
    };
    expect(expanded.scheduledActionsForRule).toHaveLength(1);
    expect(expanded.scheduledActionsForRule[0]!.scheduledActionConfigurations).toEqual(
      [block, notify, retire].map((a) => ({
        id: expect.any(String),
        notificationTemplateId: "",
        notificationMessageCCList: [],
        ...a,
      })),
    );
  });

  it("creates a settings catalog policy with its settings on beta only", async () => {
    const policy = {
      name: "Restored catalog",
      platforms: "windows10",
      technologies: "mdm",
      settings: [{ id: "0", settingInstance: { settingDefinitionId: "a" } }],
    };
    expect((await call("POST", "/v1.0/deviceManagement/configurationPolicies", policy)).status).toBe(400);
    const readOnly = await call("POST", "/beta/deviceManagement/configurationPolicies", {
      ...policy,
      isAssigned: true,
    });
    expect((await errorOf(readOnly)).code).toBe("NotSupported");
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
