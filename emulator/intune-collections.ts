/**
 * The emulator's own description of each Intune collection it serves, as Microsoft documents it
 * (sources in docs/graph-fidelity.md, "Object types"). It imitates Graph: it does not import the
 * console's catalogue (lib/intune/types.ts), which describes the same collections for a client.
 */
export type PolicyFamily =
  | "deviceConfigurations"
  | "deviceCompliancePolicies"
  | "configurationPolicies"
  | "deviceManagementScripts"
  | "deviceShellScripts"
  | "deviceHealthScripts"
  | "windowsFeatureUpdateProfiles"
  | "windowsQualityUpdateProfiles"
  | "windowsDriverUpdateProfiles"
  | "windowsAutopilotDeploymentProfiles"
  | "iosManagedAppProtections"
  | "androidManagedAppProtections"
  | "windowsManagedAppProtections"
  | "targetedManagedAppConfigurations"
  | "mobileAppConfigurations"
  | "groupPolicyConfigurations"
  | "deviceEnrollmentConfigurations"
  | "intents"
  | "notificationMessageTemplates";

export type EmulatedCollection = {
  /** The singleton the collection lives under. */
  under: "deviceManagement" | "deviceAppManagement";
  /** API versions that have the collection: the others answer 400 "Resource not found for the segment". */
  versions: readonly ("v1.0" | "beta")[];
  /** Items a page. Microsoft publishes these for the first three only; the rest are the emulator's choice. */
  pageSize: number;
  /** The root type in Microsoft's metadata (lib/graph/writable-properties.generated.json). */
  root: string;
  /** The collection has no derived types: a create may leave `@odata.type` out. */
  implied: boolean;
  /** The property a create must carry as the object's name. */
  nameProperty: "displayName" | "name";
  /** Navigation properties a create carries in its own body (deep insert). */
  createdWith: string[];
  /** Properties the list answers as null: only a GET by id returns them. */
  listedAsNull: string[];
  /** Graph counts `version` up on every update (an integer of the classic families). */
  countsVersions: boolean;
  /** The `/assign` action's parameters: the one that sets `assignments`, and others it accepts. */
  assign: { parameter: string; alsoAccepted: string[]; fields: string[] };
  /**
   * How groups are assigned: `action`, the `/assign` action replaces the set; `navigation`, each
   * assignment is created by POST to `assignments` and removed by DELETE, and `/assign` takes
   * something else (an Autopilot profile's takes `deviceIds`: it assigns devices, not groups);
   * `none`, the type is not assigned: neither `assignments` nor `/assign` exists (400, as for any
   * segment the metadata lacks).
   */
  assignedBy: "action" | "navigation" | "none";
  /**
   * A contained `apps` navigation (managedMobileApp), returned with `$expand=apps` or at `/apps`, and
   * set only by the bound `targetApps` action, whose parameters besides `apps` are listed here.
   */
  targetApps?: { parameters: string[] };
  /** `/assign` answers 204 without a body (an intent's: intune-deviceintent-devicemanagementintent-assign), not 200 with the set. */
  assignAnswersNoContent?: boolean;
  /** How Graph makes the id of a created object (`T_<guid>` for targeted app protection). */
  idPrefix?: string;
  /**
   * Ranked objects with tenant defaults (enrollment configurations, emulator/intune-enrollment.ts):
   * ids `<guid>_<Kind>`, `priority` set by `setPriority` only, defaults never created, deleted or assigned.
   */
  ranked?: boolean;
};

const SCRIPT_ASSIGN = {
  parameter: "deviceManagementScriptAssignments",
  // The older group assignments (targetGroupId only) are a second parameter of the same action.
  alsoAccepted: ["deviceManagementScriptGroupAssignments"],
  fields: [],
};

/** The values most collections share: beta under /deviceManagement, no derived types, named by
 * `displayName`, created without navigations, nothing listed as null, no version counter, assigned
 * by `/assign` with `assignments`. Each entry below says only where it differs. */
