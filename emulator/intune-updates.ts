import { seededGuid } from "./directory";
import type { EmulatedGroup } from "./groups";
import type { EmulatedPolicy } from "./intune";
import { assignmentsFor } from "./intune-assignments";

/**
 * Seeded Windows Update for Business profiles of one tenant, in the shapes of Microsoft's beta
 * reference pages (windowsFeatureUpdateProfile, windowsQualityUpdateProfile, windowsDriverUpdateProfile
 * and their complex types; properties checked against the beta typings in emulator/intune.test.ts).
 */
export type UpdateProfileCounts = {
  windowsFeatureUpdateProfiles: number;
  windowsQualityUpdateProfiles: number;
  windowsDriverUpdateProfiles: number;
};
export const DEFAULT_UPDATE_PROFILE_COUNTS: UpdateProfileCounts = {
  windowsFeatureUpdateProfiles: 12,
  windowsQualityUpdateProfiles: 8,
  windowsDriverUpdateProfiles: 6,
};

const FEATURE_VERSIONS = ["Windows 11, version 23H2", "Windows 11, version 24H2", "Windows 10, version 22H2"];
const day = (i: number) => new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString();
const number = (i: number) => String(i + 1).padStart(3, "0");
const common = (i: number) => ({
  createdDateTime: day(i),
  lastModifiedDateTime: day(i + 7),
  roleScopeTagIds: ["0"],
});

export function seedUpdateProfiles(
  seed: number,
  {
    tenantKey,
    groups,
    counts: wanted,
  }: { tenantKey: string; groups: EmulatedGroup[]; counts: Partial<UpdateProfileCounts> },
): EmulatedPolicy[] {
  const counts = { ...DEFAULT_UPDATE_PROFILE_COUNTS, ...wanted };
  const out: EmulatedPolicy[] = [];
  for (let i = 0; i < counts.windowsFeatureUpdateProfiles; i++) {
    const version = FEATURE_VERSIONS[i % FEATURE_VERSIONS.length]!;
    out.push({
      family: "windowsFeatureUpdateProfiles",
      body: {
        "@odata.type": "#microsoft.graph.windowsFeatureUpdateProfile",
        id: seededGuid(seed, `fup:${tenantKey}:${i}`),
        displayName: `Feature update ${number(i)}`,
        description: i % 2 ? null : `Moves devices to ${version}`,
        featureUpdateVersion: version,
        rolloutSettings:
          i % 3 === 0
            ? null
            : {
                "@odata.type": "#microsoft.graph.windowsUpdateRolloutSettings",
                offerStartDateTimeInUTC: day(i + 30),
                offerEndDateTimeInUTC: day(i + 60),
                offerIntervalInDays: 1 + (i % 7),
              },
        deployableContentDisplayName: version,
        endOfSupportDate: day(i + 900),
        installLatestWindows10OnWindows11IneligibleDevice: i % 2 === 0,
        installFeatureUpdatesOptional: i % 4 === 0,
        ...common(i),
      },
      settings: [],
      assignments: assignmentsFor(seed, `${tenantKey}:fup`, i, groups),
    });
  }
  for (let i = 0; i < counts.windowsQualityUpdateProfiles; i++) {
    out.push({
      family: "windowsQualityUpdateProfiles",
      body: {
        "@odata.type": "#microsoft.graph.windowsQualityUpdateProfile",
        id: seededGuid(seed, `qup:${tenantKey}:${i}`),
        displayName: `Expedited quality update ${number(i)}`,
        description: null,
        expeditedUpdateSettings: {
          "@odata.type": "#microsoft.graph.expeditedWindowsQualityUpdateSettings",
          qualityUpdateRelease: day(i * 30),
          daysUntilForcedReboot: i % 3,
        },
        releaseDateDisplayName: `Release ${number(i)}`,
        deployableContentDisplayName: `Quality update ${number(i)}`,
        ...common(i),
      },
      settings: [],
      assignments: assignmentsFor(seed, `${tenantKey}:qup`, i, groups),
    });
  }
  for (let i = 0; i < counts.windowsDriverUpdateProfiles; i++) {
    const automatic = i % 2 === 0;
    out.push({
      family: "windowsDriverUpdateProfiles",
      body: {
        "@odata.type": "#microsoft.graph.windowsDriverUpdateProfile",
        id: seededGuid(seed, `dup:${tenantKey}:${i}`),
        displayName: `Driver updates ${number(i)}`,
        description: "Drivers for managed Windows devices",
        approvalType: automatic ? "automatic" : "manual",
        // "only applicable when ApprovalType is set to automatic approval"
        deploymentDeferralInDays: automatic ? 7 + i : null,
        deviceReporting: 0,
        newUpdates: 0,
        inventorySyncStatus: {
          "@odata.type": "#microsoft.graph.windowsDriverUpdateProfileInventorySyncStatus",
          driverInventorySyncState: "success",
          lastSuccessfulSyncDateTime: day(i + 3),
        },
        ...common(i),
      },
      settings: [],
      assignments: assignmentsFor(seed, `${tenantKey}:dup`, i, groups),
    });
  }
  return out;
}

