import { seededGuid } from "./directory";
import type { EmulatedGroup } from "./groups";
import type { EmulatedPolicy } from "./intune";
import { assignmentsFor } from "./intune-assignments";

/**
 * Seeded Windows Autopilot deployment profiles of one tenant, in the shapes of Microsoft's beta
 * reference pages (windowsAutopilotDeploymentProfile and its two derived types: Entra joined
 * `azureADWindowsAutopilotDeploymentProfile`, hybrid joined `activeDirectoryWindowsAutopilotDeploymentProfile`;
 * properties checked against the beta typings in emulator/intune.test.ts). The properties Microsoft
 * deprecated in May 2024 (language, extractHardwareHash, enableWhiteGlove, outOfBoxExperienceSettings)
 * are read-only and mirror their successors, as a tenant returns both.
 */
export type AutopilotCounts = { windowsAutopilotDeploymentProfiles: number };
export const DEFAULT_AUTOPILOT_COUNTS: AutopilotCounts = { windowsAutopilotDeploymentProfiles: 8 };

const LOCALES = ["os-default", "en-US", "de-DE", "fr-FR"];
const day = (i: number) => new Date(Date.UTC(2024, 2, 1) + i * 86_400_000).toISOString();
const number = (i: number) => String(i + 1).padStart(3, "0");

/**
 * A profile is assigned to device groups (included or excluded) or to all devices: "all users" is
 * not an Autopilot target. Each assignment says it was made directly (`source`), not by a policy set.
 */
function autopilotAssignments(seed: number, key: string, i: number, groups: EmulatedGroup[]) {
  return assignmentsFor(seed, key, i, groups)
    .filter((a) => a.target["@odata.type"] !== "#microsoft.graph.allLicensedUsersAssignmentTarget")
    .map((a) => ({ ...a, source: "direct", sourceId: null }));
}

export function seedAutopilotProfiles(
  seed: number,
  {
    tenantKey,
    groups,
    counts: wanted,
  }: { tenantKey: string; groups: EmulatedGroup[]; counts: Partial<AutopilotCounts> },
): EmulatedPolicy[] {
  const { windowsAutopilotDeploymentProfiles: count } = { ...DEFAULT_AUTOPILOT_COUNTS, ...wanted };
  const out: EmulatedPolicy[] = [];
  for (let i = 0; i < count; i++) {
    const hybrid = i % 3 === 2;
    const locale = LOCALES[i % LOCALES.length]!;
    const hashExtraction = i % 2 === 0;
    const preprovisioning = i % 4 === 1;
    const oobe = {
      privacySettingsHidden: true,
      eulaHidden: i % 2 === 0,
      userType: i % 3 === 0 ? "administrator" : "standard",
      deviceUsageType: i % 5 === 4 ? "shared" : "singleUser",
      keyboardSelectionPageSkipped: locale !== "os-default",
      escapeLinkHidden: true,
    };
    out.push({
      family: "windowsAutopilotDeploymentProfiles",
      body: {
        "@odata.type": hybrid
          ? "#microsoft.graph.activeDirectoryWindowsAutopilotDeploymentProfile"
          : "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile",
        id: seededGuid(seed, `autopilot:${tenantKey}:${i}`),
        displayName: `Autopilot ${hybrid ? "hybrid" : "Entra"} ${number(i)}`,
        description: i % 2 ? null : "Provisions corporate Windows devices",
        locale,
        language: locale,
        createdDateTime: day(i),
        lastModifiedDateTime: day(i + 3),
        outOfBoxExperienceSetting: { "@odata.type": "microsoft.graph.outOfBoxExperienceSetting", ...oobe },
        outOfBoxExperienceSettings: {
          "@odata.type": "microsoft.graph.outOfBoxExperienceSettings",
          hidePrivacySettings: oobe.privacySettingsHidden,
          hideEULA: oobe.eulaHidden,
          userType: oobe.userType,
          deviceUsageType: oobe.deviceUsageType,
          skipKeyboardSelectionPage: oobe.keyboardSelectionPageSkipped,
          hideEscapeLink: oobe.escapeLinkHidden,
        },
        enrollmentStatusScreenSettings: null,
        extractHardwareHash: hashExtraction,
        hardwareHashExtractionEnabled: hashExtraction,
        // "no more than 15 characters"; a hybrid joined device is named by its domain join profile.
        deviceNameTemplate: hybrid ? "" : `AP${number(i)}-%SERIAL%`,
        deviceType: "windowsPc",
        enableWhiteGlove: preprovisioning,
        preprovisioningAllowed: preprovisioning,
        roleScopeTagIds: ["0"],
        managementServiceAppId: null,
        ...(hybrid ? { hybridAzureADJoinSkipConnectivityCheck: i % 2 === 0 } : {}),
      },
      settings: [],
      assignments: autopilotAssignments(seed, `${tenantKey}:autopilot`, i, groups),
    });
  }
  return out;
}
