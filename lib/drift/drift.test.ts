import { describe, expect, it } from "vitest";
import { snapshotContent } from "@/lib/inventory/policies";
import { type ComparedPolicy, comparePolicies, compareSettings } from "./compare";
import { normalizePolicy } from "./normalize";

const choice = (id: string, value: string, children: unknown[] = []) => ({
  "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting",
  id: String(Math.random()),
  settingInstance: {
    "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
    settingDefinitionId: id,
    choiceSettingValue: { value, children },
  },
});

const catalog = (settings: unknown[], extra: Record<string, unknown> = {}) => ({
  "@odata.type": "#microsoft.graph.deviceManagementConfigurationPolicy",
  id: "p1",
  name: "Catalog",
  platforms: "windows10",
  technologies: "mdm",
  settingCount: settings.length,
  createdDateTime: "2024-01-01T00:00:00Z",
  lastModifiedDateTime: "2024-01-02T00:00:00Z",
  isAssigned: false,
  settings,
  assignments: [],
  ...extra,
});

describe("normalizePolicy", () => {
  it("ignores ids, timestamps, version, counters and annotations", () => {
    const a = normalizePolicy("device_configuration", {
      "@odata.type": "#microsoft.graph.windows10GeneralConfiguration",
      "@odata.context": "https://graph/$metadata#x",
      "@odata.etag": 'W/"1"',
      id: "a",
      version: 1,
      createdDateTime: "2024-01-01T00:00:00Z",
      lastModifiedDateTime: "2024-01-01T00:00:00Z",
      usedLicenseCount: 3,
      passwordRequired: true,
      assignments: [{ id: "x1", target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }],
    });
    const b = normalizePolicy("device_configuration", {
      "@odata.type": "#microsoft.graph.windows10GeneralConfiguration",
      "@odata.etag": 'W/"9"',
      id: "b",
      version: 7,
      createdDateTime: "2025-01-01T00:00:00Z",
      lastModifiedDateTime: "2025-06-01T00:00:00Z",
      usedLicenseCount: 40,
      passwordRequired: true,
      assignments: [{ id: "x2", target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }],
    });
    expect(compareSettings(a, b)).toEqual([]);
    expect([...a.keys()].sort()).toEqual([
      "assignment:include:allDevices",
      "property:@odata.type",
      "property:passwordRequired",
    ]);
  });

  it("compares settings catalog settings by definition id, not position, children in any order", () => {
    const before = normalizePolicy(
      "settings_catalog",
      catalog([
        choice("s1", "on", [choice("c2", "x").settingInstance, choice("c1", "y").settingInstance]),
        choice("s2", "off"),
      ]),
    );
    const after = normalizePolicy(
      "settings_catalog",
      catalog(
        [
          choice("s2", "off"),
          choice("s1", "on", [choice("c1", "y").settingInstance, choice("c2", "x").settingInstance]),
        ],
        {
          settingCount: 99,
        },
      ),
    );
    expect(compareSettings(before, after)).toEqual([]);
    const changed = normalizePolicy("settings_catalog", catalog([choice("s2", "on"), choice("s1", "on", [])]));
    expect(
      compareSettings(normalizePolicy("settings_catalog", catalog([choice("s1", "on"), choice("s2", "off")])), changed),
    ).toEqual([{ key: "setting:s2", label: "s2", baseline: "off", current: "on" }]);
  });

  it("compares OMA-URI settings by URI and assignments by group name and filter", () => {
    const oma = (uri: string, value: string) => ({
      "@odata.type": "#microsoft.graph.omaSettingString",
      omaUri: uri,
      value,
    });
    const group = (id: string, exclude = false, filter?: string) => ({
      id: `a-${id}`,
      target: {
        "@odata.type": `#microsoft.graph.${exclude ? "exclusionGroup" : "group"}AssignmentTarget`,
        groupId: id,
        ...(filter
          ? { deviceAndAppManagementAssignmentFilterId: filter, deviceAndAppManagementAssignmentFilterType: "include" }
          : {}),
      },
    });
    const base = {
      "@odata.type": "#microsoft.graph.windows10CustomConfiguration",
      omaSettings: [oma("./a", "1"), oma("./b", "2")],
      assignments: [group("g1"), group("g2", true)],
    };
    const namesA = (id: string) => ({ g1: "Sales", g2: "Contractors" })[id];
    const namesB = (id: string) => ({ h1: "Sales", h2: "Contractors" })[id];
    const other = {
      ...base,
      omaSettings: [oma("./b", "2"), oma("./a", "1")],
      assignments: [group("h2", true), group("h1")],
    };
    // Other ids, same group names (a baseline from another tenant): no drift.
    expect(
      compareSettings(
        normalizePolicy("device_configuration", base, namesA),
        normalizePolicy("device_configuration", other, namesB),
      ),
    ).toEqual([]);
    const filtered = { ...other, assignments: [group("h2", true), group("h1", false, "f1")] };
    expect(
      compareSettings(
        normalizePolicy("device_configuration", base, namesA),
        normalizePolicy("device_configuration", filtered, namesB),
      ),
    ).toEqual([
      {
        key: "assignment:include:group Sales",
        label: "Assignment (include): group Sales",
        baseline: "no filter",
        current: "filter include f1",
      },
    ]);
  });

  it("compares assignment filters by name across tenants, and by id within one", () => {
    const target = (groupId: string, filterId: string) => ({
      target: {
        "@odata.type": "#microsoft.graph.groupAssignmentTarget",
        groupId,
        deviceAndAppManagementAssignmentFilterId: filterId,
        deviceAndAppManagementAssignmentFilterType: "exclude",
      },
    });
    const policy = (groupId: string, filterId: string) => ({
      "@odata.type": "#microsoft.graph.windows10GeneralConfiguration",
      assignments: [target(groupId, filterId)],
    });
    const inA = { group: () => "Sales", filter: (id: string) => ({ fa: "Corporate", fz: "Kiosks" })[id] };
    const inB = { group: () => "Sales", filter: (id: string) => ({ fb: "Corporate", fc: "Corporate" })[id] };
    const compare = (a: [string, string], b: [string, string], keyBy: "id" | "name", names = [inA, inB]) =>
      compareSettings(
        normalizePolicy("device_configuration", policy(...a), names[0], keyBy),
        normalizePolicy("device_configuration", policy(...b), names[1], keyBy),
      );
    // Another tenant's "Corporate" filter under another id: no drift.
    expect(compare(["g1", "fa"], ["h1", "fb"], "name")).toEqual([]);
    // Another filter: drift, named.
    expect(compare(["g1", "fz"], ["h1", "fb"], "name")).toEqual([
      expect.objectContaining({ baseline: "filter exclude “Kiosks”", current: "filter exclude “Corporate”" }),
    ]);
    // One tenant: a filter swapped for another of the same name is drift.
    expect(compare(["h1", "fb"], ["h1", "fc"], "id", [inB, inB])).toHaveLength(1);
    expect(compare(["h1", "fb"], ["h1", "fb"], "id", [inB, inB])).toEqual([]);
  });

  it("compares a compliance notification's template by name across tenants (each tenant's ids differ), by id within one", () => {
    const compliance = (templateId: string) => ({
      "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
      displayName: "Windows compliance",
      scheduledActionsForRule: [
        {
          ruleName: "PasswordRequired",
          scheduledActionConfigurations: [
            {
              actionType: "notification",
              gracePeriodHours: 0,
              notificationTemplateId: templateId,
              notificationMessageCCList: [],
            },
          ],
        },
      ],
      assignments: [],
    });
    const names: Record<string, string> = {
      "lab-1": "First notice",
      "works-1": "First notice",
      "works-2": "Final warning",
    };
    const refs = { group: () => undefined, filter: () => undefined, template: (id: string) => names[id] };
    const action = (id: string, keyBy: "id" | "name") =>
      normalizePolicy("compliance", compliance(id), refs, keyBy).get("action:PasswordRequired notification")!.value;
    expect(action("lab-1", "name")).toBe(action("works-1", "name"));
    expect(action("lab-1", "name")).not.toBe(action("works-2", "name"));
    expect(action("lab-1", "id")).not.toBe(action("works-1", "id"));
  });

  it("tells two groups of one name apart: by id within a tenant, as two entries by name across tenants", () => {
    const group = (id: string) => ({
      target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: id },
    });
    const names = (id: string) => ({ g1: "Sales", g9: "Sales", h1: "Sales" })[id];
    const policy = (...ids: string[]) => ({
      "@odata.type": "#microsoft.graph.windows10GeneralConfiguration",
      assignments: ids.map(group),
    });
    const compare = (a: string[], b: string[], keyBy: "id" | "name") =>
      compareSettings(
        normalizePolicy("device_configuration", policy(...a), names, keyBy),
        normalizePolicy("device_configuration", policy(...b), names, keyBy),
      );
    // One tenant: the assignment moved to the other "Sales" group.
    expect(compare(["g1"], ["g9"], "id").map((c) => [c.label, c.baseline, c.current])).toEqual([
      ["Assignment (include): group Sales", "no filter", null],
      ["Assignment (include): group Sales", null, "no filter"],
    ]);
    // Across tenants: a second "Sales" assignment is drift, whatever order Graph lists them in.
    expect(compare(["h1"], ["g1", "g9"], "name")).toEqual([
      expect.objectContaining({ baseline: "no filter", current: "no filter; no filter" }),
    ]);
    expect(compare(["g9", "g1"], ["g1", "g9"], "name")).toEqual([]);
  });

  it("compares a remediation's assignment with whether it remediates and its schedule: one change per assignment", () => {
    const remediation = (interval: number) => ({
      "@odata.type": "#microsoft.graph.deviceHealthScript",
      displayName: "Atlas level",
      assignments: [
        {
          id: String(Math.random()),
          target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: "g1" },
          runRemediationScript: true,
          runSchedule: {
            "@odata.type": "#microsoft.graph.deviceHealthScriptDailySchedule",
            interval,
            useUtc: false,
            time: "01:00:00.0000000",
          },
        },
      ],
    });
    const changes = compareSettings(
      normalizePolicy("remediation", remediation(1), () => "Sales", "id"),
      normalizePolicy("remediation", remediation(2), () => "Sales", "id"),
    );
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ label: "Assignment (include): group Sales" });
    expect(changes[0]!.baseline).toContain('"interval":1');
    expect(changes[0]!.current).toContain('"interval":2');
    expect(changes[0]!.current).toContain("runRemediationScript true");
    expect(
      compareSettings(normalizePolicy("remediation", remediation(1)), normalizePolicy("remediation", remediation(1))),
    ).toEqual([]);
  });
});

