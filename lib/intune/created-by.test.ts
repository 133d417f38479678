import { describe, expect, it } from "vitest";
import { compareSettings } from "@/lib/drift/compare";
import { normalizePolicy } from "@/lib/drift/normalize";
import { revertRequest } from "@/lib/drift/revert";
import { ItemRefusal } from "@/lib/restores/item-refusal";
import { creationBody } from "@/lib/restores/payload";
import { createPath, partUpdateBody } from "./created-by";

/** An endpoint-security intent as a backup holds it: the object, its settings read page by page, its assignments. */
const setting = (definitionId: string, value: unknown, id = crypto.randomUUID()) => ({
  "@odata.type": "#microsoft.graph.deviceManagementIntegerSettingInstance",
  id,
  definitionId,
  valueJson: JSON.stringify(value),
  value,
});
const intent = (settings: unknown[], extra: Record<string, unknown> = {}) => ({
  "@odata.type": "#microsoft.graph.deviceManagementIntent",
  id: "i1",
  displayName: "Antivirus",
  description: "Defender",
  isAssigned: true,
  isMigratingToConfigurationPolicy: false,
  lastModifiedDateTime: "2024-05-02T00:00:00Z",
  templateId: "tpl-1",
  roleScopeTagIds: ["0"],
  settings,
  assignments: [],
  ...extra,
});

describe("endpoint-security intents", () => {
  it("are created by their template's createInstance with its parameters only, settings as settingsDelta without ids", () => {
    const content = intent([setting("def-a", 3, "s1"), setting("def-b", 4, "s2")]);
    expect(createPath("endpoint_security_intent", content)).toBe("/deviceManagement/templates/tpl-1/createInstance");
    expect(creationBody("endpoint_security_intent", content)).toEqual({
      displayName: "Antivirus",
      description: "Defender",
      roleScopeTagIds: ["0"],
      settingsDelta: [
        {
          "@odata.type": "#microsoft.graph.deviceManagementIntegerSettingInstance",
          definitionId: "def-a",
          valueJson: "3",
          value: 3,
        },
        {
          "@odata.type": "#microsoft.graph.deviceManagementIntegerSettingInstance",
          definitionId: "def-b",
          valueJson: "4",
          value: 4,
        },
      ],
    });
    // Without its template an intent cannot be made: refused, named, nothing sent.
    expect(() => createPath("endpoint_security_intent", intent([], { templateId: null }))).toThrow(ItemRefusal);
    // Other types still post to their collection.
    expect(createPath("settings_catalog", {})).toBe("/deviceManagement/configurationPolicies");
  });

  it("are reverted in place by a PATCH of what createInstance set (not their template) and updateSettings with every baseline setting", () => {
    const content = intent([setting("def-a", 3, "s1")]);
    const { method, body } = revertRequest("endpoint_security_intent", content);
    expect(method).toBe("patch");
    expect(Object.keys(body).sort()).toEqual(["@odata.type", "description", "displayName", "roleScopeTagIds"].sort());
    expect(partUpdateBody("endpoint_security_intent", content)).toEqual({
      settings: [
        {
          "@odata.type": "#microsoft.graph.deviceManagementIntegerSettingInstance",
          definitionId: "def-a",
          valueJson: "3",
          value: 3,
        },
      ],
    });
  });

  it("compare settings by definition id whatever their order, ids or JSON spacing; a changed value is one change", () => {
    const baseline = normalizePolicy("endpoint_security_intent", intent([setting("def-a", 3), setting("def-b", 4)]));
    const reordered = intent([{ ...setting("def-b", 4), valueJson: " 4 " }, setting("def-a", 3)]);
    expect(compareSettings(baseline, normalizePolicy("endpoint_security_intent", reordered))).toEqual([]);
    const changed = normalizePolicy("endpoint_security_intent", intent([setting("def-a", 3), setting("def-b", 5)]));
    expect(compareSettings(baseline, changed)).toEqual([
      { key: "setting:def-b", label: "def-b", baseline: "4", current: "5" },
    ]);
    // What Intune sets itself is not a change.
    const refreshed = intent([setting("def-a", 3), setting("def-b", 4)], { isAssigned: false });
    expect(compareSettings(baseline, normalizePolicy("endpoint_security_intent", refreshed))).toEqual([]);
  });
});