/**
 * One seeded Windows update ring: a device configuration of the derived type
 * windowsUpdateForBusinessConfiguration (beta reference page of that name), listed among the
 * tenant's `deviceConfigurations` (it has no collection of its own).
 */
export function updateRing(
  seed: number,
  { tenantKey, i, groups, created }: { tenantKey: string; i: number; groups: EmulatedGroup[]; created: string },
): EmulatedPolicy {
  const pilot = i % 2 === 0;
  return {
    family: "deviceConfigurations",
    body: {
      "@odata.type": "#microsoft.graph.windowsUpdateForBusinessConfiguration",
      id: seededGuid(seed, `ring:${tenantKey}:${i}`),
      displayName: `Update ring ${pilot ? "pilot" : "broad"} ${number(i)}`,
      description: pilot ? "First devices to take updates" : null,
      createdDateTime: created,
      lastModifiedDateTime: created,
      version: 1,
      roleScopeTagIds: ["0"],
      supportsScopeTags: true,
      deviceManagementApplicabilityRuleOsEdition: null,
      deviceManagementApplicabilityRuleOsVersion: null,
      deviceManagementApplicabilityRuleDeviceMode: null,
      deliveryOptimizationMode: "userDefined",
      prereleaseFeatures: "userDefined",
      automaticUpdateMode: "autoInstallAtMaintenanceTime",
      microsoftUpdateServiceAllowed: true,
      driversExcluded: i % 3 === 0,
      installationSchedule: {
        "@odata.type": "#microsoft.graph.windowsUpdateActiveHoursInstall",
        activeHoursStart: "08:00:00.0000000",
        activeHoursEnd: "17:00:00.0000000",
      },
      qualityUpdatesDeferralPeriodInDays: pilot ? 0 : 7,
      featureUpdatesDeferralPeriodInDays: pilot ? 0 : 30,
      qualityUpdatesPaused: false,
      featureUpdatesPaused: false,
      qualityUpdatesPauseExpiryDateTime: "0001-01-01T00:00:00Z",
      featureUpdatesPauseExpiryDateTime: "0001-01-01T00:00:00Z",
      businessReadyUpdatesOnly: "userDefined",
      skipChecksBeforeRestart: false,
      updateWeeks: null,
      qualityUpdatesPauseStartDate: null,
      featureUpdatesPauseStartDate: null,
      featureUpdatesRollbackWindowInDays: 10,
      qualityUpdatesWillBeRolledBack: false,
      featureUpdatesWillBeRolledBack: false,
      qualityUpdatesRollbackStartDateTime: "0001-01-01T00:00:00Z",
      featureUpdatesRollbackStartDateTime: "0001-01-01T00:00:00Z",
      engagedRestartDeadlineInDays: null,
      engagedRestartSnoozeScheduleInDays: null,
      engagedRestartTransitionScheduleInDays: null,
      deadlineForFeatureUpdatesInDays: pilot ? 2 : 7,
      deadlineForQualityUpdatesInDays: pilot ? 2 : 7 + (i % 5),
      deadlineGracePeriodInDays: 2,
      postponeRebootUntilAfterDeadline: false,
      autoRestartNotificationDismissal: "notConfigured",
      scheduleRestartWarningInHours: null,
      scheduleImminentRestartWarningInMinutes: null,
      userPauseAccess: "enabled",
      userWindowsUpdateScanAccess: "enabled",
      updateNotificationLevel: "defaultNotifications",
      allowWindows11Upgrade: i % 4 !== 0,
    },
    settings: [],
    assignments: assignmentsFor(seed, `${tenantKey}:ring`, i, groups),
  };
}
