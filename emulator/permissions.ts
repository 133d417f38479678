/**
 * The Microsoft Graph permissions each route of the emulator requires: one row per resource and kind
 * of access, taken from the "Permissions" table of the Graph reference page named in `source` (least
 * privileged first, then the higher privileged permissions that Graph also accepts). App-only tokens
 * are checked by their `roles`, delegated tokens by their `scp` (./authorization.ts applies this).
 */
export type ApiFamily = "directory" | "intune";
export type Access = "read" | "write";

export type PermissionRule = {
  /** The route without its version; `*` is one segment, `name(*)` a function call, a trailing `**` any number. */
  path: string;
  access: Access;
  /** Decides how a refusal looks: Entra ID's directory error or Intune's. */
  family: ApiFamily;
  application: readonly string[];
  delegated: readonly string[];
  source: string;
};

const ORGANIZATION_READ = [
  "Organization.Read.All",
  "Directory.Read.All",
  "Organization.ReadWrite.All",
  "Directory.ReadWrite.All",
];
// The group pages list GroupMember.Read.All as least privileged; the newest group-list table adds
// Group-NestingSupport.ReadWrite.All and Group.ManageProtection.All, accepted here as well.
const GROUP_READ = [
  "GroupMember.Read.All",
  "Group.Read.All",
  "Directory.Read.All",
  "Group.ReadWrite.All",
  "Directory.ReadWrite.All",
];
const CONFIGURATION_READ = ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"];
const CONFIGURATION_WRITE = ["DeviceManagementConfiguration.ReadWrite.All"];
// Scripts and remediations have their own permissions since the week of July 28, 2025 (Intune
// "What's new"); their beta list, get and assign pages name only these for application permissions.
const SCRIPTS_READ = ["DeviceManagementScripts.Read.All", "DeviceManagementScripts.ReadWrite.All"];
const SCRIPTS_WRITE = ["DeviceManagementScripts.ReadWrite.All"];
// Autopilot profiles: their beta list and get pages name only DeviceManagementServiceConfig.* for
// applications (intune-enrollment-windowsautopilotdeploymentprofile-list, -get).
const SERVICE_CONFIG_READ = ["DeviceManagementServiceConfig.Read.All", "DeviceManagementServiceConfig.ReadWrite.All"];
const SERVICE_CONFIG_WRITE = ["DeviceManagementServiceConfig.ReadWrite.All"];

// App protection and app configuration: their beta list pages name only DeviceManagementApps.* for
// application permissions (intune-mam-iosmanagedappprotection-list); the targetApps pages accept
// DeviceManagementConfiguration.ReadWrite.All as well (intune-mam-windowsmanagedappprotection-targetapps).
const APPS_READ = ["DeviceManagementApps.Read.All", "DeviceManagementApps.ReadWrite.All"];
const APPS_WRITE = ["DeviceManagementApps.ReadWrite.All", ...CONFIGURATION_WRITE];
const RBAC_READ = ["DeviceManagementRBAC.Read.All", "DeviceManagementRBAC.ReadWrite.All"];
const RBAC_WRITE = ["DeviceManagementRBAC.ReadWrite.All"];
const DEVICE_MANAGEMENT_READ = [
  "DeviceManagementServiceConfig.Read.All",
  "DeviceManagementServiceConfig.ReadWrite.All",
  ...CONFIGURATION_READ,
];

const GRAPH_API = "https://learn.microsoft.com/graph/api";

/**
 * An Intune policy collection: reading it (items, assignments, settings) and writing it (create,
 * /assign), with the configuration permissions unless its pages name others.
 */