const collection = (
  differences: Pick<EmulatedCollection, "pageSize" | "root"> & Partial<EmulatedCollection>,
): EmulatedCollection => ({
  under: "deviceManagement",
  versions: ["beta"],
  implied: true,
  nameProperty: "displayName",
  createdWith: [],
  listedAsNull: [],
  countsVersions: false,
  assign: { parameter: "assignments", alsoAccepted: [], fields: [] },
  assignedBy: "action",
  ...differences,
});

export const COLLECTIONS: Record<PolicyFamily, EmulatedCollection> = {
  deviceConfigurations: collection({
    versions: ["v1.0", "beta"],
    pageSize: 100,
    root: "microsoft.graph.deviceConfiguration",
    implied: false,
    countsVersions: true,
  }),
  deviceCompliancePolicies: collection({
    versions: ["v1.0", "beta"],
    pageSize: 100,
    root: "microsoft.graph.deviceCompliancePolicy",
    implied: false,
    createdWith: ["scheduledActionsForRule"],
    countsVersions: true,
  }),
  configurationPolicies: collection({
    pageSize: 25,
    root: "microsoft.graph.deviceManagementConfigurationPolicy",
    nameProperty: "name",
    createdWith: ["settings"],
  }),
  // Beta only (Intune-PowerShell-SDK#13: v1.0 answers 400); the list leaves scriptContent null
  // (IntuneManagement#100, salto-io/salto#6563).
  deviceManagementScripts: collection({
    pageSize: 10,
    root: "microsoft.graph.deviceManagementScript",
    listedAsNull: ["scriptContent"],
    assign: SCRIPT_ASSIGN,
  }),
  deviceShellScripts: collection({
    pageSize: 10,
    root: "microsoft.graph.deviceShellScript",
    listedAsNull: ["scriptContent"],
    assign: SCRIPT_ASSIGN,
  }),
  deviceHealthScripts: collection({
    pageSize: 10,
    root: "microsoft.graph.deviceHealthScript",
    assign: {
      parameter: "deviceHealthScriptAssignments",
      alsoAccepted: [],
      fields: ["runRemediationScript", "runSchedule"],
    },
  }),
  // Beta only (absent from the v1.0 CSDL); `/assign` takes `assignments` (microsoft-graph-docs,
  // windowsfeatureupdateprofile-assign).
  windowsFeatureUpdateProfiles: collection({
    pageSize: 10,
    root: "microsoft.graph.windowsFeatureUpdateProfile",
  }),
  windowsQualityUpdateProfiles: collection({
    pageSize: 10,
    root: "microsoft.graph.windowsQualityUpdateProfile",
  }),
  windowsDriverUpdateProfiles: collection({
    pageSize: 10,
    root: "microsoft.graph.windowsDriverUpdateProfile",
  }),
  // Beta only (absent from the v1.0 CSDL). Its `/assign` takes `deviceIds`
  // (intune-enrollment-windowsautopilotdeploymentprofile-assign); groups are assigned by creating
  // windowsAutopilotDeploymentProfileAssignment entities (…assignment-create, -delete), as
  // IntuneManagement does (Extensions/EndpointManager.psm1, Add-EMAssignmentsToObject). No derived
  // type is implied: the entries are Entra joined or hybrid joined profiles.
  windowsAutopilotDeploymentProfiles: collection({
    pageSize: 10,
    root: "microsoft.graph.windowsAutopilotDeploymentProfile",
    implied: false,
    assign: { parameter: "deviceIds", alsoAccepted: [], fields: [] },
    assignedBy: "navigation",
  }),
  // App protection: under /deviceAppManagement, in both versions for iOS and Android (v1.0 CSDL,
  // DeviceAppManagement navigations), beta only for Windows (absent from the v1.0 CSDL). `/assign`
  // takes `assignments` of targetedManagedAppPolicyAssignment; `targetApps` takes `apps` and, for the
  // targeted types, `appGroupType` (CSDL: the targetApps actions bound to targetedManagedAppProtection
  // and managedAppProtection). Apps are a contained navigation, so a create may not carry them.
  iosManagedAppProtections: collection({
    under: "deviceAppManagement",
    versions: ["v1.0", "beta"],
    pageSize: 10,
    root: "microsoft.graph.iosManagedAppProtection",
    targetApps: { parameters: ["appGroupType"] },
    idPrefix: "T_",
  }),
  androidManagedAppProtections: collection({
    under: "deviceAppManagement",
    versions: ["v1.0", "beta"],
    pageSize: 10,
    root: "microsoft.graph.androidManagedAppProtection",
    targetApps: { parameters: ["appGroupType"] },
    idPrefix: "T_",
  }),
  windowsManagedAppProtections: collection({
    under: "deviceAppManagement",
    pageSize: 10,
    root: "microsoft.graph.windowsManagedAppProtection",
    targetApps: { parameters: [] },
    idPrefix: "T_",
  }),
  // App configuration for managed apps: the same `apps`, `targetApps` (with appGroupType) and `/assign`
  // (v1.0 CSDL: the actions bound to targetedManagedAppConfiguration); settings are `customSettings`.
  targetedManagedAppConfigurations: collection({
    under: "deviceAppManagement",
    versions: ["v1.0", "beta"],
    pageSize: 10,
    root: "microsoft.graph.targetedManagedAppConfiguration",
    targetApps: { parameters: ["appGroupType"] },
    idPrefix: "A_",
  }),
  // App configuration for managed devices: v1.0 and beta (v1.0 CSDL: DeviceAppManagement navigation
  // `mobileAppConfigurations`, ContainsTarget); managedDeviceMobileAppConfiguration is abstract, so a
  // create names its type (iOS, Android Enterprise, Android for Work). `/assign` takes `assignments`
  // of managedDeviceMobileAppConfigurationAssignment (v1.0 CSDL: the assign action bound to it);
  // `version` is an Int32. Page size: the emulator's choice (none is published).
  mobileAppConfigurations: collection({
    under: "deviceAppManagement",
    versions: ["v1.0", "beta"],
    pageSize: 10,
    root: "microsoft.graph.managedDeviceMobileAppConfiguration",
    implied: false,
    countsVersions: true,
  }),
  // Administrative templates: beta only (Microsoft's reference has only the beta page); values are
  // set after the create by `updateDefinitionValues` (emulator/routes-admx.ts); `/assign` takes
  // `assignments` (intune-grouppolicy-grouppolicyconfiguration-assign).
  groupPolicyConfigurations: collection({
    pageSize: 10,
    root: "microsoft.graph.groupPolicyConfiguration",
  }),
  // Device enrollment configurations: v1.0 and beta (both CSDLs); `/assign` takes
  // `enrollmentConfigurationAssignments` (CSDL: the assign action bound to deviceEnrollmentConfiguration);
  // several derived types, so a create names its own. Updates count `version` (a tenant's read shows it).
  deviceEnrollmentConfigurations: collection({
    versions: ["v1.0", "beta"],
    pageSize: 10,
    root: "microsoft.graph.deviceEnrollmentConfiguration",
    implied: false,
    countsVersions: true,
    assign: { parameter: "enrollmentConfigurationAssignments", alsoAccepted: [], fields: [] },
    ranked: true,
  }),
  // Endpoint-security intents: beta only (Microsoft's reference has only beta pages); made by their
  // template's createInstance and their settings set by updateSettings (emulator/routes-intents.ts);
  // `/assign` takes `assignments` (intune-deviceintent-devicemanagementintent-assign).
  intents: collection({
    pageSize: 10,
    root: "microsoft.graph.deviceManagementIntent",
    assignAnswersNoContent: true,
  }),
  // Notification message templates: v1.0 and beta (both references), no derived types; not assigned
  // (the resource has no assignments navigation nor assign action); the localized messages are their
  // own entities, created after the template (emulator/intune-notifications.ts).
  notificationMessageTemplates: collection({
    versions: ["v1.0", "beta"],
    pageSize: 10,
    root: "microsoft.graph.notificationMessageTemplate",
    assignedBy: "none",
  }),
};

export const POLICY_FAMILIES = Object.keys(COLLECTIONS) as PolicyFamily[];
