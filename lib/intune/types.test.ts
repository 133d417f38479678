import { describe, expect, it } from "vitest";
import { policyFamily } from "@/db/schema/inventory";
import { normalizePolicy } from "@/lib/drift/normalize";
import { revertRequest } from "@/lib/drift/revert";
import { creationBody } from "@/lib/restores/payload";
import { referenceRefusal } from "@/lib/restores/references";
import { secretRefusal } from "@/lib/restores/secrets";
import { priorityBody } from "./ranks";
import { targetAppsBody } from "./target-apps";
import {
  collectionOf,
  INTUNE_COLLECTIONS,
  INTUNE_TYPE_KEYS,
  INTUNE_TYPES,
  isAssignable,
  scopeTagPropertyOf,
  typeOfObject,
} from "./types";

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
  it("describes every value of policy_family; types sharing a collection select their objects, at most one does not", () => {
    expect([...INTUNE_TYPE_KEYS].sort()).toEqual([...policyFamily.enumValues].sort());
    for (const collection of INTUNE_COLLECTIONS) {
      expect(collection.types.filter((k) => !INTUNE_TYPES[k].selects).length).toBeLessThanOrEqual(1);
      expect(new Set(collection.types.map((k) => INTUNE_TYPES[k].graphRoot)).size).toBe(1);
    }
    expect(INTUNE_COLLECTIONS.flatMap((c) => c.types).sort()).toEqual([...INTUNE_TYPE_KEYS].sort());
  });

  it("puts each listed object in its own type: update rings among configurations, endpoint security by template family", () => {
    const configurations = collectionOf("device_configuration");
    expect(typeOfObject(configurations, { "@odata.type": "#microsoft.graph.windows10GeneralConfiguration" })).toBe(
      "device_configuration",
    );
    expect(
      typeOfObject(configurations, { "@odata.type": "#microsoft.graph.windowsUpdateForBusinessConfiguration" }),
    ).toBe("update_ring");
    const catalog = collectionOf("settings_catalog");
    expect(catalog).toBe(collectionOf("endpoint_security_firewall"));
    const withFamily = (templateFamily: string) => ({ templateReference: { templateId: "x_1", templateFamily } });
    expect(typeOfObject(catalog, withFamily("none"))).toBe("settings_catalog");
    expect(typeOfObject(catalog, withFamily("baseline"))).toBe("settings_catalog");
    expect(typeOfObject(catalog, {})).toBe("settings_catalog");
    expect(typeOfObject(catalog, withFamily("endpointSecurityAntivirus"))).toBe("endpoint_security_antivirus");
    expect(typeOfObject(catalog, withFamily("endpointSecurityFirewall"))).toBe("endpoint_security_firewall");
    expect(typeOfObject(catalog, withFamily("endpointSecurityDiskEncryption"))).toBe(
      "endpoint_security_disk_encryption",
    );
    expect(typeOfObject(catalog, withFamily("endpointSecurityEndpointDetectionAndResponse"))).toBe(
      "endpoint_security_edr",
    );
    expect(typeOfObject(catalog, withFamily("endpointSecurityAttackSurfaceReduction"))).toBe("endpoint_security_asr");
    expect(typeOfObject(catalog, withFamily("endpointSecurityAccountProtection"))).toBe(
      "endpoint_security_account_protection",
    );
    expect(INTUNE_TYPES.endpoint_security_antivirus.label).toBe("Endpoint security: Antivirus");
    expect(INTUNE_TYPES.update_ring.label).toBe("Update ring");
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

  /** An endpoint-security antivirus policy as a backup holds it (the shape of emulator/intune-endpoint-security.ts). */
  const antivirus = {
    "@odata.type": "#microsoft.graph.deviceManagementConfigurationPolicy",
    id: "es1",
    name: "Defender",
    description: "",
    platforms: "windows10",
    technologies: "mdm,microsoftSense",
    settingCount: 1,
    createdDateTime: "2026-01-01T00:00:00Z",
    lastModifiedDateTime: "2026-01-02T00:00:00Z",
    creationSource: null,
    roleScopeTagIds: ["0"],
    templateReference: {
      templateId: "804339ad-1553-4478-a742-138fb5807418_1",
      templateFamily: "endpointSecurityAntivirus",
      templateDisplayName: "Microsoft Defender Antivirus",
      templateDisplayVersion: "Version 1",
    },
    settings: [
      {
        id: "0",
        settingInstance: {
          "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
          settingDefinitionId: "device_vendor_msft_policy_config_defender_allowrealtimemonitoring",
          settingInstanceTemplateReference: { settingInstanceTemplateId: "f0790e28-9231-4d37-8f44-84bb47ca1b3e" },
          choiceSettingValue: {
            value: "device_vendor_msft_policy_config_defender_allowrealtimemonitoring_1",
            children: [],
            settingValueTemplateReference: null,
          },
        },
      },
    ],
    assignments: [],
  };
  const ring = {
    "@odata.type": "#microsoft.graph.windowsUpdateForBusinessConfiguration",
    id: "r1",
    displayName: "Pilot ring",
    version: 3,
    supportsScopeTags: true,
    qualityUpdatesPauseStartDate: null,
    qualityUpdatesDeferralPeriodInDays: 0,
    automaticUpdateMode: "autoInstallAtMaintenanceTime",
    roleScopeTagIds: ["0"],
    assignments: [],
  };

  it("creates an endpoint-security policy with its template id and settings, reverts it by PUT, and names a secret to re-enter", () => {
    const body = creationBody("endpoint_security_antivirus", antivirus);
    expect(body.templateReference).toEqual(antivirus.templateReference);
    expect(body.settings).toEqual([{ settingInstance: antivirus.settings[0]!.settingInstance }]);
    expect(body).not.toHaveProperty("settingCount");
    expect(revertRequest("endpoint_security_antivirus", antivirus)).toEqual({ method: "put", body });
    const secret = {
      ...antivirus,
      settings: [
        {
          id: "0",
          settingInstance: {
            "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance",
            settingDefinitionId: "device_vendor_msft_secret",
            simpleSettingValue: {
              "@odata.type": "#microsoft.graph.deviceManagementConfigurationSecretSettingValue",
              value: "token",
              valueState: "encryptedValueToken",
            },
          },
        },
      ],
    };
    expect(secretRefusal({ family: "endpoint_security_antivirus", content: secret })).toContain(
      "device_vendor_msft_secret must be re-entered",
    );
  });

  it("creates and reverts an update ring as the device configuration it is, without what Graph sets", () => {
    const body = creationBody("update_ring", ring);
    expect(body).toEqual({
      "@odata.type": "#microsoft.graph.windowsUpdateForBusinessConfiguration",
      displayName: "Pilot ring",
      qualityUpdatesDeferralPeriodInDays: 0,
      automaticUpdateMode: "autoInstallAtMaintenanceTime",
      roleScopeTagIds: ["0"],
    });
    expect(revertRequest("update_ring", ring)).toEqual({ method: "patch", body });
  });

  it("finds a changed setting of an endpoint-security policy and of an update ring, not Graph's own fields", () => {
    const before = normalizePolicy("endpoint_security_antivirus", antivirus);
    expect(
      normalizePolicy("endpoint_security_antivirus", { ...antivirus, lastModifiedDateTime: "2027-01-01" }),
    ).toEqual(before);
    const off = structuredClone(antivirus);
    off.settings[0]!.settingInstance.choiceSettingValue.value =
      "device_vendor_msft_policy_config_defender_allowrealtimemonitoring_0";
    const changed = normalizePolicy("endpoint_security_antivirus", off);
    const key = "setting:device_vendor_msft_policy_config_defender_allowrealtimemonitoring";
    // Shown as the value an admin chose, not as JSON with the template's slot ids.
    expect(before.get(key)!.value).toBe("device_vendor_msft_policy_config_defender_allowrealtimemonitoring_1");
    expect(changed.get(key)!.value).toBe("device_vendor_msft_policy_config_defender_allowrealtimemonitoring_0");

    const ringBefore = normalizePolicy("update_ring", ring);
    expect(normalizePolicy("update_ring", { ...ring, version: 4 })).toEqual(ringBefore);
    const deferred = normalizePolicy("update_ring", { ...ring, qualityUpdatesDeferralPeriodInDays: 7 });
    expect(deferred.get("property:qualityUpdatesDeferralPeriodInDays")).not.toEqual(
      ringBefore.get("property:qualityUpdatesDeferralPeriodInDays"),
    );
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

/** An enrollment status page as Graph lists it (emulator/intune-enrollment.ts; the beta reference page). */
const statusPage = {
  "@odata.type": "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration",
  id: "0f1e2d3c-0000-4000-8000-000000000001_Windows10EnrollmentCompletionPageConfiguration",
  displayName: "Enrollment status page 01",
  description: "",
  priority: 2,
  createdDateTime: "2026-01-01T00:00:00Z",
  lastModifiedDateTime: "2026-01-02T00:00:00Z",
  version: 3,
  roleScopeTagIds: ["0"],
  deviceEnrollmentConfigurationType: "windows10EnrollmentCompletionPageConfiguration",
  showInstallationProgress: true,
  installProgressTimeoutInMinutes: 60,
  selectedMobileAppIds: [],
  assignments: [{ id: "a1", target: { "@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget" } }],
};
const limitDefault = {
  "@odata.type": "#microsoft.graph.deviceEnrollmentLimitConfiguration",
  id: "0f1e2d3c-0000-4000-8000-000000000002_DefaultLimit",
  displayName: "All users and all devices",
  priority: 0,
  version: 0,
  limit: 5,
  roleScopeTagIds: [],
  assignments: [],
};

describe("device enrollment configurations in the catalogue", () => {
  it("puts each kind in its type and leaves out the kinds the console does not inventory", () => {
    const collection = collectionOf("enrollment_status_page");
    const of = (type: string, extra: Record<string, unknown> = {}) =>
      typeOfObject(collection, { "@odata.type": `#microsoft.graph.${type}`, ...extra });
    expect(of("windows10EnrollmentCompletionPageConfiguration")).toBe("enrollment_status_page");
    expect(of("deviceEnrollmentLimitConfiguration")).toBe("enrollment_limit");
    expect(of("deviceEnrollmentPlatformRestrictionConfiguration", { platformType: "ios" })).toBe(
      "enrollment_platform_restriction",
    );
    expect(of("deviceEnrollmentPlatformRestrictionsConfiguration", { priority: 0 })).toBe(
      "enrollment_platform_restriction",
    );
    expect(of("deviceEnrollmentWindowsHelloForBusinessConfiguration", { priority: 0 })).toBe(
      "windows_hello_for_business",
    );
    // Retired (a multi-platform restriction an admin made, Windows Mobile) or not an enrollment policy.
    expect(of("deviceEnrollmentPlatformRestrictionsConfiguration", { priority: 1 })).toBeUndefined();
    expect(of("deviceEnrollmentPlatformRestrictionConfiguration", { platformType: "windowsPhone" })).toBeUndefined();
    expect(of("windowsRestoreDeviceEnrollmentConfiguration", { priority: 0 })).toBeUndefined();
    expect(of("deviceComanagementAuthorityConfiguration")).toBeUndefined();
  });

  it("creates and reverts without the rank or what Graph sets, then ranks by setPriority (never a default)", () => {
    const body = creationBody("enrollment_status_page", statusPage);
    expect(body).toEqual({
      "@odata.type": "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration",
      displayName: "Enrollment status page 01",
      description: "",
      roleScopeTagIds: ["0"],
      deviceEnrollmentConfigurationType: "windows10EnrollmentCompletionPageConfiguration",
      showInstallationProgress: true,
      installProgressTimeoutInMinutes: 60,
      selectedMobileAppIds: [],
    });
    const revert = revertRequest("enrollment_status_page", statusPage);
    expect(revert.method).toBe("patch");
    expect(revert.body).not.toHaveProperty("priority");
    expect(priorityBody("enrollment_status_page", statusPage)).toEqual({
      action: "setPriority",
      body: { priority: 2 },
    });
    expect(priorityBody("enrollment_limit", limitDefault)).toBeUndefined();
    expect(priorityBody("autopilot_profile", { priority: 2 })).toBeUndefined();
    expect(revertRequest("enrollment_limit", limitDefault).body).toEqual({
      "@odata.type": "#microsoft.graph.deviceEnrollmentLimitConfiguration",
      displayName: "All users and all devices",
      limit: 5,
      roleScopeTagIds: [],
    });
  });

  it("is drift when a setting or the rank changes, not Graph's version; tracked apps stay in their tenant", () => {
    const before = normalizePolicy("enrollment_status_page", statusPage);
    expect(normalizePolicy("enrollment_status_page", { ...statusPage, version: 9 })).toEqual(before);
    const changed = normalizePolicy("enrollment_status_page", { ...statusPage, installProgressTimeoutInMinutes: 90 });
    expect(changed.get("property:installProgressTimeoutInMinutes")).not.toEqual(
      before.get("property:installProgressTimeoutInMinutes"),
    );
    const moved = normalizePolicy("enrollment_status_page", { ...statusPage, priority: 1 });
    expect(moved.get("property:priority")).not.toEqual(before.get("property:priority"));
    const tracking = { ...statusPage, selectedMobileAppIds: ["9a8b7c6d-0000-4000-8000-000000000003"] };
    const args = { family: "enrollment_status_page" as const, content: tracking };
    expect(referenceRefusal(args, { crossTenant: false, mapping: {} })).toBeUndefined();
    expect(referenceRefusal(args, { crossTenant: true, mapping: {} })).toContain("apps are not mapped yet");
  });
});

describe("assignment filters and scope tags in the catalogue", () => {
  const filter = {
    "@odata.type": "#microsoft.graph.deviceAndAppManagementAssignmentFilter",
    id: "6f1c0000-0000-4000-8000-000000000001",
    createdDateTime: "2026-01-01T00:00:00Z",
    lastModifiedDateTime: "2026-01-02T00:00:00Z",
    displayName: "Corporate Windows devices",
    description: null,
    platform: "windows10AndLater",
    rule: '(device.deviceOwnership -eq "Corporate")',
    assignmentFilterManagementType: "devices",
    roleScopeTags: ["0", "7"],
    payloads: [{ payloadId: "p1", payloadType: "deviceConfigurationAndCompliance" }],
    assignments: [],
  };

  it("creates and reverts a filter with its writable properties and tags, never Intune's payloads or timestamps", () => {
    expect(isAssignable("assignment_filter")).toBe(false);
    expect(scopeTagPropertyOf("assignment_filter")).toBe("roleScopeTags");
    expect(scopeTagPropertyOf("device_configuration")).toBe("roleScopeTagIds");
    const body = creationBody("assignment_filter", filter);
    expect(body).toEqual({
      "@odata.type": filter["@odata.type"],
      displayName: filter.displayName,
      description: null,
      platform: "windows10AndLater",
      rule: filter.rule,
      assignmentFilterManagementType: "devices",
      roleScopeTags: ["0", "7"],
    });
    expect(revertRequest("assignment_filter", filter)).toEqual({ method: "patch", body });
    // Payloads are Intune's list of who uses the filter: a new user of it is no change to the filter.
    const before = normalizePolicy("assignment_filter", filter);
    const after = normalizePolicy("assignment_filter", { ...filter, payloads: [] });
    expect([...after]).toEqual([...before]);
  });

  it("takes custom scope tags only: Microsoft's Default is no type's", () => {
    const tags = collectionOf("scope_tag");
    expect(tags.types).toEqual(["scope_tag"]);
    expect(typeOfObject(tags, { id: "0", displayName: "Default", isBuiltIn: true })).toBeUndefined();
    expect(typeOfObject(tags, { id: "3", displayName: "Pilot", isBuiltIn: false })).toBe("scope_tag");
    expect(isAssignable("scope_tag")).toBe(false);
    expect(
      creationBody("scope_tag", {
        "@odata.type": "#microsoft.graph.roleScopeTag",
        id: "3",
        displayName: "Pilot",
        description: "d",
        isBuiltIn: false,
      }),
    ).toEqual({ "@odata.type": "#microsoft.graph.roleScopeTag", displayName: "Pilot", description: "d" });
  });
});
