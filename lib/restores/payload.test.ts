import { describe, expect, it } from "vitest";
import { assignBody, creationBody } from "./payload";
import type { PlannedAssignment, PlannedItem } from "./plan";

const GROUP = "#microsoft.graph.groupAssignmentTarget";

describe("creationBody", () => {
  it("drops what Graph sets itself or refuses on create, and OData annotations other than the type", () => {
    const content = {
      "@odata.type": "#microsoft.graph.windows10GeneralConfiguration",
      "@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceConfigurations/$entity",
      "roleScopeTagIds@odata.type": "#Collection(String)",
      id: "source-id",
      createdDateTime: "2025-01-01T00:00:00Z",
      lastModifiedDateTime: "2025-01-02T00:00:00Z",
      version: 3,
      settingCount: 2,
      isAssigned: true,
      assignments: [{ target: { "@odata.type": GROUP, groupId: "g1" } }],
      displayName: "Baseline",
      passwordMinimumLength: 14,
      roleScopeTagIds: ["0"],
    };
    expect(creationBody("device_configuration", content)).toEqual({
      "@odata.type": "#microsoft.graph.windows10GeneralConfiguration",
      displayName: "Baseline",
      passwordMinimumLength: 14,
      roleScopeTagIds: ["0"],
    });
  });

  it("leaves settings and compliance actions out of other families' bodies", () => {
    const body = creationBody("device_configuration", { displayName: "x", settings: [{ id: "0" }] });
    expect(body).toEqual({ displayName: "x" });
  });

  it("sends a settings catalog policy's settings without the source's setting ids", () => {
    const settingInstance = { "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance" };
    const body = creationBody("settings_catalog", {
      name: "Catalog",
      settings: [
        { id: "0", settingInstance },
        { id: "1", settingInstance, extra: true },
      ],
    });
    expect(body).toEqual({ name: "Catalog", settings: [{ settingInstance }, { settingInstance, extra: true }] });
  });

  it("sends an empty settings list when a catalog backup has none (or something that is not a list)", () => {
    expect(creationBody("settings_catalog", { name: "Empty" }).settings).toEqual([]);
    expect(creationBody("settings_catalog", { name: "Odd", settings: { id: "0" } }).settings).toEqual([]);
  });

  it("gives a compliance policy exactly one rule with one block action, keeping the source's grace period", () => {
    const body = creationBody("compliance", {
      displayName: "Compliance",
      scheduledActionsForRule: [
        {
          ruleName: "DeviceNotCompliant",
          scheduledActionConfigurations: [
            { actionType: "notification", gracePeriodHours: 1, notificationTemplateId: "tpl" },
            { actionType: "block", gracePeriodHours: "12", notificationMessageCCList: ["someone"] },
          ],
        },
        { ruleName: "Second", scheduledActionConfigurations: [{ actionType: "retire" }] },
      ],
    });
    expect(body.scheduledActionsForRule).toEqual([
      {
        ruleName: "DeviceNotCompliant",
        scheduledActionConfigurations: [
          { actionType: "block", gracePeriodHours: 12, notificationTemplateId: "", notificationMessageCCList: [] },
        ],
      },
    ]);
  });

  it("invents the block action Intune requires when the backup has no rules", () => {
    expect(creationBody("compliance", { displayName: "Bare" }).scheduledActionsForRule).toEqual([
      {
        ruleName: "PasswordRequired",
        scheduledActionConfigurations: [
          { actionType: "block", gracePeriodHours: 0, notificationTemplateId: "", notificationMessageCCList: [] },
        ],
      },
    ]);
  });

  it("does not change the backed-up content it reads", () => {
    const content = { id: "1", displayName: "x", settings: [{ id: "0", v: 1 }], scheduledActionsForRule: [] };
    const copy = structuredClone(content);
    creationBody("settings_catalog", content);
    creationBody("compliance", content);
    expect(content).toEqual(copy);
  });
});

describe("assignBody", () => {
  const filter = {
    deviceAndAppManagementAssignmentFilterId: "filter-1",
    deviceAndAppManagementAssignmentFilterType: "include",
  };
  const assignments: PlannedAssignment[] = [
    {
      kind: "Include group",
      target: { "@odata.type": GROUP, groupId: "source-a", ...filter },
      sourceGroup: { id: "source-a", name: "Sales" },
      targetGroup: { id: "target-a", name: "Sales" },
      action: "assign",
    },
    {
      kind: "Include group",
      target: { "@odata.type": GROUP, groupId: "source-b" },
      sourceGroup: { id: "source-b", name: "Unmapped" },
      action: "skip",
    },
    { kind: "All devices", target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" }, action: "assign" },
  ];
  const item: PlannedItem = { backupItemId: "i", family: "compliance", name: "P", content: {}, assignments };

  it("swaps in the mapped group, leaves skipped assignments out and keeps targets without a group", () => {
    expect(assignBody(item, false)).toEqual({
      assignments: [
        { target: { "@odata.type": GROUP, groupId: "target-a", ...filter } },
        { target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } },
      ],
    });
  });

  it("drops assignment filters across tenants, where the source's filter ids mean nothing", () => {
    expect(assignBody(item, true).assignments[0]).toEqual({ target: { "@odata.type": GROUP, groupId: "target-a" } });
  });

  it("does not change the plan it reads", () => {
    assignBody(item, true);
    expect(assignments[0]!.target).toEqual({ "@odata.type": GROUP, groupId: "source-a", ...filter });
  });

  it("sends an empty set when nothing is assigned, which clears the target's assignments", () => {
    expect(assignBody({ ...item, assignments: [] }, true)).toEqual({ assignments: [] });
  });
});