const policyCollection = (
  collection: string,
  readPage: string,
  writePage: string,
  [read, write]: [string[], string[]] = [CONFIGURATION_READ, CONFIGURATION_WRITE],
  under = "deviceManagement",
): PermissionRule[] => [
  {
    path: `${under}/${collection}/**`,
    access: "read",
    family: "intune",
    application: read,
    delegated: read,
    source: `${GRAPH_API}/${readPage}`,
  },
  {
    path: `${under}/${collection}/**`,
    access: "write",
    family: "intune",
    application: write,
    delegated: write,
    source: `${GRAPH_API}/${writePage}`,
  },
];
const SCRIPTS: [string[], string[]] = [SCRIPTS_READ, SCRIPTS_WRITE];
const APPS: [string[], string[]] = [APPS_READ, APPS_WRITE];
/** An app protection or app configuration collection under /deviceAppManagement (beta pages). */
const appCollection = (collection: string, page: string) =>
  policyCollection(
    collection,
    `intune-mam-${page}-list?view=graph-rest-beta`,
    `intune-mam-${page}-targetapps?view=graph-rest-beta`,
    APPS,
    "deviceAppManagement",
  );

export const PERMISSION_RULES: readonly PermissionRule[] = [
  {
    path: "organization",
    access: "read",
    family: "directory",
    application: ORGANIZATION_READ,
    delegated: ["User.Read", ...ORGANIZATION_READ],
    source: `${GRAPH_API}/organization-list`,
  },
  {
    path: "groups/delta",
    access: "read",
    family: "directory",
    application: GROUP_READ,
    delegated: GROUP_READ,
    source: `${GRAPH_API}/group-delta`,
  },
  {
    path: "groups",
    access: "read",
    family: "directory",
    application: [...GROUP_READ, "Group-NestingSupport.ReadWrite.All", "Group.ManageProtection.All"],
    delegated: [...GROUP_READ, "Group-NestingSupport.ReadWrite.All", "Group.ManageProtection.All"],
    source: `${GRAPH_API}/group-list`,
  },
  {
    path: "groups/*",
    access: "read",
    family: "directory",
    application: GROUP_READ,
    delegated: GROUP_READ,
    source: `${GRAPH_API}/group-get`,
  },
  {
    path: "deviceManagement",
    access: "read",
    family: "intune",
    application: DEVICE_MANAGEMENT_READ,
    delegated: DEVICE_MANAGEMENT_READ,
    source: `${GRAPH_API}/intune-onboarding-devicemanagement-get`,
  },
  {
    // Reading a secret's plain text needs the write permission: "This API involves potential secret
    // values; ReadWrite permission is required." (IntuneCD discussion #141 saw Read.All refused.)
    path: "deviceManagement/deviceConfigurations/*/getOmaSettingPlainTextValue(*)",
    access: "read",
    family: "intune",
    application: CONFIGURATION_WRITE,
    delegated: CONFIGURATION_WRITE,
    source: `${GRAPH_API}/intune-deviceconfig-deviceconfiguration-getomasettingplaintextvalue`,
  },
  ...policyCollection(
    "deviceConfigurations",
    "intune-deviceconfig-deviceconfiguration-list",
    "intune-deviceconfig-deviceconfiguration-assign",
  ),
  ...policyCollection(
    "deviceCompliancePolicies",
    "intune-deviceconfig-devicecompliancepolicy-list",
    "intune-deviceconfig-devicecompliancepolicy-assign",
  ),
  ...policyCollection(
    "configurationPolicies",
    "intune-deviceconfigv2-devicemanagementconfigurationpolicy-list?view=graph-rest-beta",
    "intune-deviceconfigv2-devicemanagementconfigurationpolicy-create?view=graph-rest-beta",
  ),
  ...policyCollection(
    "deviceManagementScripts",
    "intune-shared-devicemanagementscript-list?view=graph-rest-beta",
    "intune-shared-devicemanagementscript-assign?view=graph-rest-beta",
    SCRIPTS,
  ),
  ...policyCollection(
    "deviceShellScripts",
    "intune-devices-deviceshellscript-list?view=graph-rest-beta",
    "intune-devices-deviceshellscript-assign?view=graph-rest-beta",
    SCRIPTS,
  ),
  ...policyCollection(
    "windowsFeatureUpdateProfiles",
    "intune-softwareupdate-windowsfeatureupdateprofile-list?view=graph-rest-beta",
    "intune-softwareupdate-windowsfeatureupdateprofile-create?view=graph-rest-beta",
  ),
  ...policyCollection(
    "windowsQualityUpdateProfiles",
    "intune-softwareupdate-windowsqualityupdateprofile-list?view=graph-rest-beta",
    "intune-softwareupdate-windowsqualityupdateprofile-create?view=graph-rest-beta",
  ),
  ...policyCollection(
    "windowsDriverUpdateProfiles",
    "intune-softwareupdate-windowsdriverupdateprofile-list?view=graph-rest-beta",
    "intune-softwareupdate-windowsdriverupdateprofile-create?view=graph-rest-beta",
  ),
  ...policyCollection(
    "groupPolicyConfigurations",
    "intune-grouppolicy-grouppolicyconfiguration-list?view=graph-rest-beta",
    "intune-grouppolicy-grouppolicyconfiguration-updatedefinitionvalues?view=graph-rest-beta",
  ),
  {
    path: "deviceManagement/groupPolicyDefinitions/**",
    access: "read",
    family: "intune",
    application: CONFIGURATION_READ,
    delegated: CONFIGURATION_READ,
    source: `${GRAPH_API}/intune-grouppolicy-grouppolicydefinition-get?view=graph-rest-beta`,
  },
  ...policyCollection(
    "intents",
    "intune-deviceintent-devicemanagementintent-list?view=graph-rest-beta",
    "intune-deviceintent-devicemanagementintent-updatesettings?view=graph-rest-beta",
  ),
  // An intent is created by its template's createInstance: a write under templates.
  ...policyCollection(
    "templates",
    "intune-deviceintent-devicemanagementtemplate-list?view=graph-rest-beta",
    "intune-deviceintent-devicemanagementtemplate-createinstance?view=graph-rest-beta",
  ),
  ...policyCollection(
    "deviceHealthScripts",
    "intune-devices-devicehealthscript-list?view=graph-rest-beta",
    "intune-devices-devicehealthscript-assign?view=graph-rest-beta",
    SCRIPTS,
  ),
  ...appCollection("iosManagedAppProtections", "iosmanagedappprotection"),
  ...appCollection("androidManagedAppProtections", "androidmanagedappprotection"),
  ...appCollection("windowsManagedAppProtections", "windowsmanagedappprotection"),
  ...appCollection("targetedManagedAppConfigurations", "targetedmanagedappconfiguration"),
  // App configuration for managed devices: the list and create pages name both families of permissions
  // (intune-apps-iosmobileappconfiguration-list, -create).
  ...policyCollection(
    "mobileAppConfigurations",
    "intune-apps-iosmobileappconfiguration-list?view=graph-rest-beta",
    "intune-apps-iosmobileappconfiguration-create?view=graph-rest-1.0",
    [
      [...CONFIGURATION_READ, ...APPS_READ],
      [...CONFIGURATION_WRITE, "DeviceManagementApps.ReadWrite.All"],
    ],
    "deviceAppManagement",
  ),
  {
    // The tenant's app catalogue, read for the names of targeted apps (intune-apps-mobileapp-get).
    path: "deviceAppManagement/mobileApps/**",
    access: "read",
    family: "intune",
    application: APPS_READ,
    delegated: APPS_READ,
    source: `${GRAPH_API}/intune-apps-mobileapp-get?view=graph-rest-beta`,
  },
  ...policyCollection(
    "windowsAutopilotDeploymentProfiles",
    "intune-enrollment-windowsautopilotdeploymentprofile-list?view=graph-rest-beta",
    "intune-enrollment-windowsautopilotdeploymentprofile-create?view=graph-rest-beta",
    [SERVICE_CONFIG_READ, SERVICE_CONFIG_WRITE],
  ),
  // Enrollment configurations: their get page names only DeviceManagementServiceConfig.* for
  // applications (intune-shared-deviceenrollmentconfiguration-get, beta).
  ...policyCollection(
    "deviceEnrollmentConfigurations",
    "intune-shared-deviceenrollmentconfiguration-get?view=graph-rest-beta",
    "intune-onboarding-deviceenrollmentconfiguration-create?view=graph-rest-beta",
    [SERVICE_CONFIG_READ, SERVICE_CONFIG_WRITE],
  ),
  // Notification message templates and their messages: DeviceManagementServiceConfig.* only
  // (intune-notification-notificationmessagetemplate-list, -localizednotificationmessage-create).
  ...policyCollection(
    "notificationMessageTemplates",
    "intune-notification-notificationmessagetemplate-list?view=graph-rest-beta",
    "intune-notification-localizednotificationmessage-create?view=graph-rest-beta",
    [SERVICE_CONFIG_READ, SERVICE_CONFIG_WRITE],
  ),
  ...policyCollection(
    "assignmentFilters",
    "intune-policyset-deviceandappmanagementassignmentfilter-list?view=graph-rest-beta",
    "intune-policyset-deviceandappmanagementassignmentfilter-create?view=graph-rest-beta",
  ),
  {
    // Either family of permissions reads scope tags (intune-rbac-rolescopetag-list, beta).
    path: "deviceManagement/roleScopeTags/**",
    access: "read",
    family: "intune",
    application: [...CONFIGURATION_READ, ...RBAC_READ],
    delegated: [...CONFIGURATION_READ, ...RBAC_READ],
    source: `${GRAPH_API}/intune-rbac-rolescopetag-list?view=graph-rest-beta`,
  },
  {
    path: "deviceManagement/roleScopeTags/**",
    access: "write",
    family: "intune",
    application: RBAC_WRITE,
    delegated: RBAC_WRITE,
    source: `${GRAPH_API}/intune-rbac-rolescopetag-create?view=graph-rest-beta`,
  },
  {
    path: "deviceManagement/roleDefinitions/**",
    access: "read",
    family: "intune",
    application: RBAC_READ,
    delegated: RBAC_READ,
    source: `${GRAPH_API}/intune-rbac-roledefinition-list`,
  },
  {
    path: "deviceManagement/roleAssignments/**",
    access: "read",
    family: "intune",
    application: RBAC_READ,
    delegated: RBAC_READ,
    source: `${GRAPH_API}/intune-rbac-deviceandappmanagementroleassignment-list`,
  },
  {
    path: "deviceManagement/roleAssignments/**",
    access: "write",
    family: "intune",
    application: RBAC_WRITE,
    delegated: RBAC_WRITE,
    source: `${GRAPH_API}/intune-rbac-deviceandappmanagementroleassignment-create`,
  },
];

