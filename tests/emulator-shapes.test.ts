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
