import { beforeAll, describe, expect, it } from "vitest";
import { createHttpFetch } from "@/lib/graph/transport";
import { emulatorAppToken, emulatorUrl, graphConfig } from "./support/harness";
import { claimEmulatedTenant } from "./support/tenants";

/** The emulator answers the way Graph does for the queries the console makes. */
const http = createHttpFetch(graphConfig.caFile);
const tenant = claimEmulatedTenant(import.meta.url);
let token = "";

beforeAll(async () => {
  token = await emulatorAppToken(tenant);
});

type Body = {
  value: Record<string, unknown>[];
  "@odata.nextLink"?: string;
  "@odata.count"?: number;
  "@odata.context"?: string;
  error?: { code: string; message: string };
};
async function get(path: string, headers: Record<string, string> = {}) {
  const response = await http(path.startsWith("https://") ? path : `${emulatorUrl}${path}`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
  return { status: response.status, body: (await response.json()) as Body };
}

describe("Graph emulator: groups", () => {
  it("pages 100 at a time by default, with absolute https nextLinks carrying an opaque skip token", async () => {
    const first = await get("/v1.0/groups");
    expect(first.status).toBe(200);
    expect(first.body.value).toHaveLength(100);
    expect(first.body["@odata.context"]).toMatch(/\/v1\.0\/\$metadata#groups$/);
    const next = new URL(first.body["@odata.nextLink"]!);
    expect(next.protocol).toBe("https:");
    expect(next.searchParams.get("$skiptoken")).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = await get(first.body["@odata.nextLink"]!);
    expect(second.body.value[0]!.id).not.toBe(first.body.value[0]!.id);
  });

  it("allows $top up to 999 and refuses 1000", async () => {
    expect((await get("/v1.0/groups?$top=999")).body.value).toHaveLength(999);
    const refused = await get("/v1.0/groups?$top=1000");
    expect(refused.status).toBe(400);
    expect(refused.body.error!.code).toBe("Request_UnsupportedQuery");
  });

  it("projects $select and filters with startswith(displayName, …)", async () => {
    const { body } = await get("/v1.0/groups?$select=id,displayName&$filter=startswith(displayName,'finance kiosks')");
    expect(body.value.length).toBeGreaterThan(0);
    for (const g of body.value) {
      expect(Object.keys(g).sort()).toEqual(["displayName", "id"]);
      expect(String(g.displayName).toLowerCase().startsWith("finance kiosks")).toBe(true);
    }
  });

  it("answers $search and $count only with ConsistencyLevel: eventual, and counts on the first page only", async () => {
    const refused = await get(`/v1.0/groups?$search="displayName:pilot"`);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      code: "Request_UnsupportedQuery",
      message: expect.stringContaining("ConsistencyLevel: eventual"),
    });
    expect((await get("/v1.0/groups?$count=true")).status).toBe(400);

    const counted = await get("/v1.0/groups?$count=true&$top=10", { ConsistencyLevel: "eventual" });
    expect(counted.body["@odata.count"]).toBe(2500);
    const later = await get(counted.body["@odata.nextLink"]!, { ConsistencyLevel: "eventual" });
    expect(later.body["@odata.count"]).toBeUndefined();

    const searched = await get(`/v1.0/groups?$search="displayName:legal"`, { ConsistencyLevel: "eventual" });
    expect(searched.status).toBe(200);
    expect(searched.body.value.every((g) => String(g.displayName).toLowerCase().includes("legal"))).toBe(true);
  });
});

