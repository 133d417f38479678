import { seededGuid } from "./directory";
import type { EmulatedGroup } from "./groups";
import type { EmulatedPolicy } from "./intune";
import { managedApp } from "./intune-apps-routes";
import type { Assignment } from "./intune-assignments";

/**
 * Seeded app protection (MAM) policies of one tenant, in the shapes of Microsoft's beta reference
 * pages (iosManagedAppProtection, androidManagedAppProtection, windowsManagedAppProtection;
 * properties checked against the beta typings in emulator/intune.test.ts), and app configuration
 * for managed apps (targetedManagedAppConfiguration: `customSettings`). Ids are `T_<guid>` and
 * `A_<guid>`. The apps each targets are the contained `apps`.
 */
export type AppProtectionCounts = {
  iosManagedAppProtections: number;
  androidManagedAppProtections: number;
  windowsManagedAppProtections: number;
  targetedManagedAppConfigurations: number;
};
export const DEFAULT_APP_PROTECTION_COUNTS: AppProtectionCounts = {
  iosManagedAppProtections: 12,
  androidManagedAppProtections: 12,
  windowsManagedAppProtections: 4,
  targetedManagedAppConfigurations: 8,
};

const IOS_APPS = ["com.microsoft.office.outlook", "com.microsoft.skype.teams", "com.microsoft.msedge"];
const ANDROID_APPS = ["com.microsoft.office.outlook", "com.microsoft.teams", "com.microsoft.emmx"];
const WINDOWS_APPS = ["com.microsoft.edge"];

const day = (i: number) => new Date(Date.UTC(2024, 2, 1) + i * 86_400_000).toISOString();
const number = (i: number) => String(i + 1).padStart(3, "0");

/**
 * App protection targets users: groups included and excluded, or all users. Intune has no "all
 * devices" for it (targetedManagedAppPolicyAssignment; the portal's Assignments offers groups only
 * besides all users). A quarter each: one group, a group and an exclusion, all users, none.
 */
function userAssignments(seed: number, key: string, i: number, groups: EmulatedGroup[]): Assignment[] {
  const group = (n: number) => groups[(i * 5 + n * 11) % Math.max(1, groups.length)]?.id;
  const id = (n: number) => seededGuid(seed, `mam-asg:${key}:${i}:${n}`);
  const include = {
    id: id(0),
    source: "direct",
    sourceId: null,
    target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: group(0) },
  };
  switch (i % 4) {
    case 1:
      return [include];
    case 2:
      return [
        include,
        {
          id: id(1),
          source: "direct",
          sourceId: null,
          target: { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: group(1) },
        },
      ];
    case 3:
      return [
        {
          id: id(2),
          source: "direct",
          sourceId: null,
          target: { "@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget" },
        },
      ];
    default:
      return [];
  }
}

/** Properties every app protection type has (managedAppPolicy and the Windows type's own). */
const common = (i: number, kind: string) => ({
  displayName: `${kind} app protection ${number(i)}`,
  description: i % 2 ? null : `Protects ${kind} work data`,
  createdDateTime: day(i),
  lastModifiedDateTime: day(i + 5),
  roleScopeTagIds: ["0"],
  version: `"${(i % 3) + 1}"`,
  isAssigned: i % 4 !== 0,
  printBlocked: i % 2 === 0,
  periodOfflineBeforeAccessCheck: "PT12H",
  periodOfflineBeforeWipeIsEnforced: "P90D",
  minimumRequiredOsVersion: null,
  minimumWarningOsVersion: null,
});

/** managedAppProtection's own settings, shared by iOS and Android. */
const protection = (i: number) => ({
  pinRequired: i % 3 !== 0,
  minimumPinLength: 4 + (i % 3) * 2,
  maximumPinRetries: 5,
  simplePinBlocked: i % 2 === 0,
  saveAsBlocked: i % 2 === 1,
  dataBackupBlocked: true,
  allowedInboundDataTransferSources: "managedApps",
  allowedOutboundDataTransferDestinations: i % 2 ? "allApps" : "managedApps",
  allowedOutboundClipboardSharingLevel: "managedAppsWithPasteIn",
  organizationalCredentialsRequired: false,
  managedBrowser: "microsoftEdge",
  appGroupType: i % 3 === 2 ? "allCoreMicrosoftApps" : "selectedPublicApps",
  targetedAppManagementLevels: "unspecified",
});