describe("administrative templates", () => {
  const value = (definitionId: string, text: string, { enabled = true, ids = "a" } = {}) => ({
    id: `${ids}-${definitionId}`,
    enabled,
    configurationType: "policy",
    createdDateTime: ids === "a" ? "2024-01-01T00:00:00Z" : "2025-05-05T00:00:00Z",
    definition: { id: definitionId, displayName: `Policy ${definitionId}`, categoryPath: "\\Windows Components" },
    presentationValues: [
      {
        "@odata.type": "#microsoft.graph.groupPolicyPresentationValueText",
        id: `${ids}-pv-${definitionId}`,
        value: text,
        presentation: { id: `pres-${definitionId}`, label: "Name:" },
      },
    ],
  });
  const template = (values: unknown[], ingestion = "builtIn") => ({
    "@odata.type": "#microsoft.graph.groupPolicyConfiguration",
    id: "t1",
    displayName: "Edge",
    policyConfigurationIngestionType: ingestion,
    definitionValues: values,
    assignments: [],
  });

  it("compares values keyed by definition id, whatever their order or ids; a changed presentation value is one change", () => {
    const baseline = normalizePolicy("administrative_template", template([value("d1", "x"), value("d2", "y")]));
    // Recreated in another tenant: new value ids, another order, the ingestion type Intune computes moved on.
    const same = normalizePolicy(
      "administrative_template",
      template([value("d2", "y", { ids: "b" }), value("d1", "x", { ids: "b" })], "mixed"),
    );
    expect(compareSettings(baseline, same)).toEqual([]);

    const changed = compareSettings(
      baseline,
      normalizePolicy("administrative_template", template([value("d1", "x"), value("d2", "z")])),
    );
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({ label: "Administrative template: \\Windows Components\\Policy d2" });
    expect(changed[0]!.current).toContain('"value":"z"');
    const disabled = compareSettings(
      baseline,
      normalizePolicy("administrative_template", template([value("d1", "x", { enabled: false }), value("d2", "y")])),
    );
    expect(disabled).toHaveLength(1);
    const removed = compareSettings(baseline, normalizePolicy("administrative_template", template([value("d1", "x")])));
    expect(removed).toHaveLength(1);
  });

  it("compares an imported ADMX's values by category and name across tenants (its ids are each tenant's), by id within one", () => {
    const imported = (definitionId: string, text: string) => {
      const v = value(definitionId, text, { ids: definitionId });
      return {
        ...v,
        definition: { ...v.definition, displayName: "LOB setting", policyType: "admxIngested" },
        presentationValues: v.presentationValues.map((pv) => ({
          ...pv,
          presentation: { id: `p-${definitionId}`, label: "Name:" },
        })),
      };
    };
    const here = template([imported("field-id", "x")], "custom");
    const there = template([imported("fold-id", "x")], "custom");
    const across = (a: Record<string, unknown>, b: Record<string, unknown>) =>
      compareSettings(normalizePolicy("administrative_template", a), normalizePolicy("administrative_template", b));
    expect(across(here, there)).toEqual([]);
    expect(across(here, template([imported("fold-id", "y")], "custom"))).toHaveLength(1);
    const within = compareSettings(
      normalizePolicy("administrative_template", here, () => undefined, "id"),
      normalizePolicy("administrative_template", there, () => undefined, "id"),
    );
    expect(within).toHaveLength(2); // one definition gone, another one set
  });
});