describe("Graph emulator: Intune", () => {
  it("types every policy and serves the settings catalog from beta only", async () => {
    const configs = await get("/beta/deviceManagement/deviceConfigurations");
    expect(configs.body.value.every((p) => String(p["@odata.type"]).startsWith("#microsoft.graph."))).toBe(true);
    const v1 = await get("/v1.0/deviceManagement/configurationPolicies");
    expect(v1.status).toBe(400);
    const catalog = await get("/beta/deviceManagement/configurationPolicies");
    expect(catalog.body.value).toHaveLength(25);
    expect(catalog.body.value[0]).toHaveProperty("name");
    expect(catalog.body.value[0]).not.toHaveProperty("displayName");
    expect(catalog.body["@odata.nextLink"]).toMatch(/^https:\/\//);
  });

  it("pages a policy's settings 25 at a time and lists its assignments", async () => {
    const catalog = await get("/beta/deviceManagement/configurationPolicies");
    const secondPage = await get(catalog.body["@odata.nextLink"]!);
    const big = secondPage.body.value.find((p) => Number(p.settingCount) > 25)!;
    const settings = await get(`/beta/deviceManagement/configurationPolicies/${big.id}/settings`);
    expect(settings.body.value).toHaveLength(25);
    const rest = await get(settings.body["@odata.nextLink"]!);
    expect(25 + rest.body.value.length).toBe(Number(big.settingCount));
    const assigned = await get(`/beta/deviceManagement/configurationPolicies/${catalog.body.value[4]!.id}/assignments`);
    expect(assigned.body.value.map((a) => (a.target as Record<string, string>)["@odata.type"])).toEqual([
      "#microsoft.graph.groupAssignmentTarget",
      "#microsoft.graph.exclusionGroupAssignmentTarget",
    ]);
  });
});

async function post(path: string, body: unknown) {
  const response = await http(`${emulatorUrl}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Body & Record<string, unknown> };
}

/** Every item of a collection, following nextLinks; the pages' sizes as they came. */
async function everyPage(path: string) {
  const items: Record<string, unknown>[] = [];
  const sizes: number[] = [];
  for (let url: string | undefined = path; url; ) {
    const { status, body } = await get(url);
    expect(status).toBe(200);
    items.push(...body.value);
    sizes.push(body.value.length);
    url = body["@odata.nextLink"];
  }
  return { items, sizes };
}

describe("Graph emulator: scripts and remediations", () => {
  const SCRIPTS = [
    ["deviceManagementScripts", "#microsoft.graph.deviceManagementScript", 30, ["scriptContent"]],
    ["deviceShellScripts", "#microsoft.graph.deviceShellScript", 14, ["scriptContent"]],
    ["deviceHealthScripts", "#microsoft.graph.deviceHealthScript", 26, []],
  ] as const;

  it.each(SCRIPTS)(
    "serves %s from beta only, every item once across pages ($top honoured), content base64 by id",
    async (collection, type, count, lazy) => {
      expect((await get(`/v1.0/deviceManagement/${collection}`)).status).toBe(400);
      const { items, sizes } = await everyPage(`/beta/deviceManagement/${collection}?$top=4`);
      expect(items).toHaveLength(count);
      expect(new Set(items.map((i) => i.id)).size).toBe(count);
      expect(sizes.slice(0, -1).every((n) => n === 4)).toBe(true);
      expect(items.every((i) => i["@odata.type"] === type && typeof i.displayName === "string")).toBe(true);
      // The list leaves lazy content null; a GET by id returns it, base64.
      for (const property of lazy) expect(items.every((i) => i[property] === null)).toBe(true);
      const one = await get(`/beta/deviceManagement/${collection}/${items[1]!.id}`);
      const content = String((one.body as unknown as Record<string, unknown>)[lazy[0] ?? "detectionScriptContent"]);
      expect(Buffer.from(content, "base64").toString("base64")).toBe(content);
      expect(Buffer.from(content, "base64").toString("utf8").length).toBeGreaterThan(10);
    },
  );

  it("assigns a script with deviceManagementScriptAssignments, and a remediation with its schedule", async () => {
    const [script] = (await get("/beta/deviceManagement/deviceManagementScripts")).body.value;
    const [group] = (await get("/v1.0/groups?$top=1")).body.value;
    const target = { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: group!.id };
    const path = `/beta/deviceManagement/deviceManagementScripts/${script!.id}`;
    // The classic families' parameter name is not this action's.
    const wrong = await post(`${path}/assign`, { assignments: [{ target }] });
    expect(wrong.status).toBe(400);
    expect((await post(`${path}/assign`, { deviceManagementScriptAssignments: [{ target }] })).status).toBe(200);
    expect((await get(`${path}/assignments`)).body.value.map((a) => a.target)).toEqual([target]);

    const [remediation] = (await get("/beta/deviceManagement/deviceHealthScripts")).body.value;
    const remediationPath = `/beta/deviceManagement/deviceHealthScripts/${remediation!.id}`;
    const runSchedule = {
      "@odata.type": "#microsoft.graph.deviceHealthScriptDailySchedule",
      interval: 2,
      useUtc: true,
      time: "03:00:00.0000000",
    };
    const assign = { deviceHealthScriptAssignments: [{ target, runRemediationScript: true, runSchedule }] };
    expect((await post(`${remediationPath}/assign`, assign)).status).toBe(200);
    expect((await get(`${remediationPath}/assignments`)).body.value).toMatchObject([
      { target, runRemediationScript: true, runSchedule },
    ]);
  });

  it("refuses a script create carrying what Graph sets itself, and accepts it without, @odata.type implied", async () => {
    const [listed] = (await get("/beta/deviceManagement/deviceShellScripts")).body.value;
    const full = (await get(`/beta/deviceManagement/deviceShellScripts/${listed!.id}`)).body as unknown as Record<
      string,
      unknown
    >;
    const { id, createdDateTime, lastModifiedDateTime } = full;
    const graphSet = new Set(["id", "createdDateTime", "lastModifiedDateTime", "@odata.context", "@odata.type"]);
    const writable = Object.fromEntries(Object.entries(full).filter(([key]) => !graphSet.has(key)));
    const refused = await post("/beta/deviceManagement/deviceShellScripts", { ...writable, createdDateTime });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: "NotSupported" });
    expect(refused.body.error!.message).toContain("CreatedDateTime invalid for create.");
    const created = await post("/beta/deviceManagement/deviceShellScripts", { ...writable, displayName: "Copy" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ displayName: "Copy", scriptContent: writable.scriptContent });
    expect(created.body.id).not.toBe(id);
    expect(lastModifiedDateTime).toBeTruthy();
  });
});

describe("Graph emulator: Windows update profiles", () => {
  const PROFILES = [
    ["windowsFeatureUpdateProfiles", "#microsoft.graph.windowsFeatureUpdateProfile", 12],
    ["windowsQualityUpdateProfiles", "#microsoft.graph.windowsQualityUpdateProfile", 8],
    ["windowsDriverUpdateProfiles", "#microsoft.graph.windowsDriverUpdateProfile", 6],
  ] as const;

  it.each(PROFILES)(
    "serves %s from beta only, every item once across pages, assigned with 'assignments', read-only fields refused on create",
    async (collection, type, count) => {
      expect((await get(`/v1.0/deviceManagement/${collection}`)).status).toBe(400);
      const { items, sizes } = await everyPage(`/beta/deviceManagement/${collection}?$top=5`);
      expect(items).toHaveLength(count);
      expect(new Set(items.map((i) => i.id)).size).toBe(count);
      expect(sizes.length).toBeGreaterThan(1);
      expect(items.every((i) => i["@odata.type"] === type)).toBe(true);

      const [group] = (await get("/v1.0/groups?$top=1")).body.value;
      const target = { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: group!.id };
      const path = `/beta/deviceManagement/${collection}/${items[0]!.id}`;
      expect((await post(`${path}/assign`, { deviceManagementScriptAssignments: [{ target }] })).status).toBe(400);
      expect((await post(`${path}/assign`, { assignments: [{ target }] })).status).toBe(200);
      expect((await get(`${path}/assignments`)).body.value.map((a) => a.target)).toEqual([target]);

      const graphSet = new Set(["id", "createdDateTime", "lastModifiedDateTime", "@odata.type"]);
      const writable = Object.fromEntries(Object.entries(items[0]!).filter(([key]) => !graphSet.has(key)));
      const refused = await post(`/beta/deviceManagement/${collection}`, { ...writable, id: items[0]!.id });
      expect(refused.status).toBe(400);
      expect(refused.body.error!.message).toContain("Id invalid for create.");
      expect((await post(`/beta/deviceManagement/${collection}`, writable)).status).toBe(201);
    },
  );
});

describe("Graph emulator: types inside other collections (update rings, endpoint security)", () => {
  it("lists update rings among device configurations, every one once across pages, assigned with 'assignments', read-only fields refused on create", async () => {
    const { items, sizes } = await everyPage("/beta/deviceManagement/deviceConfigurations?$top=7");
    expect(sizes.length).toBeGreaterThan(1);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    const rings = items.filter((i) => i["@odata.type"] === "#microsoft.graph.windowsUpdateForBusinessConfiguration");
    expect(rings).toHaveLength(10);
    // v1.0 lists them too: the collection is in both versions.
    const v1 = await get("/v1.0/deviceManagement/deviceConfigurations");
    expect(v1.status).toBe(200);

    const [group] = (await get("/v1.0/groups?$top=1")).body.value;
    const target = { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: group!.id };
    const path = `/beta/deviceManagement/deviceConfigurations/${rings[0]!.id}`;
    expect((await post(`${path}/assign`, { assignments: [{ target }] })).status).toBe(200);
    expect((await get(`${path}/assignments`)).body.value.map((a) => a.target)).toEqual([target]);

    const graphSet = new Set([
      "id",
      "createdDateTime",
      "lastModifiedDateTime",
      "version",
      "supportsScopeTags",
      "qualityUpdatesPauseStartDate",
      "featureUpdatesPauseStartDate",
    ]);
    const writable = Object.fromEntries(Object.entries(rings[0]!).filter(([key]) => !graphSet.has(key)));
    const refused = await post("/beta/deviceManagement/deviceConfigurations", { ...writable, version: 3 });
    expect(refused.status).toBe(400);
    expect(refused.body.error!.message).toContain("Version invalid for create.");
    // A ring names its derived type: the collection's root is abstract.
    const untyped = Object.fromEntries(Object.entries(writable).filter(([key]) => key !== "@odata.type"));
    expect((await post("/beta/deviceManagement/deviceConfigurations", untyped)).status).toBe(400);
    const created = await post("/beta/deviceManagement/deviceConfigurations", writable);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ "@odata.type": "#microsoft.graph.windowsUpdateForBusinessConfiguration" });
  });

  it("lists endpoint-security policies among configuration policies by template family, pages their settings, and fills the template from its id on create", async () => {
    const { items, sizes } = await everyPage("/beta/deviceManagement/configurationPolicies?$top=10");
    expect(sizes.length).toBeGreaterThan(1);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    const families = new Map<string, number>();
    for (const item of items) {
      const family = String((item.templateReference as { templateFamily: string }).templateFamily);
      families.set(family, (families.get(family) ?? 0) + 1);
    }
    expect(Object.fromEntries(families)).toEqual({
      none: 100,
      endpointSecurityAntivirus: 4,
      endpointSecurityFirewall: 4,
      endpointSecurityDiskEncryption: 3,
      endpointSecurityEndpointDetectionAndResponse: 3,
      endpointSecurityAttackSurfaceReduction: 3,
      endpointSecurityAccountProtection: 3,
    });
    const firewall = items.find(
      (i) => (i.templateReference as { templateFamily: string }).templateFamily === "endpointSecurityFirewall",
    )!;
    expect(firewall.templateReference).toEqual({
      templateId: "6078910e-d808-4a9f-a51d-1b8a7bacb7c0_1",
      templateFamily: "endpointSecurityFirewall",
      templateDisplayName: "Windows Firewall",
      templateDisplayVersion: "Version 1",
    });
    const path = `/beta/deviceManagement/configurationPolicies/${firewall.id}`;
    const settings = await everyPage(`${path}/settings?$top=1`);
    expect(settings.items).toHaveLength(Number(firewall.settingCount));
    expect(settings.sizes.length).toBe(Number(firewall.settingCount));

    const body = {
      name: "Firewall copy",
      description: "",
      platforms: "windows10",
      technologies: "mdm,microsoftSense",
      roleScopeTagIds: ["0"],
      // Only the id: the family and the names are read-only, filled by Graph.
      templateReference: { templateId: "6078910e-d808-4a9f-a51d-1b8a7bacb7c0_1" },
      settings: settings.items.map((s) => Object.fromEntries(Object.entries(s).filter(([key]) => key !== "id"))),
    };
    const refused = await post("/beta/deviceManagement/configurationPolicies", { ...body, settingCount: 3 });
    expect(refused.status).toBe(400);
    expect(refused.body.error!.message).toContain("SettingCount invalid for create.");
    const unknown = await post("/beta/deviceManagement/configurationPolicies", {
      ...body,
      templateReference: { templateId: "00000000-0000-0000-0000-000000000000_1" },
    });
    expect(unknown.status).toBe(400);
    const created = await post("/beta/deviceManagement/configurationPolicies", body);
    expect(created.status).toBe(201);
    expect(created.body.templateReference).toEqual(firewall.templateReference);
    expect(created.body.settingCount).toBe(settings.items.length);
  });
});

describe("Graph emulator: Windows Autopilot deployment profiles", () => {
  const COLLECTION = "/beta/deviceManagement/windowsAutopilotDeploymentProfiles";
  async function send(method: "POST" | "DELETE", path: string, body?: unknown) {
    const response = await http(`${emulatorUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  }

  it("serves both derived types from beta only, every item once across pages ($top honoured)", async () => {
    expect((await get("/v1.0/deviceManagement/windowsAutopilotDeploymentProfiles")).status).toBe(400);
    const { items, sizes } = await everyPage(`${COLLECTION}?$top=3`);
    expect(items).toHaveLength(8);
    expect(new Set(items.map((i) => i.id)).size).toBe(8);
    expect(sizes).toEqual([3, 3, 2]);
    expect(new Set(items.map((i) => i["@odata.type"]))).toEqual(
      new Set([
        "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile",
        "#microsoft.graph.activeDirectoryWindowsAutopilotDeploymentProfile",
      ]),
    );
    const one = await get(`${COLLECTION}/${items[0]!.id}?$select=id,displayName`);
    expect(one.status).toBe(200);
  });

  it("assigns groups one assignment entity at a time: /assign takes deviceIds only", async () => {
    const [profile] = (await get(COLLECTION)).body.value;
    const [group] = (await get("/v1.0/groups?$top=1")).body.value;
    const path = `${COLLECTION}/${profile!.id}`;
    const target = { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: group!.id };
    // The action's only parameter is deviceIds (it assigns Autopilot devices): groups are refused there.
    expect((await send("POST", `${path}/assign`, { assignments: [{ target }] })).status).toBe(400);
    expect((await send("POST", `${path}/assign`, { deviceIds: [] })).status).toBe(204);

    const before = (await get(`${path}/assignments`)).body.value;
    const created = await send("POST", `${path}/assignments`, { target });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      "@odata.type": "#microsoft.graph.windowsAutopilotDeploymentProfileAssignment",
      source: "direct",
      target,
    });
    const listed = (await get(`${path}/assignments`)).body.value;
    expect(listed).toHaveLength(before.length + 1);
    expect(listed.at(-1)).toMatchObject({ id: created.body.id, target });
    const unknownGroup = { ...target, groupId: "00000000-0000-0000-0000-000000000000" };
    expect((await send("POST", `${path}/assignments`, { target: unknownGroup })).status).toBe(400);

    expect((await send("DELETE", `${path}/assignments/${String(created.body.id)}`)).status).toBe(204);
    expect((await send("DELETE", `${path}/assignments/${String(created.body.id)}`)).status).toBe(404);
    expect((await get(`${path}/assignments`)).body.value).toEqual(before);
  });

  it("refuses a create carrying read-only properties (deprecated mirrors included), accepts it without", async () => {
    const [listed] = (await get(COLLECTION)).body.value;
    const graphSet = new Set(["id", "createdDateTime", "lastModifiedDateTime"]);
    const full = Object.fromEntries(Object.entries(listed!).filter(([key]) => !graphSet.has(key)));
    const refused = await send("POST", COLLECTION, full);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: "NotSupported" });
    const deprecated = ["language", "extractHardwareHash", "enableWhiteGlove", "outOfBoxExperienceSettings"];
    const writable = Object.fromEntries(Object.entries(full).filter(([key]) => !deprecated.includes(key)));
    const created = await send("POST", COLLECTION, { ...writable, displayName: "Autopilot copy" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ displayName: "Autopilot copy", locale: listed!.locale });
  });
});

