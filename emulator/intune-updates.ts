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