/**
 * What an emulated app is granted unless a test says otherwise: the least privileged set that
 * covers everything the console does (see lib/graph/permissions.ts on the console's side).
 */
export const DEFAULT_APP_ROLES: readonly string[] = [
  "Organization.Read.All",
  "GroupMember.Read.All",
  "DeviceManagementConfiguration.ReadWrite.All",
  "DeviceManagementScripts.ReadWrite.All",
  "DeviceManagementServiceConfig.ReadWrite.All",
  "DeviceManagementApps.ReadWrite.All",
  "DeviceManagementRBAC.ReadWrite.All",
];

function matches(pattern: string, segments: string[]): boolean {
  const parts = pattern.split("/");
  for (let i = 0; i < parts.length; i += 1) {
    if (parts[i] === "**") return true;
    if (i >= segments.length) return false;
    const part = parts[i]!;
    // `name(*)`: a function call with any parameters.
    const call = part.endsWith("(*)") && segments[i]!.startsWith(part.slice(0, -2));
    if (part !== "*" && part !== segments[i] && !call) return false;
  }
  return parts.length === segments.length;
}

/** The rule for a Graph request ("GET", "/beta/deviceManagement/roleAssignments"), if the table has one. */
export function permissionRuleFor(method: string, pathname: string): PermissionRule | undefined {
  const segments = pathname.split("/").filter(Boolean).slice(1); // drop "v1.0" / "beta"
  const access: Access = method === "GET" || method === "HEAD" ? "read" : "write";
  return PERMISSION_RULES.find((rule) => rule.access === access && matches(rule.path, segments));
}