describe("Graph emulator: app protection policies", () => {
  const PROTECTIONS = [
    ["iosManagedAppProtections", "#microsoft.graph.iosManagedAppProtection", 12, "bundleId", ["v1.0", "beta"]],
    ["androidManagedAppProtections", "#microsoft.graph.androidManagedAppProtection", 12, "packageId", ["v1.0", "beta"]],
    ["windowsManagedAppProtections", "#microsoft.graph.windowsManagedAppProtection", 4, "windowsAppId", ["beta"]],
    // App configuration for managed apps: the same mechanism (A_ ids, targetApps with appGroupType).
    [
      "targetedManagedAppConfigurations",
      "#microsoft.graph.targetedManagedAppConfiguration",
      8,
      "bundleId",
      ["v1.0", "beta"],
    ],
  ] as const;
  const prefixOf = (collection: string) => (collection === "targetedManagedAppConfigurations" ? "A_" : "T_");
  const identifierTypes = {
    bundleId: "#microsoft.graph.iosMobileAppIdentifier",
    packageId: "#microsoft.graph.androidMobileAppIdentifier",
    windowsAppId: "#microsoft.graph.windowsAppIdentifier",
  };
  /** An action answering 204 No Content (targetApps returns nothing). */
  async function action(path: string, body: unknown) {
    const response = await http(`${emulatorUrl}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Body | null };
  }

  it.each(PROTECTIONS)(
    "serves %s under /deviceAppManagement across pages, T_ (A_) ids, apps only when expanded",
    async (collection, type, count, key, versions) => {
      expect((await get(`/beta/deviceManagement/${collection}`)).status).toBe(404);
      if (!versions.includes("v1.0" as never))
        expect((await get(`/v1.0/deviceAppManagement/${collection}`)).status).toBe(400);
      const { items, sizes } = await everyPage(`/beta/deviceAppManagement/${collection}?$top=3`);
      expect(items).toHaveLength(count);
      expect(new Set(items.map((i) => i.id)).size).toBe(count);
      expect(sizes.length).toBeGreaterThan(1);
      const id = new RegExp(`^${prefixOf(collection)}[0-9a-f-]{36}$`);
      expect(items.every((i) => i["@odata.type"] === type && id.test(String(i.id)))).toBe(true);
      // The contained apps: absent from a plain list, present with $expand (list and item), and at /apps.
      expect(items.some((i) => "apps" in i)).toBe(false);
      const expanded = await everyPage(`/beta/deviceAppManagement/${collection}?$top=3&$expand=apps`);
      expect(expanded.items).toHaveLength(count);
      expect(expanded.items.every((i) => Array.isArray(i.apps) && (i.apps as unknown[]).length > 0)).toBe(true);
      const path = `/beta/deviceAppManagement/${collection}/${items[0]!.id}`;
      const one = (await get(`${path}?$expand=apps`)).body as unknown as { apps: Record<string, unknown>[] };
      expect(one.apps[0]).toMatchObject({
        "@odata.type": "#microsoft.graph.managedMobileApp",
        mobileAppIdentifier: { "@odata.type": identifierTypes[key], [key]: expect.any(String) },
      });
      expect((await get(`${path}/apps`)).body.value).toEqual(one.apps);
    },
  );

  it.each(PROTECTIONS)(
    "%s: apps set by targetApps only, assigned with 'assignments', read-only fields and apps refused on create",
    async (collection, _type, _count, key) => {
      const { items } = await everyPage(`/beta/deviceAppManagement/${collection}?$expand=apps`);
      const source = items[0]!;
      const path = `/beta/deviceAppManagement/${collection}/${source.id}`;
      const app = { mobileAppIdentifier: { "@odata.type": identifierTypes[key], [key]: "com.contoso.app" } };
      const targeted = key !== "windowsAppId";
      // Windows' targetApps takes the apps only; the targeted types also appGroupType.
      const withGroupType = await action(`${path}/targetApps`, { apps: [app], appGroupType: "selectedPublicApps" });
      expect(withGroupType.status).toBe(targeted ? 204 : 400);
      expect((await action(`${path}/targetApps`, { apps: [app] })).status).toBe(204);
      expect((await action(`${path}/targetApps`, { apps: [{ mobileAppIdentifier: {} }] })).status).toBe(400);
      const apps = (await get(`${path}/apps`)).body.value;
      expect(apps.map((a) => a.mobileAppIdentifier)).toEqual([app.mobileAppIdentifier]);

      const [group] = (await get("/v1.0/groups?$top=1")).body.value;
      const target = { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: group!.id };
      expect((await post(`${path}/assign`, { deviceManagementScriptAssignments: [{ target }] })).status).toBe(400);
      expect((await post(`${path}/assign`, { assignments: [{ target }] })).status).toBe(200);
      expect((await get(`${path}/assignments`)).body.value.map((a) => a.target)).toEqual([target]);

      const graphSet = new Set(["id", "createdDateTime", "lastModifiedDateTime", "version", "@odata.type", "apps"]);
      const writable = Object.fromEntries(Object.entries(source).filter(([k]) => !graphSet.has(k) && !k.includes("@")));
      const withId = await post(`/beta/deviceAppManagement/${collection}`, { ...writable, id: source.id });
      expect(withId.status).toBe(400);
      expect(withId.body.error!.message).toContain("Id invalid for create.");
      const withApps = await post(`/beta/deviceAppManagement/${collection}`, { ...writable, apps: [app] });
      expect(withApps.status).toBe(400);
      expect(withApps.body.error!.message).toContain("Apps invalid for create.");
      const created = await post(`/beta/deviceAppManagement/${collection}`, writable);
      expect(created.status).toBe(201);
      expect(String(created.body.id).startsWith(prefixOf(collection))).toBe(true);
      expect((await get(`/beta/deviceAppManagement/${collection}/${created.body.id}/apps`)).body.value).toEqual([]);
    },
  );
});

describe("Graph emulator: administrative templates", () => {
  const COLLECTION = "/beta/deviceManagement/groupPolicyConfigurations";
  const update = async (id: string, body: unknown) =>
    (
      await http(`${emulatorUrl}${COLLECTION}/${id}/updateDefinitionValues`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      })
    ).status;

  it("serves them from beta only across pages, their values paged with definitions and presentations only when expanded", async () => {
    expect((await get("/v1.0/deviceManagement/groupPolicyConfigurations")).status).toBe(400);
    const { items, sizes } = await everyPage(`${COLLECTION}?$top=5`);
    expect(items).toHaveLength(14);
    expect(new Set(items.map((i) => i.id)).size).toBe(14);
    expect(sizes.length).toBeGreaterThan(1);
    expect(items.every((i) => i["@odata.type"] === "#microsoft.graph.groupPolicyConfiguration")).toBe(true);
    // The object holds no values: they are a navigation of their own.
    expect(items.every((i) => !("definitionValues" in i))).toBe(true);

    const first = items.find((i) => i.displayName === "Administrative template 001")!;
    const values = await everyPage(`${COLLECTION}/${first.id}/definitionValues?$top=5&$expand=definition`);
    expect(values.items).toHaveLength(12);
    expect(values.sizes).toEqual([5, 5, 2]);
    expect(values.items.every((v) => (v.definition as { policyType: string }).policyType === "admxBacked")).toBe(true);
    const plain = await everyPage(`${COLLECTION}/${first.id}/definitionValues`);
    expect(plain.items.every((v) => !("definition" in v) && typeof v.enabled === "boolean")).toBe(true);

    const withPresentations = [];
    for (const v of values.items) {
      const path = `${COLLECTION}/${first.id}/definitionValues/${v.id}/presentationValues`;
      const expanded = (await get(`${path}?$expand=presentation`)).body.value;
      expect((await get(path)).body.value.every((pv) => !("presentation" in pv))).toBe(true);
      withPresentations.push(...expanded);
    }
    expect(withPresentations.length).toBeGreaterThan(0);
    expect(withPresentations.every((pv) => typeof (pv.presentation as { id: string }).id === "string")).toBe(true);
    expect(
      withPresentations.every((pv) =>
        String(pv["@odata.type"]).startsWith("#microsoft.graph.groupPolicyPresentationValue"),
      ),
    ).toBe(true);
  });

  it("creates a configuration without values, refuses read-only fields, binds values with updateDefinitionValues and assigns with 'assignments'", async () => {
    const refused = await post(COLLECTION, { displayName: "Copy", id: "x" });
    expect(refused.status).toBe(400);
    expect(refused.body.error!.message).toContain("Id invalid for create.");
    expect((await post(COLLECTION, { displayName: "Copy", definitionValues: [] })).status).toBe(400);
    const created = await post(COLLECTION, { displayName: "Copy", description: null, roleScopeTagIds: ["0"] });
    expect(created.status).toBe(201);
    const id = String(created.body.id);

    const source = (await everyPage(`${COLLECTION}?$top=20`)).items.find(
      (i) => i.displayName === "Administrative template 002",
    )!;
    const [value] = (await get(`${COLLECTION}/${source.id}/definitionValues?$expand=definition`)).body.value;
    const definition = value!.definition as { id: string };
    const bind = `https://graph.microsoft.com/beta/deviceManagement/groupPolicyDefinitions('${definition.id}')`;
    expect(await update(id, { added: [{ enabled: true, "definition@odata.bind": bind }], extra: [] })).toBe(400);
    expect(await update(id, { added: [{ enabled: true, id: "v1", "definition@odata.bind": bind }] })).toBe(400);
    expect(
      await update(id, {
        added: [{ enabled: true, "definition@odata.bind": bind.replace(definition.id, crypto.randomUUID()) }],
      }),
    ).toBe(400);
    expect(
      await update(id, {
        added: [{ enabled: false, configurationType: "policy", "definition@odata.bind": bind }],
        updated: [],
        deletedIds: [],
      }),
    ).toBe(204);
    const stored = (await get(`${COLLECTION}/${id}/definitionValues?$expand=definition`)).body.value;
    expect(stored.map((v) => [(v.definition as { id: string }).id, v.enabled])).toEqual([[definition.id, false]]);
    expect((await get(`${COLLECTION}/${id}`)).body).toMatchObject({ policyConfigurationIngestionType: "builtIn" });

    const [group] = (await get("/v1.0/groups?$top=1")).body.value;
    const target = { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: group!.id };
    expect((await post(`${COLLECTION}/${id}/assign`, { deviceManagementScriptAssignments: [{ target }] })).status).toBe(
      400,
    );
    expect((await post(`${COLLECTION}/${id}/assign`, { assignments: [{ target }] })).status).toBe(200);
    expect((await get(`${COLLECTION}/${id}/assignments`)).body.value.map((a) => a.target)).toEqual([target]);
  });
});

