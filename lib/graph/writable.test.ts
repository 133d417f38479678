import { describe, expect, it } from "vitest";
import { creationType, graphTypeOf, pickWritable } from "./writable";
import { deriveWritable } from "./writable-derivation";
import metadata from "./writable-properties.generated.json";

/** A cut of the typings' shape: base types by `extends`, descriptions as comments, entities as navigation targets. */
const TYPINGS = `
export type NullableOption<T> = T | null;
export interface Entity {
    // The unique identifier for an entity. Read-only.
    id?: string;
}
export interface DeviceConfiguration extends Entity {
    // DateTime the object was created.
    createdDateTime?: string;
    // Admin provided name of the device configuration.
    displayName?: string;
    // List of Scope Tags for this Entity instance.
    roleScopeTagIds?: NullableOption<string[]>;
    /**
     * Indicates whether or not the underlying Device Configuration supports the assignment of scope tags.
     * This property is read-only.
     */
    supportsScopeTags?: boolean;
    // The list of assignments for the device configuration profile.
    assignments?: NullableOption<DeviceConfigurationAssignment[]>;
}
export interface DeviceConfigurationAssignment extends Entity {
    target?: NullableOption<DeviceAndAppManagementAssignmentTarget>;
}
export interface DeviceAndAppManagementAssignmentTarget {
    filterId?: NullableOption<string>;
}
export interface Windows10GeneralConfiguration extends DeviceConfiguration {
    // Indicates whether or not to block the business ready updates only.
    businessReadyUpdatesOnly?: NullableOption<string>;
    // Complex values are structural.
    omaSettings?: NullableOption<DeviceAndAppManagementAssignmentTarget[]>;
}
export namespace CallRecords {
    export interface Session extends Entity { caller?: string; }
}
`;

describe("deriveWritable", () => {
  const types = deriveWritable(TYPINGS);

  it("lists each concrete type with its inherited properties, leaving the abstract root out", () => {
    expect(Object.keys(types)).toEqual(["#microsoft.graph.windows10GeneralConfiguration"]);
    expect(types["#microsoft.graph.windows10GeneralConfiguration"]).toEqual({
      family: "microsoft.graph.deviceConfiguration",
      writable: ["businessReadyUpdatesOnly", "displayName", "omaSettings", "roleScopeTagIds"],
      readOnly: ["createdDateTime", "id", "supportsScopeTags"],
      navigation: ["assignments"],
    });
  });
});

describe("the generated list", () => {
  const types: Record<string, { writable: string[]; readOnly: string[]; navigation: string[] }> = metadata.types;

  it("marks what Graph refuses or sets itself as read-only, and scope tags and applicability rules as writable", () => {
    const config = types["#microsoft.graph.windows10GeneralConfiguration"]!;
    expect(config.readOnly).toEqual(["createdDateTime", "id", "lastModifiedDateTime", "supportsScopeTags", "version"]);
    expect(config.writable).toEqual(
      expect.arrayContaining(["roleScopeTagIds", "deviceManagementApplicabilityRuleOsEdition", "displayName"]),
    );
    expect(types["#microsoft.graph.deviceManagementConfigurationPolicy"]!.readOnly).toEqual([
      "createdDateTime",
      "creationSource",
      "id",
      "isAssigned",
      "lastModifiedDateTime",
      "settingCount",
    ]);
    expect(types["#microsoft.graph.windows10CompliancePolicy"]!.navigation).toContain("scheduledActionsForRule");
  });

  it("keeps every property in exactly one of the three lists", () => {
    for (const type of Object.values(types)) {
      const all = [...type.writable, ...type.readOnly, ...type.navigation];
      expect(new Set(all).size).toBe(all.length);
    }
  });
});

describe("creationType and graphTypeOf", () => {
  it("takes the named type, and the settings catalog's own type when Graph leaves it out", () => {
    expect(creationType("compliance", { "@odata.type": "#microsoft.graph.iosCompliancePolicy" })).toBe(
      "#microsoft.graph.iosCompliancePolicy",
    );
    expect(creationType("settings_catalog", { name: "x" })).toBe(
      "#microsoft.graph.deviceManagementConfigurationPolicy",
    );
    expect(creationType("device_configuration", { displayName: "x" })).toBeUndefined();
  });

  it("knows a type only in its own family", () => {
    expect(graphTypeOf("compliance", "#microsoft.graph.iosCompliancePolicy")).toBeDefined();
    expect(graphTypeOf("device_configuration", "#microsoft.graph.iosCompliancePolicy")).toBeUndefined();
    expect(graphTypeOf("device_configuration", "#microsoft.graph.deviceConfiguration")).toBeUndefined();
    expect(graphTypeOf("device_configuration", "#microsoft.graph.notAType")).toBeUndefined();
  });
});

describe("pickWritable", () => {
  it("keeps writable properties in order, and names the ones the metadata does not know", () => {
    const type = { family: "f", writable: ["b", "a"], readOnly: ["id"], navigation: ["assignments"] };
    expect(pickWritable(type, { a: 1, id: "x", "a@odata.type": "#Int32", newer: true, b: 2, assignments: [] })).toEqual(
      { body: { a: 1, b: 2 }, unknown: ["newer"] },
    );
  });
});