describe("what Intune computes itself", () => {
  it("is neither drift nor a new version: a driver profile's report moving on changes nothing", () => {
    const driver = (newUpdates: number, deviceReporting: number) => ({
      "@odata.type": "#microsoft.graph.windowsDriverUpdateProfile",
      id: "d1",
      displayName: "Drivers",
      approvalType: "manual",
      newUpdates,
      deviceReporting,
      inventorySyncStatus: { driverInventorySyncState: "success", lastSuccessfulSyncDateTime: `${newUpdates}` },
      assignments: [],
    });
    expect(
      compareSettings(
        normalizePolicy("driver_update_profile", driver(0, 0)),
        normalizePolicy("driver_update_profile", driver(5, 9)),
      ),
    ).toEqual([]);
    const hash = (body: ReturnType<typeof driver>) =>
      snapshotContent({ family: "driver_update_profile", body, assignments: [] }).hash;
    expect(hash(driver(5, 9))).toBe(hash(driver(0, 0)));
    expect(hash({ ...driver(0, 0), approvalType: "automatic" })).not.toBe(hash(driver(0, 0)));
  });
});

describe("comparePolicies", () => {
  const policy = (policyId: string, name: string, value: string): ComparedPolicy => ({
    policyId,
    family: "device_configuration",
    name,
    normalized: new Map([["property:x", { label: "x", value }]]),
  });

  it("matches by id, then by family and name; reports changed, missing and new", () => {
    const result = comparePolicies(
      [policy("1", "A", "a"), policy("2", "B", "b"), policy("3", "C", "c"), policy("9", "Gone", "g")],
      [policy("1", "A renamed", "a"), policy("20", "B", "b2"), policy("30", "C", "c"), policy("40", "Added", "n")],
    );
    expect(result.changed.map((c) => [c.baseline.policyId, c.current.policyId])).toEqual([["2", "20"]]);
    expect(result.changed[0]!.changes).toEqual([{ key: "property:x", label: "x", baseline: "b", current: "b2" }]);
    expect(result.missing.map((m) => m.policyId)).toEqual(["9"]);
    expect(result.added.map((m) => m.policyId)).toEqual(["40"]);
    expect(result.unchanged).toBe(2);
  });

  it("pairs an entry read in another tenant by name, never by an id that tenant gave it", () => {
    // Lab's "Pilot" tag is id 3; in Works, 3 is "Europe" and "Pilot" is 7.
    const tag = (policyId: string, name: string, foreign?: boolean): ComparedPolicy => ({
      policyId,
      family: "scope_tag",
      name,
      normalized: new Map([["property:displayName", { label: "displayName", value: name }]]),
      ...(foreign ? { foreign } : {}),
    });
    const result = comparePolicies([tag("3", "Pilot", true)], [tag("3", "Europe"), tag("7", "Pilot")]);
    expect(result.changed).toEqual([]);
    expect(result.unchanged).toBe(1);
    expect(result.added.map((c) => c.name)).toEqual(["Europe"]);
    // An entry of this tenant is still paired by its id (renamed, not removed and added).
    const own = comparePolicies([tag("3", "Pilot")], [tag("3", "Europe"), tag("7", "Pilot")]);
    expect(own.changed.map((c) => [c.baseline.name, c.current.name])).toEqual([["Pilot", "Europe"]]);
  });

  it("does not pair by a name two policies share", () => {
    const result = comparePolicies([policy("1", "Dup", "a")], [policy("10", "Dup", "a"), policy("11", "Dup", "a")]);
    expect(result.missing).toHaveLength(1);
    expect(result.added).toHaveLength(2);
  });
});