describe("Graph emulator: app configuration for managed devices", () => {
  const COLLECTION = "/beta/deviceAppManagement/mobileAppConfigurations";

  it("serves iOS and Android Enterprise configurations in v1.0 and beta across pages ($top honoured), each targeting apps of the tenant's own catalogue", async () => {
    expect((await get("/beta/deviceManagement/mobileAppConfigurations")).status).toBe(404);
    const { items, sizes } = await everyPage(COLLECTION);
    expect(items).toHaveLength(12);
    expect(sizes).toEqual([10, 2]);
    expect(new Set(items.map((i) => i.id)).size).toBe(12);
    expect(new Set(items.map((i) => i["@odata.type"]))).toEqual(
      new Set(["#microsoft.graph.iosMobileAppConfiguration", "#microsoft.graph.androidManagedStoreAppConfiguration"]),
    );
    const v1 = await everyPage("/v1.0/deviceAppManagement/mobileAppConfigurations?$top=5");
    expect(v1.sizes).toEqual([5, 5, 2]);
    expect(v1.items.map((i) => i.id)).toEqual(items.map((i) => i.id));
    // targetedMobileApps are ids of /deviceAppManagement/mobileApps, read there by id ($select honoured).
    const catalogue = (await get("/beta/deviceAppManagement/mobileApps")).body.value;
    const ids = new Set(catalogue.map((a) => a.id));
    expect(items.every((i) => (i.targetedMobileApps as string[]).every((id) => ids.has(id)))).toBe(true);
    const appId = (items[0]!.targetedMobileApps as string[])[0]!;
    const app = await get(`/beta/deviceAppManagement/mobileApps/${appId}?$select=displayName`);
    expect(app.status).toBe(200);
    expect(Object.keys(app.body).sort()).toEqual(["@odata.context", "@odata.type", "displayName", "id"]);
    expect((await get(`/beta/deviceAppManagement/mobileApps/${appId}?$select=nope`)).status).toBe(400);
    expect((await get("/beta/deviceAppManagement/mobileApps/00000000-0000-0000-0000-000000000000")).status).toBe(404);
    // The settings of each kind: key/value items or XML (iOS), a JSON payload (Android).
    const ios = items.filter((i) => i["@odata.type"] === "#microsoft.graph.iosMobileAppConfiguration");
    expect(ios.some((i) => (i.settings as unknown[]).length > 0)).toBe(true);
    expect(ios.some((i) => typeof i.encodedSettingXml === "string")).toBe(true);
    const android = items.find((i) => i["@odata.type"] === "#microsoft.graph.androidManagedStoreAppConfiguration")!;
    expect(JSON.parse(Buffer.from(String(android.payloadJson), "base64").toString("utf8"))).toMatchObject({
      managedProperty: expect.any(Array),
    });
  });

  it("assigns with 'assignments' (filters kept), refuses a create carrying read-only fields or no type, accepts it without", async () => {
    const [listed] = (await get(COLLECTION)).body.value;
    const [group] = (await get("/v1.0/groups?$top=1")).body.value;
    const target = {
      "@odata.type": "#microsoft.graph.groupAssignmentTarget",
      groupId: group!.id,
      deviceAndAppManagementAssignmentFilterId: null,
      deviceAndAppManagementAssignmentFilterType: "none",
    };
    const path = `${COLLECTION}/${listed!.id}`;
    expect((await post(`${path}/assign`, { mobileAppConfigurationAssignments: [{ target }] })).status).toBe(400);
    const assigned = await post(`${path}/assign`, { assignments: [{ target }] });
    expect(assigned.status).toBe(200);
    expect((await get(`${path}/assignments`)).body.value).toEqual([expect.objectContaining({ target })]);

    const graphSet = new Set(["id", "createdDateTime", "lastModifiedDateTime", "version"]);
    const writable = Object.fromEntries(Object.entries(listed!).filter(([key]) => !graphSet.has(key)));
    const withVersion = await post(COLLECTION, { ...writable, version: 7 });
    expect(withVersion.status).toBe(400);
    expect(withVersion.body.error!.code).toBe("NotSupported");
    expect(withVersion.body.error!.message).toContain("Version invalid for create.");
    // The collection's type is abstract: a create names the derived type.
    const untyped = { ...writable };
    delete untyped["@odata.type"];
    expect((await post(COLLECTION, untyped)).status).toBe(400);
    const created = await post(COLLECTION, { ...writable, displayName: "App configuration copy" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      "@odata.type": listed!["@odata.type"],
      displayName: "App configuration copy",
      targetedMobileApps: listed!.targetedMobileApps,
      // An iOS configuration's `settings` are its own items (a property), kept as sent.
      settings: listed!.settings,
    });
    expect((listed!.settings as unknown[]).length).toBeGreaterThan(0);
    const patched = await http(`${emulatorUrl}${COLLECTION}/${String(created.body.id)}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ "@odata.type": listed!["@odata.type"], settings: [] }),
    });
    expect(patched.status).toBe(204);
    expect(((await get(`${COLLECTION}/${String(created.body.id)}`)).body as Record<string, unknown>).settings).toEqual(
      [],
    );
  });
});

describe("Graph emulator: device enrollment configurations", () => {
  const COLLECTION = "/beta/deviceManagement/deviceEnrollmentConfigurations";
  async function send(method: "POST" | "PATCH" | "DELETE", path: string, body?: unknown) {
    const response = await http(`${emulatorUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  }
  const ofType = (items: Record<string, unknown>[], type: string) =>
    items.filter((i) => i["@odata.type"] === `#microsoft.graph.${type}`);

  it("lists every kind once across pages ($top honoured), ids <guid>_<Kind>, a default of each kind at priority 0", async () => {
    const { items, sizes } = await everyPage(`${COLLECTION}?$top=4`);
    expect(items).toHaveLength(17);
    expect(new Set(items.map((i) => i.id)).size).toBe(17);
    expect(sizes).toEqual([4, 4, 4, 4, 1]);
    for (const item of items) expect(String(item.id)).toMatch(/^[0-9a-f-]{36}_[A-Z][A-Za-z0-9]+$/);
    const defaults = items.filter((i) => i.priority === 0);
    expect(defaults.map((d) => String(d.id).split("_")[1]).sort()).toEqual([
      "DefaultLimit",
      "DefaultPlatformRestrictions",
      "DefaultWindows10EnrollmentCompletionPageConfiguration",
      "DefaultWindowsHelloForBusiness",
      "WindowsRestore",
    ]);
    for (const d of defaults) expect(d).toMatchObject({ displayName: "All users and all devices", version: 0 });
    expect(ofType(items, "windows10EnrollmentCompletionPageConfiguration").map((i) => i.priority)).toEqual([
      0, 1, 2, 3,
    ]);
    expect(String(ofType(items, "deviceEnrollmentLimitConfiguration")[1]!.id)).toMatch(/_Limit$/);
    // Each single-platform restriction says its platform; the collection exists in v1.0 too.
    expect(
      new Set(ofType(items, "deviceEnrollmentPlatformRestrictionConfiguration").map((i) => i.platformType)),
    ).toEqual(new Set(["windows", "ios", "android", "mac"]));
    expect((await get("/v1.0/deviceManagement/deviceEnrollmentConfigurations")).status).toBe(200);
  });

  it("never creates, deletes or assigns a default; refuses read-only fields on create; a new one lands last and setPriority moves it", async () => {
    const items = (await everyPage(COLLECTION)).items;
    const limits = ofType(items, "deviceEnrollmentLimitConfiguration");
    const byDefault = limits.find((l) => l.priority === 0)!;
    const path = `${COLLECTION}/${String(byDefault.id)}`;
    expect((await send("DELETE", path)).status).toBe(400);
    const [group] = (await get("/v1.0/groups?$top=1")).body.value;
    const target = { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: group!.id };
    expect((await send("POST", `${path}/assign`, { enrollmentConfigurationAssignments: [{ target }] })).status).toBe(
      400,
    );
    expect((await send("POST", `${path}/setPriority`, { priority: 2 })).status).toBe(400);
    const body = {
      "@odata.type": "#microsoft.graph.deviceEnrollmentLimitConfiguration",
      displayName: "Copy",
      limit: 7,
    };
    expect((await send("POST", COLLECTION, { ...body, priority: 0 })).status).toBe(400);
    const readOnly = await send("POST", COLLECTION, { ...body, version: 3 });
    expect(readOnly.status).toBe(400);
    expect(readOnly.body.error).toMatchObject({ code: "NotSupported" });

    const created = await send("POST", COLLECTION, { ...body, priority: 1 });
    expect(created.status).toBe(201);
    expect(String(created.body.id)).toMatch(/_Limit$/);
    expect(created.body).toMatchObject({ priority: limits.length, deviceEnrollmentConfigurationType: "limit" });
    const createdPath = `${COLLECTION}/${String(created.body.id)}`;
    expect((await send("PATCH", createdPath, { ...body, priority: 1 })).status).toBe(400);
    expect((await send("POST", `${createdPath}/setPriority`, { priority: 1 })).status).toBe(204);
    const after = ofType((await everyPage(COLLECTION)).items, "deviceEnrollmentLimitConfiguration");
    expect(after.find((l) => l.id === created.body.id)!.priority).toBe(1);
    expect(after.map((l) => l.priority).sort()).toEqual([...limits.map((_, i) => i), limits.length - 0].sort());
    expect((await send("DELETE", createdPath)).status).toBe(204);
    const rest = ofType((await everyPage(COLLECTION)).items, "deviceEnrollmentLimitConfiguration");
    expect(rest.map((l) => [l.id, l.priority])).toEqual(limits.map((l) => [l.id, l.priority]));
  });

  it("assigns with enrollmentConfigurationAssignments and refuses another parameter", async () => {
    const items = (await everyPage(COLLECTION)).items;
    const page = ofType(items, "windows10EnrollmentCompletionPageConfiguration").find((i) => i.priority !== 0)!;
    const path = `${COLLECTION}/${String(page.id)}`;
    const [group] = (await get("/v1.0/groups?$top=1")).body.value;
    const target = { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: group!.id };
    expect((await send("POST", `${path}/assign`, { assignments: [{ target }] })).status).toBe(400);
    const assigned = await send("POST", `${path}/assign`, { enrollmentConfigurationAssignments: [{ target }] });
    expect(assigned.status).toBe(200);
    expect((await get(`${path}/assignments`)).body.value).toEqual([expect.objectContaining({ target })]);
  });
});

describe("Graph emulator: endpoint security intents", () => {
  const COLLECTION = "/beta/deviceManagement/intents";
  const updateSettings = async (id: string, body: unknown) =>
    (
      await http(`${emulatorUrl}${COLLECTION}/${id}/updateSettings`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      })
    ).status;

  it("serves them from beta only across pages, their settings paged with a definition id and valueJson each, and Microsoft's templates", async () => {
    expect((await get("/v1.0/deviceManagement/intents")).status).toBe(400);
    const { items, sizes } = await everyPage(`${COLLECTION}?$top=5`);
    expect(items).toHaveLength(8);
    expect(new Set(items.map((i) => i.id)).size).toBe(8);
    expect(sizes).toEqual([5, 3]);
    // The object holds no settings: they are a navigation of their own.
    expect(items.every((i) => !("settings" in i) && typeof i.templateId === "string")).toBe(true);

    const first = items.find((i) => String(i.displayName).endsWith("intent 001"))!;
    const settings = await everyPage(`${COLLECTION}/${first.id}/settings`);
    expect(settings.sizes).toEqual([10, 4]);
    expect(new Set(settings.items.map((s) => s.definitionId)).size).toBe(14);
    for (const s of settings.items) {
      expect(String(s["@odata.type"])).toMatch(
        /^#microsoft\.graph\.deviceManagement(Boolean|Integer|String)SettingInstance$/,
      );
      expect(JSON.parse(String(s.valueJson))).toEqual(s.value);
    }
    const top = await everyPage(`${COLLECTION}/${first.id}/settings?$top=4`);
    expect(top.sizes).toEqual([4, 4, 4, 2]);

    const templates = (await everyPage("/beta/deviceManagement/templates")).items;
    expect(templates.map((t) => t.id)).toContain(first.templateId);
    expect(templates.every((t) => !("definitions" in t) && typeof t.isDeprecated === "boolean")).toBe(true);
    expect((await get(`/beta/deviceManagement/templates/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it("creates an intent by its template's createInstance (its parameters only), sets settings with updateSettings and assigns with 'assignments'", async () => {
    const source = (await everyPage(COLLECTION)).items.find((i) => String(i.displayName).endsWith("intent 002"))!;
    const [setting] = (await get(`${COLLECTION}/${source.id}/settings`)).body.value;
    const create = (templateId: string, body: unknown) =>
      post(`/beta/deviceManagement/templates/${templateId}/createInstance`, body);
    const delta = [{ "@odata.type": setting!["@odata.type"], definitionId: setting!.definitionId, valueJson: "false" }];
    // Read-only and other properties of the intent are not parameters of the action.
    for (const extra of [{ id: "x" }, { templateId: source.templateId }, { isAssigned: true }, { settings: [] }]) {
      const refused = await create(String(source.templateId), { displayName: "Copy", ...extra });
      expect(refused.status).toBe(400);
      expect(refused.body.error!.message).toContain("is not a valid parameter for the operation 'createInstance'");
    }
    expect((await create(crypto.randomUUID(), { displayName: "Copy" })).status).toBe(404);
    const templates = (await everyPage("/beta/deviceManagement/templates")).items;
    const deprecated = templates.find((t) => t.isDeprecated === true)!;
    expect((await create(String(deprecated.id), { displayName: "Copy" })).status).toBe(400);
    const foreign = [{ definitionId: "deviceConfiguration--notInTheTemplate", valueJson: "1" }];
    expect((await create(String(source.templateId), { displayName: "Copy", settingsDelta: foreign })).status).toBe(400);

    const created = await create(String(source.templateId), {
      displayName: "Copy",
      description: "made by createInstance",
      settingsDelta: delta,
      roleScopeTagIds: ["0"],
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ displayName: "Copy", templateId: source.templateId });
    const id = String(created.body.id);
    expect((await get(`${COLLECTION}/${id}`)).body).toMatchObject({ description: "made by createInstance" });
    expect((await get(`${COLLECTION}/${id}/settings`)).body.value.map((s) => [s.definitionId, s.valueJson])).toEqual([
      [setting!.definitionId, "false"],
    ]);

    expect(await updateSettings(id, { settingsDelta: delta })).toBe(400);
    const changed = [{ ...delta[0], valueJson: "true" }];
    expect(await updateSettings(id, { settings: changed })).toBe(204);
    expect((await get(`${COLLECTION}/${id}/settings`)).body.value.map((s) => [s.definitionId, s.valueJson])).toEqual([
      [setting!.definitionId, "true"],
    ]);

    const [group] = (await get("/v1.0/groups?$top=1")).body.value;
    const target = { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: group!.id };
    expect((await post(`${COLLECTION}/${id}/assign`, { deviceManagementScriptAssignments: [{ target }] })).status).toBe(
      400,
    );
    // An intent's /assign answers 204 without a body (intune-deviceintent-devicemanagementintent-assign).
    const assigned = await http(`${emulatorUrl}${COLLECTION}/${id}/assign`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ assignments: [{ target }] }),
    });
    expect(assigned.status).toBe(204);
    expect((await get(`${COLLECTION}/${id}/assignments`)).body.value.map((a) => a.target)).toEqual([target]);
  });
});

describe("Graph emulator: notification message templates", () => {
  const COLLECTION = "/beta/deviceManagement/notificationMessageTemplates";
  const send = async (method: string, path: string, body?: unknown) => {
    const response = await http(`${emulatorUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: response.status === 204 ? {} : ((await response.json()) as Body) };
  };

  it("serves them in v1.0 and beta across pages, messages paged at their own navigation and inline only when expanded; no assignments", async () => {
    expect((await get("/v1.0/deviceManagement/notificationMessageTemplates")).status).toBe(200);
    const { items, sizes } = await everyPage(`${COLLECTION}?$top=5`);
    expect(items).toHaveLength(12);
    expect(new Set(items.map((i) => i.id)).size).toBe(12);
    expect(sizes).toEqual([5, 5, 2]);
    expect(items.every((i) => i["@odata.type"] === "#microsoft.graph.notificationMessageTemplate")).toBe(true);
    expect(items.every((i) => !("localizedNotificationMessages" in i) && !("createdDateTime" in i))).toBe(true);
    const first = items.find((i) => i.displayName === "Non-compliance: first notice")!;
    const messages = await everyPage(`${COLLECTION}/${first.id}/localizedNotificationMessages`);
    expect(messages.sizes).toEqual([10, 2]);
    expect(messages.items.filter((m) => m.isDefault).map((m) => m.locale)).toEqual(["en-us"]);
    expect(
      messages.items.every(
        (m) => m["@odata.type"] === "#microsoft.graph.localizedNotificationMessage" && typeof m.subject === "string",
      ),
    ).toBe(true);
    const expanded = (await get(`${COLLECTION}/${first.id}?$expand=localizedNotificationMessages`)).body as unknown as {
      localizedNotificationMessages: unknown[];
    };
    expect(expanded.localizedNotificationMessages).toHaveLength(12);
    // Not assigned: neither segment exists.
    const assignments = await get(`${COLLECTION}/${first.id}/assignments`);
    expect(assignments.status).toBe(400);
    expect(assignments.body.error!.message).toBe("Resource not found for the segment 'assignments'.");
    expect((await post(`${COLLECTION}/${first.id}/assign`, { assignments: [] })).status).toBe(400);
    expect((await send("POST", `${COLLECTION}/${first.id}/sendTestMessage`)).status).toBe(204);
  });

  it("creates a template without messages (read-only fields refused), then each message by POST; isDefault only moves", async () => {
    expect((await post(COLLECTION, { displayName: "Copy", lastModifiedDateTime: "2024-01-01T00:00:00Z" })).status).toBe(
      400,
    );
    const deep = await post(COLLECTION, { displayName: "Copy", localizedNotificationMessages: [] });
    expect(deep.status).toBe(400);
    expect(deep.body.error!.message).toContain("LocalizedNotificationMessages invalid for create.");
    const created = await post(COLLECTION, { displayName: "Copy", defaultLocale: "en-us", brandingOptions: "none" });
    expect(created.status).toBe(201);
    const path = `${COLLECTION}/${created.body.id}/localizedNotificationMessages`;
    const en = { locale: "en-us", subject: "Notice", messageTemplate: "Please update", isDefault: true };
    expect((await post(path, { ...en, id: "m1" })).status).toBe(400);
    expect((await post(path, { ...en, lastModifiedDateTime: "2024-01-01T00:00:00Z" })).status).toBe(400);
    const first = await post(path, en);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ ...en, "@odata.type": "#microsoft.graph.localizedNotificationMessage" });
    expect((await post(path, { ...en, isDefault: false })).status).toBe(400); // one message a locale
    const de = await post(path, { locale: "de-de", subject: "Hinweis", messageTemplate: "Bitte", isDefault: false });
    expect(de.status).toBe(201);
    // The default cannot be unset; setting it on another moves it.
    expect((await send("PATCH", `${path}/${first.body.id}`, { isDefault: false })).status).toBe(400);
    // An update answers 200 with the updated message (intune-notification-localizednotificationmessage-update).
    const updated = await send("PATCH", `${path}/${de.body.id}`, { isDefault: true, subject: "Neu" });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ locale: "de-de", subject: "Neu", isDefault: true });
    expect((await send("PATCH", `${path}/${de.body.id}`, { id: "x" })).body).toMatchObject({
      error: { message: "Id invalid for update." },
    });
    const listed = (await get(path)).body.value.map((m) => [m.locale, m.subject, m.isDefault]);
    expect(listed).toEqual([
      ["en-us", "Notice", false],
      ["de-de", "Neu", true],
    ]);
    expect((await send("DELETE", `${path}/${first.body.id}`)).status).toBe(204);
    expect((await get(path)).body.value).toHaveLength(1);
    expect((await send("DELETE", `${COLLECTION}/${created.body.id}`)).status).toBe(204);
    expect((await get(`${COLLECTION}/${created.body.id}`)).status).toBe(404);
  });
});
