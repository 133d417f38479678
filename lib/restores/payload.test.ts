import { describe, expect, it } from "vitest";
import type { PolicyFamily } from "@/db/schema/inventory";
import { revertRequest } from "@/lib/drift/revert";
import { ItemRefusal } from "./item-refusal";
import { assignBody, creationBody, leftOutNote } from "./payload";
import type { PlannedAssignment, PlannedItem } from "./plan";

const GROUP = "#microsoft.graph.groupAssignmentTarget";

describe("creationBody", () => {
  it("sends @odata.type and only what the metadata lets a create carry: read-only, server-set and annotations go", () => {
    const content = {
      "@odata.type": "#microsoft.graph.windows10GeneralConfiguration",
      "@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceConfigurations/$entity",
      "roleScopeTagIds@odata.type": "#Collection(String)",
      id: "source-id",
      createdDateTime: "2025-01-01T00:00:00Z",
      lastModifiedDateTime: "2025-01-02T00:00:00Z",
      version: 3,
      supportsScopeTags: true,
      deviceManagementApplicabilityRuleOsEdition: null,
      assignments: [{ target: { "@odata.type": GROUP, groupId: "g1" } }],
      displayName: "Baseline",
      passwordMinimumLength: 14,
      roleScopeTagIds: ["0"],
    };
    expect(creationBody("device_configuration", content)).toEqual({
      "@odata.type": "#microsoft.graph.windows10GeneralConfiguration",
      deviceManagementApplicabilityRuleOsEdition: null,
      displayName: "Baseline",
      passwordMinimumLength: 14,
      roleScopeTagIds: ["0"],
    });
  });

  it("refuses, with a message that says why, a type the list does not have or one of another family", () => {
    const refusal = (family: PolicyFamily, content: Record<string, unknown>) => {
      try {
        creationBody(family, content);
      } catch (err) {
        return err;
      }
      return undefined;
    };
    const unknown = refusal("device_configuration", { "@odata.type": "#microsoft.graph.futureConfiguration" });
    expect(unknown).toBeInstanceOf(ItemRefusal);
    expect(unknown).toMatchObject({
      code: "type_not_creatable",
      message: expect.stringMatching(/#microsoft\.graph\.futureConfiguration\) is not in the console's list/),
    });
    expect(refusal("device_configuration", { "@odata.type": "#microsoft.graph.iosCompliancePolicy" })).toBeInstanceOf(
      ItemRefusal,
    );
    expect(refusal("device_configuration", { displayName: "untyped" })).toMatchObject({
      message: expect.stringContaining("none given"),
    });
  });

  it("names the properties it left out because the metadata does not know them", () => {
    const content = { "@odata.type": "#microsoft.graph.windows10GeneralConfiguration", displayName: "x", newer: 1 };
    expect(creationBody("device_configuration", content)).not.toHaveProperty("newer");
    expect(leftOutNote("device_configuration", content)).toMatch(/^Not sent, unknown to .*: newer\.$/);
    expect(leftOutNote("device_configuration", { ...content, newer: undefined, supportsScopeTags: true })).toMatch(
      /: newer\.$/,
    );
    expect(
      leftOutNote("device_configuration", { "@odata.type": "#microsoft.graph.windows10GeneralConfiguration" }),
    ).toBe(null);
  });

  it("sends a settings catalog policy's settings without the source's setting ids, and leaves out its read-only fields", () => {
    const settingInstance = { "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance" };
    const body = creationBody("settings_catalog", {
      name: "Catalog",
      platforms: "windows10",
      isAssigned: true,
      settingCount: 2,
      creationSource: null,
      settings: [
        { id: "0", settingInstance },
        { id: "1", settingInstance, extra: true },
      ],
    });
    expect(body).toEqual({
      name: "Catalog",
      platforms: "windows10",
      settings: [{ settingInstance }, { settingInstance, extra: true }],
    });
  });

  it("sends an empty settings list when a catalog backup has none (or something that is not a list)", () => {
    expect(creationBody("settings_catalog", { name: "Empty" }).settings).toEqual([]);
    expect(creationBody("settings_catalog", { name: "Odd", settings: { id: "0" } }).settings).toEqual([]);
  });

  it("gives a compliance policy every backed-up action with its grace period, without ids or annotations", () => {
    const body = creationBody("compliance", {
      "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
      displayName: "Compliance",
      scheduledActionsForRule: [
        {
          id: "rule-id",
          ruleName: "PasswordRequired",
          "scheduledActionConfigurations@odata.context": "https://graph.microsoft.com/beta/$metadata#…",
          scheduledActionConfigurations: [
            { id: "a1", actionType: "block", gracePeriodHours: 24, notificationTemplateId: "" },
            {
              id: "a2",
              actionType: "notification",
              gracePeriodHours: 0,
              notificationTemplateId: "tpl",
              notificationMessageCCList: ["group"],
            },
            { id: "a3", actionType: "retire", gracePeriodHours: 2160 },
          ],
        },
      ],
    });
    expect(body.scheduledActionsForRule).toEqual([
      {
        ruleName: "PasswordRequired",
        scheduledActionConfigurations: [
          { actionType: "block", gracePeriodHours: 24, notificationTemplateId: "" },
          {
            actionType: "notification",
            gracePeriodHours: 0,
            notificationTemplateId: "tpl",
            notificationMessageCCList: ["group"],
          },
          { actionType: "retire", gracePeriodHours: 2160 },
        ],
      },
    ]);
  });

  it("refuses a compliance backup without its actions instead of inventing a block with no grace period", () => {
    expect(() =>
      creationBody("compliance", { "@odata.type": "#microsoft.graph.iosCompliancePolicy", displayName: "Bare" }),
    ).toThrow(expect.objectContaining({ code: "compliance_actions_missing" }));
  });

  it("leaves out what Intune computes itself, which the metadata does not mark read-only (creates and reverts)", () => {
    const driver = {
      "@odata.type": "#microsoft.graph.windowsDriverUpdateProfile",
      displayName: "Drivers",
      approvalType: "manual",
      deviceReporting: 12,
      newUpdates: 3,
      inventorySyncStatus: { driverInventorySyncState: "success", lastSuccessfulSyncDateTime: "2025-01-01T00:00:00Z" },
    };
    expect(creationBody("driver_update_profile", driver)).toEqual({
      "@odata.type": "#microsoft.graph.windowsDriverUpdateProfile",
      displayName: "Drivers",
      approvalType: "manual",
    });
    expect(revertRequest("driver_update_profile", driver).body).not.toHaveProperty("newUpdates");
    const feature = creationBody("feature_update_profile", {
      "@odata.type": "#microsoft.graph.windowsFeatureUpdateProfile",
      displayName: "24H2",
      featureUpdateVersion: "Windows 11, version 24H2",
      endOfSupportDate: "2026-10-13T00:00:00Z",
      deployableContentDisplayName: "Windows 11, version 24H2",
    });
    expect(Object.keys(feature).sort()).toEqual(["@odata.type", "displayName", "featureUpdateVersion"]);
    const quality = creationBody("quality_update_profile", {
      displayName: "Expedite",
      releaseDateDisplayName: "January 2025",
      deployableContentDisplayName: "2025.01 B",
    });
    expect(quality).toEqual({ displayName: "Expedite" });
    expect(
      creationBody("remediation", { displayName: "Fix", highestAvailableVersion: "2", runAsAccount: "system" }),
    ).toEqual({ displayName: "Fix", runAsAccount: "system" });
  });

  it("does not change the backed-up content it reads", () => {
    const content = {
      "@odata.type": "#microsoft.graph.iosCompliancePolicy",
      id: "1",
      displayName: "x",
      settings: [{ id: "0", v: 1 }],
      scheduledActionsForRule: [{ id: "r", scheduledActionConfigurations: [{ id: "a", actionType: "block" }] }],
    };
    const copy = structuredClone(content);
    creationBody("settings_catalog", { ...content, "@odata.type": undefined });
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
      filter: { id: "filter-1", type: "include", name: "Corporate", targetId: "filter-9" },
      action: "assign",
    },
    {
      kind: "Include group",
      target: { "@odata.type": GROUP, groupId: "source-b" },
      sourceGroup: { id: "source-b", name: "Unmapped" },
      action: "skip",
      skipReason: "group",
    },
    {
      kind: "All devices",
      target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", ...filter },
      filter: { id: "filter-1", type: "include", name: "Corporate" },
      action: "skip",
      skipReason: "filter",
    },
    { kind: "All devices", target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" }, action: "assign" },
  ];
  const item: PlannedItem = {
    backupItemId: "i",
    family: "compliance",
    name: "P",
    content: {},
    assignments,
    scopeTagsLeftOut: [],
  };

  it("swaps in the mapped group and filter, leaves skipped assignments out and keeps targets without a group", () => {
    expect(assignBody(item)).toEqual({
      assignments: [
        {
          target: {
            "@odata.type": GROUP,
            groupId: "target-a",
            deviceAndAppManagementAssignmentFilterId: "filter-9",
            deviceAndAppManagementAssignmentFilterType: "include",
          },
        },
        { target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } },
      ],
    });
  });

  it("never sends the source's filter id: an assignment whose filter has no target is left out whole", () => {
    expect(JSON.stringify(assignBody(item))).not.toContain("filter-1");
  });

  it("does not change the plan it reads", () => {
    assignBody(item);
    expect(assignments[0]!.target).toEqual({ "@odata.type": GROUP, groupId: "source-a", ...filter });
  });

  it("sends an empty set when nothing is assigned, which clears the target's assignments", () => {
    expect(assignBody({ ...item, assignments: [] })).toEqual({ assignments: [] });
  });

  it("names the assignments as each type's /assign action does, with the fields it carries besides the target", () => {
    const script = assignBody({ ...item, family: "powershell_script" });
    expect(Object.keys(script)).toEqual(["deviceManagementScriptAssignments"]);
    const runSchedule = { "@odata.type": "#microsoft.graph.deviceHealthScriptDailySchedule", interval: 1 };
    const scheduled = assignments.map((a) => ({
      ...a,
      fields: { id: "source-assignment", target: a.target, runRemediationScript: true, runSchedule },
    }));
    const remediation = assignBody({ ...item, family: "remediation", assignments: scheduled });
    expect(remediation).toEqual({
      deviceHealthScriptAssignments: [
        {
          runRemediationScript: true,
          runSchedule,
          target: {
            "@odata.type": GROUP,
            groupId: "target-a",
            deviceAndAppManagementAssignmentFilterId: "filter-9",
            deviceAndAppManagementAssignmentFilterType: "include",
          },
        },
        {
          runRemediationScript: true,
          runSchedule,
          target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" },
        },
      ],
    });
  });
});