const apps = (ids: string[], type: string, kind: string, i: number) =>
  ids.slice(0, 1 + (i % ids.length)).map((id) => managedApp({ "@odata.type": type, [kind]: id }));

export function seedAppProtections(
  seed: number,
  {
    tenantKey,
    groups,
    counts: wanted,
  }: { tenantKey: string; groups: EmulatedGroup[]; counts: Partial<AppProtectionCounts> },
): EmulatedPolicy[] {
  const counts = { ...DEFAULT_APP_PROTECTION_COUNTS, ...wanted };
  const out: EmulatedPolicy[] = [];
  const policy = (
    family: EmulatedPolicy["family"],
    i: number,
    body: Record<string, unknown>,
    list: unknown[],
    prefix = "T_",
  ) => {
    const targeted = list as Record<string, unknown>[];
    out.push({
      family,
      body: {
        "@odata.type": `#microsoft.graph.${family.slice(0, -1)}`,
        id: `${prefix}${seededGuid(seed, `${family}:${tenantKey}:${i}`)}`,
        ...body,
        deployedAppCount: targeted.length,
      },
      settings: [],
      assignments: userAssignments(seed, `${tenantKey}:${family}`, i, groups),
      apps: targeted,
    });
  };
  for (let i = 0; i < counts.iosManagedAppProtections; i++)
    policy(
      "iosManagedAppProtections",
      i,
      { ...common(i, "iOS"), ...protection(i), faceIdBlocked: i % 2 === 0, appDataEncryptionType: "whenDeviceLocked" },
      apps(IOS_APPS, "#microsoft.graph.iosMobileAppIdentifier", "bundleId", i),
    );
  for (let i = 0; i < counts.androidManagedAppProtections; i++)
    policy(
      "androidManagedAppProtections",
      i,
      { ...common(i, "Android"), ...protection(i), screenCaptureBlocked: i % 2 === 1, encryptAppData: true },
      apps(ANDROID_APPS, "#microsoft.graph.androidMobileAppIdentifier", "packageId", i),
    );
  for (let i = 0; i < counts.windowsManagedAppProtections; i++)
    policy(
      "windowsManagedAppProtections",
      i,
      {
        ...common(i, "Windows"),
        allowedInboundDataTransferSources: "allApps",
        allowedOutboundClipboardSharingLevel: i % 2 ? "none" : "anyDestinationAnySource",
        allowedOutboundDataTransferDestinations: i % 2 ? "none" : "allApps",
      },
      apps(WINDOWS_APPS, "#microsoft.graph.windowsAppIdentifier", "windowsAppId", i),
    );
  for (let i = 0; i < counts.targetedManagedAppConfigurations; i++) {
    const { displayName, description, createdDateTime, lastModifiedDateTime, roleScopeTagIds, version, isAssigned } =
      common(i, "Outlook");
    policy(
      "targetedManagedAppConfigurations",
      i,
      {
        displayName: displayName.replace("app protection", "app configuration"),
        description,
        createdDateTime,
        lastModifiedDateTime,
        roleScopeTagIds,
        version,
        isAssigned,
        appGroupType: "selectedPublicApps",
        targetedAppManagementLevels: "unspecified",
        customSettings: [
          { name: "com.microsoft.outlook.Mail.FocusedInbox", value: String(i % 2 === 0) },
          { name: "com.microsoft.outlook.Contacts.LocalSyncEnabled", value: String(i % 3 === 0) },
        ],
      },
      [
        ...apps(IOS_APPS.slice(0, 1), "#microsoft.graph.iosMobileAppIdentifier", "bundleId", 0),
        ...apps(ANDROID_APPS.slice(0, 1), "#microsoft.graph.androidMobileAppIdentifier", "packageId", 0),
      ],
      "A_",
    );
  }
  return out;
}
