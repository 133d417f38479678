import { describe, expect, it } from "vitest";
import { policyFamily } from "@/db/schema/inventory";
import { normalizePolicy } from "@/lib/drift/normalize";
import { revertRequest } from "@/lib/drift/revert";
import { creationBody } from "@/lib/restores/payload";
import { targetAppsBody } from "./target-apps";
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

/** An iOS app protection policy as a GET by id with `$expand=apps` returns it (emulator/intune-app-protection.ts). */
const protection = {
  "@odata.type": "#microsoft.graph.iosManagedAppProtection",
  id: "T_0f3c5b1e-1111-4222-8333-944455556666",
  displayName: "Outlook on iOS",
  description: null,
  createdDateTime: "2026-01-01T00:00:00Z",
  lastModifiedDateTime: "2026-01-02T00:00:00Z",
  version: '"2"',
  roleScopeTagIds: ["0"],
  isAssigned: true,
  deployedAppCount: 1,
  minimumPinLength: 6,
  appGroupType: "selectedPublicApps",
  apps: [
    {
      "@odata.type": "#microsoft.graph.managedMobileApp",
      id: "com.microsoft.office.outlook.ios",
      mobileAppIdentifier: {
        "@odata.type": "#microsoft.graph.iosMobileAppIdentifier",
        bundleId: "com.microsoft.office.outlook",
      },
      version: null,
    },
  ],
  assignments: [{ id: "a1", target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: "g1" } }],
};

describe("app protection in the catalogue", () => {
  it("creates without apps, counters or what Graph sets, then targets the apps by identifier only", () => {
    expect(creationBody("ios_app_protection", protection)).toEqual({
      "@odata.type": "#microsoft.graph.iosManagedAppProtection",
      displayName: "Outlook on iOS",
      description: null,
      roleScopeTagIds: ["0"],
      minimumPinLength: 6,
      appGroupType: "selectedPublicApps",
    });
    expect(targetAppsBody("ios_app_protection", protection)).toEqual({
      action: "targetApps",
      body: {
        apps: [
          {
            "@odata.type": "#microsoft.graph.managedMobileApp",
            mobileAppIdentifier: protection.apps[0]!.mobileAppIdentifier,
          },
        ],
        appGroupType: "selectedPublicApps",
      },
    });
    // Windows' action takes the apps only; a type without apps has no such action.
    const windows = { ...protection, "@odata.type": "#microsoft.graph.windowsManagedAppProtection" };
    expect(Object.keys(targetAppsBody("windows_app_protection", windows)!.body)).toEqual(["apps"]);
    expect(targetAppsBody("powershell_script", script)).toBeUndefined();
  });

  it("is drift when an app or a setting changes, not when Intune's counters move", () => {
    const before = normalizePolicy("ios_app_protection", protection);
    const counted = normalizePolicy("ios_app_protection", { ...protection, deployedAppCount: 7, isAssigned: false });
    expect(counted).toEqual(before);
    const otherApp = normalizePolicy("ios_app_protection", {
      ...protection,
      apps: [{ ...protection.apps[0], mobileAppIdentifier: { bundleId: "com.microsoft.skype.teams" } }],
    });
    expect(otherApp.get("property:apps")).not.toEqual(before.get("property:apps"));
    const longerPin = normalizePolicy("ios_app_protection", { ...protection, minimumPinLength: 8 });
    expect(longerPin.get("property:minimumPinLength")).not.toEqual(before.get("property:minimumPinLength"));
    expect(revertRequest("ios_app_protection", protection).body).not.toHaveProperty("apps");
  });
});
