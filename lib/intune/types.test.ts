import { describe, expect, it } from "vitest";
import { policyFamily } from "@/db/schema/inventory";
import { normalizePolicy } from "@/lib/drift/normalize";
import { revertRequest } from "@/lib/drift/revert";
import { creationBody } from "@/lib/restores/payload";
import { INTUNE_TYPE_KEYS, INTUNE_TYPES } from "./types";

/** A script as a GET by id returns it (the shape of emulator/intune-scripts.ts and Microsoft's reference page). */
const script = {
  "@odata.type": "#microsoft.graph.deviceManagementScript",
  id: "s1",
  displayName: "Set level",
  description: null,
  scriptContent: Buffer.from("Write-Output 1").toString("base64"),
  createdDateTime: "2026-01-01T00:00:00Z",
  lastModifiedDateTime: "2026-01-02T00:00:00Z",
  runAsAccount: "system",
  enforceSignatureCheck: false,
  fileName: "set.ps1",
  runAs32Bit: false,
  roleScopeTagIds: ["0"],
  assignments: [{ id: "a1", target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }],
};

describe("the catalogue of Intune types", () => {
  it("describes every value of policy_family, each under its own collection", () => {
    expect([...INTUNE_TYPE_KEYS].sort()).toEqual([...policyFamily.enumValues].sort());
    const collections = INTUNE_TYPE_KEYS.map((k) => INTUNE_TYPES[k].collection);
    expect(new Set(collections).size).toBe(collections.length);
  });

  it("creates a script from its backup without what Graph sets itself, and reverts it by PATCH", () => {
    const body = creationBody("powershell_script", script);
    expect(body).toEqual({
      "@odata.type": "#microsoft.graph.deviceManagementScript",
      displayName: "Set level",
      description: null,
      scriptContent: script.scriptContent,
      runAsAccount: "system",
      enforceSignatureCheck: false,
      fileName: "set.ps1",
      runAs32Bit: false,
      roleScopeTagIds: ["0"],
    });
    // A backup without @odata.type is still a script: the collection has no derived types.
    const unnamed = Object.fromEntries(Object.entries(script).filter(([key]) => key !== "@odata.type"));
    expect(creationBody("powershell_script", unnamed)).toEqual({ ...body, "@odata.type": undefined });
    expect(revertRequest("powershell_script", script)).toEqual({ method: "patch", body });
  });

  it("compares a script by what an admin sets: content and assignments, not Graph's timestamps", () => {
    const before = normalizePolicy("powershell_script", script);
    const later = normalizePolicy("powershell_script", { ...script, lastModifiedDateTime: "2026-03-01T00:00:00Z" });
    expect(later).toEqual(before);
    const edited = normalizePolicy("powershell_script", { ...script, scriptContent: "V3JpdGUtT3V0cHV0IDI=" });
    expect(edited.get("property:scriptContent")).not.toEqual(before.get("property:scriptContent"));
    expect(before.has("assignment:include:allDevices")).toBe(true);
  });
});

/** An Entra joined Autopilot profile as Graph lists it (emulator/intune-autopilot.ts; the beta reference page). */
const autopilot = {
  "@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile",
  id: "p1",
  displayName: "Autopilot Entra",
  description: null,
  locale: "en-US",
  language: "en-US",
  createdDateTime: "2026-01-01T00:00:00Z",
  lastModifiedDateTime: "2026-01-02T00:00:00Z",
  outOfBoxExperienceSetting: { privacySettingsHidden: true, userType: "standard", deviceUsageType: "singleUser" },
  outOfBoxExperienceSettings: { hidePrivacySettings: true, userType: "standard", deviceUsageType: "singleUser" },
  extractHardwareHash: true,
  hardwareHashExtractionEnabled: true,
  enableWhiteGlove: false,
  preprovisioningAllowed: false,
  deviceNameTemplate: "AP-%SERIAL%",
  deviceType: "windowsPc",
  roleScopeTagIds: ["0"],
  managementServiceAppId: null,
  assignments: [
    { id: "a1", source: "direct", target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } },
  ],
};

describe("an Autopilot deployment profile in the catalogue", () => {
  it("is assigned through its assignments navigation, and created without the read-only deprecated mirrors", () => {
    expect(INTUNE_TYPES.autopilot_profile.assign).toEqual({ via: "navigation", fields: [] });
    const body = creationBody("autopilot_profile", autopilot);
    expect(body["@odata.type"]).toBe(autopilot["@odata.type"]);
    for (const readOnly of ["language", "extractHardwareHash", "enableWhiteGlove", "outOfBoxExperienceSettings", "id"])
      expect(body).not.toHaveProperty(readOnly);
    expect(body).toMatchObject({
      locale: "en-US",
      hardwareHashExtractionEnabled: true,
      deviceNameTemplate: "AP-%SERIAL%",
    });
    expect(revertRequest("autopilot_profile", autopilot)).toEqual({ method: "patch", body });
  });

  it("compares a profile by its settings and assignments: a changed out-of-box setting is found", () => {
    const before = normalizePolicy("autopilot_profile", autopilot);
    const setting = { ...autopilot.outOfBoxExperienceSetting, userType: "administrator" };
    const after = normalizePolicy("autopilot_profile", { ...autopilot, outOfBoxExperienceSetting: setting });
    expect(after.get("property:outOfBoxExperienceSetting")).not.toEqual(
      before.get("property:outOfBoxExperienceSetting"),
    );
    // The deprecated mirror is read-only: not compared.
    expect(before.has("property:outOfBoxExperienceSettings")).toBe(false);
    expect(before.has("assignment:include:allDevices")).toBe(true);
  });
});
