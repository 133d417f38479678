import { describe, expect, it } from "vitest";
import { cell, inline, table } from "./markdown";
import { policySection } from "./policy-document";

describe("export markdown", () => {
  it("escapes everything with inline meaning, and keeps a cell on its row", () => {
    expect(inline("a | b `c` *d* _e_ [f](g) ![h](i) <b>j</b> &amp; ~k~ # l\nm")).toBe(
      "a \\| b \\`c\\` \\*d\\* \\_e\\_ \\[f\\](g) \\!\\[h\\](i) \\<b\\>j\\</b\\> \\&amp; \\~k\\~ \\# l m",
    );
    expect(cell("one\r\ntwo|three\\")).toBe("one<br>two\\|three\\\\");
    expect(cell("bell\u0007 rtl\u202e")).toBe("bell rtl");
    expect(table(["A", "B"], [["x|y", "z\nw"]])).toBe("| A | B |\n| --- | --- |\n| x\\|y | z<br>w |\n");
    expect(table(["A"], [])).toBe("_None._\n");
  });

  it("gives an object of a type that is not assigned no Assignments table (an empty one would say 'None')", () => {
    const section = (assignable?: boolean) =>
      policySection({
        name: "Windows only",
        typeLabel: "Assignment filter",
        assignable,
        fileName: "f.json",
        groupNames: new Map(),
        content: { displayName: "Windows only", rule: '(device.osVersion -startsWith "10")', assignments: [] },
      });
    expect(section(false)).not.toContain("### Assignments");
    expect(section(false)).toContain("### Properties");
    expect(section(undefined)).toContain("### Assignments");
  });

  it("renders a notification template's localized messages as a table, the default first, not as a property", () => {
    const section = policySection({
      name: "First notice",
      typeLabel: "Notification message template",
      assignable: false,
      fileName: "notification_message_template/First-notice-1.json",
      groupNames: new Map(),
      content: {
        displayName: "First notice",
        defaultLocale: "en-us",
        localizedNotificationMessages: [
          { id: "m2", locale: "de-de", subject: "Hinweis", messageTemplate: "Bitte aktualisieren", isDefault: false },
          { id: "m1", locale: "en-us", subject: "Notice", messageTemplate: "Please update", isDefault: true },
        ],
      },
    });
    expect(section).toContain(
      "### Localized messages\n\n| Locale | Default | Subject | Message |\n| --- | --- | --- | --- |\n| en-us | yes | Notice | Please update |\n| de-de |  | Hinweis | Bitte aktualisieren |\n",
    );
    expect(section).not.toContain("| localizedNotificationMessages |");
  });

  it("renders an endpoint-security intent's settings by definition id with each value as JSON", () => {
    const section = policySection({
      name: "Antivirus",
      typeLabel: "Endpoint security intent",
      fileName: "endpoint_security_intent/Antivirus-1.json",
      groupNames: new Map(),
      content: {
        templateId: "t1",
        settings: [
          {
            "@odata.type": "#microsoft.graph.deviceManagementBooleanSettingInstance",
            id: "s1",
            definitionId: "deviceConfiguration--defender_scanArchives",
            valueJson: "true",
            value: true,
          },
          { id: "s2", definitionId: "deviceConfiguration--defender_days", valueJson: "7", value: 7 },
        ],
        assignments: [],
      },
    });
    expect(section).toContain("| deviceConfiguration--defender\\_scanArchives | true |");
    expect(section).toContain("| deviceConfiguration--defender\\_days | 7 |");
  });

  it("renders a policy: type, catalog settings by definition id with children, OMA settings, properties, assignments", () => {
    const section = policySection({
      name: "Baseline",
      typeLabel: "Settings catalog",
      fileName: "settings_catalog/Baseline-1.json",
      groupNames: new Map([["g1", "Pilot users"]]),
      content: {
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationPolicy",
        platforms: "windows10",
        settings: [
          {
            settingInstance: {
              settingDefinitionId: "parent",
              choiceSettingValue: {
                value: "parent_1",
                children: [{ settingDefinitionId: "child", simpleSettingValue: { value: 5 } }],
              },
            },
          },
          {
            settingInstance: {
              settingDefinitionId: "list",
              simpleSettingCollectionValue: [{ value: "a" }, { value: "b" }],
            },
          },
        ],
        omaSettings: [{ omaUri: "./Device/X", displayName: "X", value: 1 }],
        assignments: [
          { target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: "g1" } },
          {
            target: {
              "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget",
              groupId: "g2",
              deviceAndAppManagementAssignmentFilterId: "f1",
              deviceAndAppManagementAssignmentFilterType: "include",
            },
          },
          { target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } },
        ],
      },
    });
    expect(section).toContain("## Baseline\n");
    expect(section).toContain("- Type: Settings catalog (deviceManagementConfigurationPolicy)");
    expect(section).toContain("| parent | parent\\_1 |\n| → child | 5 |\n| list | a, b |");
    expect(section).toContain("| ./Device/X | X | 1 |");
    expect(section).toContain("| platforms | windows10 |");
    expect(section).not.toContain("| settings |");
    expect(section).toContain("| Include | Pilot users |  |");
    expect(section).toContain("| Exclude | group g2 | include f1 |");
    expect(section).toContain("| Include | All devices |  |");
  });

  it("renders an administrative template's values: policy by category and name, state, each option", () => {
    const section = policySection({
      name: "Edge",
      typeLabel: "Administrative template",
      fileName: "administrative_template/Edge-1.json",
      groupNames: new Map(),
      content: {
        "@odata.type": "#microsoft.graph.groupPolicyConfiguration",
        displayName: "Edge",
        definitionValues: [
          {
            enabled: false,
            definition: { id: "d1", categoryPath: "\\Edge", displayName: "Home page" },
            presentationValues: [{ value: "https://example.org", presentation: { label: "URL:" } }],
          },
        ],
        assignments: [],
      },
    });
    expect(section).toContain("| \\\\Edge\\\\Home page | Disabled | URL: https://example.org |");
    expect(section).not.toContain("| definitionValues |");
  });
});