describe("app configuration for managed devices", () => {
  const ios = (value: string, apps = ["app-1"]) => ({
    "@odata.type": "#microsoft.graph.iosMobileAppConfiguration",
    id: "c1",
    displayName: "iOS app configuration",
    version: 3,
    targetedMobileApps: apps,
    encodedSettingXml: null,
    settings: [
      { appConfigKey: "IntuneMAMUPN", appConfigKeyType: "stringType", appConfigKeyValue: "{{userprincipalname}}" },
      { appConfigKey: "SyncInterval", appConfigKeyType: "integerType", appConfigKeyValue: value },
    ],
    assignments: [],
  });
  const family = "managed_device_app_configuration" as const;

  it("compares an iOS configuration's key/value settings as a property (not as catalog settings): one changed value is one change", () => {
    const changes = compareSettings(normalizePolicy(family, ios("10")), normalizePolicy(family, ios("20")));
    expect(changes.map((c) => c.key)).toEqual(["property:settings"]);
    expect(changes[0]!.current).toContain('"appConfigKeyValue":"20"');
  });

  it("compares targeted apps by id within a tenant; across tenants (each has its own app ids) they are left out", () => {
    const here = compareSettings(
      normalizePolicy(family, ios("10", ["app-1"]), () => undefined, "id"),
      normalizePolicy(family, ios("10", ["app-2"]), () => undefined, "id"),
    );
    expect(here.map((c) => c.key)).toEqual(["property:targetedMobileApps"]);
    expect(
      compareSettings(normalizePolicy(family, ios("10", ["app-1"])), normalizePolicy(family, ios("10", ["x"]))),
    ).toEqual([]);
  });
});

describe("an enrollment status page's apps", () => {
  const page = (apps: string[]) => ({
    "@odata.type": "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration",
    id: "e1_Windows10EnrollmentCompletionPageConfiguration",
    displayName: "Autopilot ESP",
    priority: 1,
    showInstallationProgress: true,
    selectedMobileAppIds: apps,
    assignments: [],
  });
  const family = "enrollment_status_page" as const;

  it("compares the apps it waits for within a tenant; across tenants (each has its own app ids) they are left out", () => {
    const here = compareSettings(
      normalizePolicy(family, page(["app-1"]), () => undefined, "id"),
      normalizePolicy(family, page(["app-2"]), () => undefined, "id"),
    );
    expect(here.map((c) => c.key)).toEqual(["property:selectedMobileAppIds"]);
    expect(compareSettings(normalizePolicy(family, page(["app-1"])), normalizePolicy(family, page(["x"])))).toEqual([]);
  });
});
