import type { PolicyFamily } from "@/db/schema/inventory";
import {
  type AnyOf,
  APPS_READ,
  CONFIGURATION_READ,
  RBAC_READ,
  SCRIPTS_READ,
  SERVICE_CONFIG_READ,
} from "@/lib/operations/permissions";

/**
 * Every Intune object type the console inventories, backs up, restores and compares: one descriptor
 * each, read by inventory (workers/intune.ts), backup, restore (lib/restores/payload.ts, lib/graph/
 * writable.ts) and drift instead of switching on the type. Each fact is Microsoft's, with its source
 * in docs/graph-fidelity.md ("Object types"). Adding a type: a value in `policy_family` (one
 * migration), a descriptor here, its root in lib/graph/writable-derivation.ts, and the emulator's
 * own collection (emulator/intune-collections.ts). A type whose objects live in another type's
 * collection (update rings among device configurations, endpoint security among configuration
 * policies) declares `selects`: the collection is still read once (INTUNE_COLLECTIONS).
 */
export type IntuneType = {
  key: PolicyFamily;
  label: string;
  /**
   * The collection under Graph's beta endpoint (the settings catalog and the script types exist only
   * there): under /deviceManagement, or /deviceAppManagement for app protection and app configuration.
   */
  collection: string;
  apiVersion: "beta";
  /** The platform of every object of the type, when the type itself says it (else read from the object). */
  platform?: "Windows" | "macOS" | "iOS" | "Android";
  /** The property holding the object's name. */
  nameProperty: "displayName" | "name";
  /** The root type of the collection in the writable-properties list: every type it holds derives from it. */
  graphRoot: string;
  /** The type a create names when the backup names none: only for a collection without derived types. */
  impliedType?: string;
  /**
   * Properties a listed object lacks (null or absent) that a GET by id returns, with the `$expand`
   * it needs, if any: the object is read again by id when one is missing.
   */
  readById?: { properties: string[]; expand?: string };
  /**
   * A navigation collection read page by page into the snapshot under its own name: the settings
   * catalog's `/settings`; an administrative template's `/definitionValues`, each value with its
   * definition expanded and its own `presentationValues` (each with its presentation) read the same way.
   */
  pagedPart?: PagedPart;
  /**
   * The action that sets the paged part after the create, when the create body cannot carry it (an
   * administrative template's `updateDefinitionValues`: lib/intune/definition-values.ts), or
   * `navigation`: each item is an entity of the part's navigation, created by POST to it, changed by
   * PATCH and removed by DELETE, and known across reads and tenants by the part's `key`
   * (a notification template's messages by locale: lib/intune/part-items.ts).
   */
  partSetBy?: "updateDefinitionValues" | "updateSettings" | "navigation";
  /**
   * An object Graph creates by an action bound to another entity, not by a POST to its collection
   * (an endpoint-security intent: its template's `createInstance`). The created object is listed in
   * `collection` as any other (lib/intune/created-by.ts builds the call).
   */
  createdBy?: CreatedBy;
  /** Navigation properties a create carries in its own body (deep insert). */
  createdWith: ("settings" | "scheduledActionsForRule")[];
  /**
   * How the object is assigned, read from its `assignments` navigation. `action`: set by the
   * `/assign` action, which replaces the whole set, its parameter named per type. `navigation`: the
   * type has no group `/assign` (an Autopilot profile's takes device ids), so each assignment is
   * created by POST to `assignments` and removed by DELETE (workers/set-assignments.ts). `none`: the
   * console does not assign the type (an assignment filter has no assignments): inventory never
   * reads `assignments`, restore and Revert send nothing, drift and the explorer show none. `fields`
   * are the assignment's properties besides `target` that a write carries.
   */
  assign: AssignMode;
  /**
   * The apps the object protects or configures: a navigation (`apps`) read with the object (`readById`
   * expands it) and set by the object's `targetApps` action after the create, never in the create body.
   * `parameters` are the object's properties the action also carries.
   */
  targetsApps?: { navigation: "apps"; action: "targetApps"; parameters: string[] };
  /**
   * A property holding ids of apps in the tenant's own app catalogue (`/deviceAppManagement/mobileApps`),
   * which differ in every tenant: kept by a restore into the same tenant, left out of one into another
   * (each app named by what the backup read of it: lib/intune/tenant-apps.ts), never sent elsewhere.
   */
  tenantApps?: { property: "targetedMobileApps" | "selectedMobileAppIds" };
  /** The application permissions Graph accepts for listing the type (lib/operations/permissions.ts). */
  readPermissions: AnyOf;
  /**
   * Properties Intune sets and refreshes itself (reports, counters, display strings of what it
   * deploys) that the metadata does not mark read-only: never sent (lib/graph/writable.ts treats them
   * as read-only), not compared by drift, not part of a version's hash.
   */
  computed?: string[];
  /**
   * Which objects of `collection` are this type's, for a type that shares its collection with
   * others, or that leaves some of its collection out (Microsoft's built-in Default scope tag). Each
   * object listed there is the first sharing type's whose predicate holds, else the type of that
   * collection that declares none; an object no type takes is not inventoried.
   */
  selects?: (object: Record<string, unknown>) => boolean;
  /**
   * Objects Microsoft makes in every tenant, which cannot be created, deleted or assigned (an
   * enrollment configuration of priority 0, "All users and all devices"): restore and Revert update
   * the target tenant's one of the same `@odata.type` in place (lib/intune/tenant-defaults.ts).
   */
  builtInDefault?: (object: Record<string, unknown>) => boolean;
  /**
   * The object's rank among its kind (`priority`), which neither a create nor a PATCH sets: restore
   * and Revert send it by the bound `setPriority` action after the write (never for a default).
   */
  rankedBy?: "setPriority";
  /**
   * The property holding the object's scope tag ids: `roleScopeTagIds` on every policy type, but
   * `roleScopeTags` on an assignment filter (beta typings). Restore maps it across tenants, drift
   * compares it by name and Revert writes it back, all through this name.
   */
  scopeTagProperty?: "roleScopeTags";
  /**
   * The type's objects are referenced by id from other objects of the tenant (a filter from an
   * assignment, a tag from `roleScopeTagIds`): a restore that creates one writes it into the target
   * tenant's reference cache at once (lib/directory/references.ts `cacheReference`), so the next
   * restore's DB-only mapping finds it without a new `directory_references.sync`.
   */
  referenceKind?: "filter" | "scopeTag";
};

export type CreatedBy = {
  /** The collection of the entity the action is bound to, and the object's property naming that entity. */
  on: "/deviceManagement/templates";
  reference: "templateId";
  action: "createInstance";
  /** The object's own properties the action takes as parameters (all else is set by Graph or later). */
  parameters: string[];
  /** The parameter carrying the paged part (without its items' ids). */
  partParameter: "settingsDelta";
};

export type PagedPart = {
  property: "settings" | "definitionValues" | "localizedNotificationMessages";
  /** The property that names an item across reads and tenants, where its id does not (ids are Graph's). */
  key?: "locale";
  /** The contained type of an item, whose writable properties a POST or PATCH of it carries. */
  itemType?: string;
  expand?: string;
  /** A navigation collection of each item, read into the item under its own name. */
  each?: { property: "presentationValues"; expand: string };
};

/**
 * A compliance policy's scheduled actions are contained navigation properties: Graph returns them
 * only when asked, as IntuneManagement (Extensions/EndpointManager.psm1) and Microsoft's
 * powershell-intune-samples read them. Each rule then carries `scheduledActionConfigurations`.
 */
const COMPLIANCE_ACTIONS_EXPAND = "scheduledActionsForRule($expand=scheduledActionConfigurations)";
export type AssignMode =
  | { via: "action"; parameter: string; fields: string[] }
  | { via: "navigation"; fields: string[] }
  | { via: "none" };

const SCRIPT_ASSIGN: AssignMode = { via: "action", parameter: "deviceManagementScriptAssignments", fields: [] };
const ASSIGN_ACTION: AssignMode = { via: "action", parameter: "assignments", fields: [] };

/** What every `configurationPolicies` object shares: the settings catalog's and endpoint security's descriptors. */
const CATALOG_POLICY = {
  collection: "/deviceManagement/configurationPolicies",
  apiVersion: "beta",
  nameProperty: "name",
  graphRoot: "microsoft.graph.deviceManagementConfigurationPolicy",
  impliedType: "#microsoft.graph.deviceManagementConfigurationPolicy",
  pagedPart: { property: "settings" },
  createdWith: ["settings"],
  assign: ASSIGN_ACTION,
  readPermissions: CONFIGURATION_READ,
} satisfies Partial<IntuneType>;

/**
 * An endpoint-security policy of the settings-catalog kind: a `configurationPolicies` object whose
 * read-only `templateReference.templateFamily` names its endpoint-security template family (beta
 * deviceManagementConfigurationTemplateFamily); created like any catalog policy, with settings, and
 * with `templateReference.templateId`, the only part of the reference a create sets.
 */
function endpointSecurity(key: PolicyFamily, label: string, templateFamily: string): IntuneType {
  return {
    key,
    label: `Endpoint security: ${label}`,
    ...CATALOG_POLICY,
    selects: (object) =>
      (object.templateReference as { templateFamily?: unknown } | null | undefined)?.templateFamily === templateFamily,
  };
}

/**
 * App protection and managed-app configuration policies: `apps` is a contained navigation, returned only when expanded; Intune
 * counts the apps a policy reaches (deployedAppCount) and whether it is assigned (isAssigned) itself.
 */
const PROTECTED_APPS = { properties: ["apps"], expand: "apps" };
const APP_PROTECTION_COMPUTED = ["deployedAppCount", "isAssigned"];

/**
 * Device enrollment configurations (beta `deviceEnrollmentConfigurations`, ids `<guid>_<Kind>`): one
 * collection of several derived types, each its own type here as the portal shows each on its own
 * blade. Every tenant has a default of each kind (priority 0); the others are ranked from 1 by
 * `setPriority`. `/assign` takes `enrollmentConfigurationAssignments` (CSDL: the assign action bound
 * to deviceEnrollmentConfiguration). Co-management settings, enrollment notifications, Windows
 * restore and the retired multi-platform restrictions other than the default are not inventoried.
 */
const ENROLLMENT = {
  collection: "/deviceManagement/deviceEnrollmentConfigurations",
  apiVersion: "beta",
  nameProperty: "displayName",
  graphRoot: "microsoft.graph.deviceEnrollmentConfiguration",
  createdWith: [],
  assign: { via: "action", parameter: "enrollmentConfigurationAssignments", fields: [] },
  readPermissions: SERVICE_CONFIG_READ,
  builtInDefault: (object) => object.priority === 0,
  rankedBy: "setPriority",
} satisfies Partial<IntuneType>;
const isOfType = (odataType: string) => (object: Record<string, unknown>) =>
  object["@odata.type"] === `#microsoft.graph.${odataType}`;

export const INTUNE_TYPES: Record<PolicyFamily, IntuneType> = {
  device_configuration: {
    key: "device_configuration",
    label: "Device configuration",
    collection: "/deviceManagement/deviceConfigurations",
    apiVersion: "beta",
    nameProperty: "displayName",
    graphRoot: "microsoft.graph.deviceConfiguration",
    createdWith: [],
    assign: ASSIGN_ACTION,
    readPermissions: CONFIGURATION_READ,
  },
  compliance: {
    key: "compliance",
    label: "Compliance",
    collection: "/deviceManagement/deviceCompliancePolicies",
    apiVersion: "beta",
    nameProperty: "displayName",
    graphRoot: "microsoft.graph.deviceCompliancePolicy",
    readById: { properties: ["scheduledActionsForRule"], expand: COMPLIANCE_ACTIONS_EXPAND },
    createdWith: ["scheduledActionsForRule"],
    assign: ASSIGN_ACTION,
    readPermissions: CONFIGURATION_READ,
  },
  settings_catalog: {
    key: "settings_catalog",
    label: "Settings catalog",
    ...CATALOG_POLICY,
  },
  powershell_script: {
    key: "powershell_script",
    label: "Windows PowerShell script",
    collection: "/deviceManagement/deviceManagementScripts",
    apiVersion: "beta",
    platform: "Windows",
    nameProperty: "displayName",
    graphRoot: "microsoft.graph.deviceManagementScript",
    impliedType: "#microsoft.graph.deviceManagementScript",
    // The list leaves scriptContent null: only a GET by id returns it.
    readById: { properties: ["scriptContent"] },
    createdWith: [],
    assign: SCRIPT_ASSIGN,
    readPermissions: SCRIPTS_READ,
  },
  shell_script: {
    key: "shell_script",
    label: "macOS shell script",
    collection: "/deviceManagement/deviceShellScripts",
    apiVersion: "beta",
    platform: "macOS",
    nameProperty: "displayName",
    graphRoot: "microsoft.graph.deviceShellScript",
    impliedType: "#microsoft.graph.deviceShellScript",
    readById: { properties: ["scriptContent"] },
    createdWith: [],
    assign: SCRIPT_ASSIGN,
    readPermissions: SCRIPTS_READ,
  },
  remediation: {
    key: "remediation",
    label: "Remediation",
    collection: "/deviceManagement/deviceHealthScripts",
    apiVersion: "beta",
    platform: "Windows",
    nameProperty: "displayName",
    graphRoot: "microsoft.graph.deviceHealthScript",
    impliedType: "#microsoft.graph.deviceHealthScript",
    // Read by id whenever a listed one lacks its scripts (Microsoft does not say the list returns them).
    readById: { properties: ["detectionScriptContent", "remediationScriptContent"] },
    createdWith: [],
    // A remediation's assignment also says whether to remediate, and on which schedule.
    assign: {
      via: "action",
      parameter: "deviceHealthScriptAssignments",
      fields: ["runRemediationScript", "runSchedule"],
    },
    readPermissions: SCRIPTS_READ,
    // The newest version of a Microsoft-published script, as Intune reports it.
    computed: ["highestAvailableVersion"],
  },
  // Windows Update for Business profiles: their own collections (update rings are a device configuration subtype).
  feature_update_profile: {
    key: "feature_update_profile",
    label: "Feature update profile",
    collection: "/deviceManagement/windowsFeatureUpdateProfiles",
    apiVersion: "beta",
    platform: "Windows",
    nameProperty: "displayName",
    graphRoot: "microsoft.graph.windowsFeatureUpdateProfile",
    impliedType: "#microsoft.graph.windowsFeatureUpdateProfile",
    createdWith: [],
    assign: ASSIGN_ACTION,
    readPermissions: CONFIGURATION_READ,
    computed: ["endOfSupportDate", "deployableContentDisplayName"],
  },
  quality_update_profile: {
    key: "quality_update_profile",
    label: "Quality update profile",
    collection: "/deviceManagement/windowsQualityUpdateProfiles",
    apiVersion: "beta",
    platform: "Windows",
    nameProperty: "displayName",
    graphRoot: "microsoft.graph.windowsQualityUpdateProfile",
    impliedType: "#microsoft.graph.windowsQualityUpdateProfile",
    createdWith: [],
    assign: ASSIGN_ACTION,
    readPermissions: CONFIGURATION_READ,
    computed: ["releaseDateDisplayName", "deployableContentDisplayName"],
  },
  driver_update_profile: {
    key: "driver_update_profile",
    label: "Driver update profile",
    collection: "/deviceManagement/windowsDriverUpdateProfiles",
    apiVersion: "beta",
    platform: "Windows",
    nameProperty: "displayName",
    graphRoot: "microsoft.graph.windowsDriverUpdateProfile",
    impliedType: "#microsoft.graph.windowsDriverUpdateProfile",
    createdWith: [],
    assign: ASSIGN_ACTION,
    readPermissions: CONFIGURATION_READ,
    computed: ["deviceReporting", "newUpdates", "inventorySyncStatus"],
  },
  // Update rings are device configurations of one derived type (beta windowsUpdateForBusinessConfiguration).
  update_ring: {
    key: "update_ring",
    label: "Update ring",
    collection: "/deviceManagement/deviceConfigurations",
    apiVersion: "beta",
    platform: "Windows",
    nameProperty: "displayName",
    graphRoot: "microsoft.graph.deviceConfiguration",
    createdWith: [],
    assign: ASSIGN_ACTION,
    readPermissions: CONFIGURATION_READ,
    selects: (object) => object["@odata.type"] === "#microsoft.graph.windowsUpdateForBusinessConfiguration",
  },
  endpoint_security_antivirus: endpointSecurity(
    "endpoint_security_antivirus",
    "Antivirus",
    "endpointSecurityAntivirus",
  ),
  endpoint_security_firewall: endpointSecurity("endpoint_security_firewall", "Firewall", "endpointSecurityFirewall"),
  endpoint_security_disk_encryption: endpointSecurity(
    "endpoint_security_disk_encryption",
    "Disk encryption",
    "endpointSecurityDiskEncryption",
  ),
  endpoint_security_edr: endpointSecurity(
    "endpoint_security_edr",
    "Endpoint detection and response",
    "endpointSecurityEndpointDetectionAndResponse",
  ),
  endpoint_security_asr: endpointSecurity(
    "endpoint_security_asr",
    "Attack surface reduction",
    "endpointSecurityAttackSurfaceReduction",
  ),
  endpoint_security_account_protection: endpointSecurity(
    "endpoint_security_account_protection",
    "Account protection",
    "endpointSecurityAccountProtection",
  ),

  // Entra joined and hybrid joined profiles, both derived from windowsAutopilotDeploymentProfile.
  autopilot_profile: {
    key: "autopilot_profile",
    label: "Autopilot deployment profile",
    collection: "/deviceManagement/windowsAutopilotDeploymentProfiles",
    apiVersion: "beta",
    platform: "Windows",
    nameProperty: "displayName",
    graphRoot: "microsoft.graph.windowsAutopilotDeploymentProfile",
    createdWith: [],
    // Its `/assign` takes `deviceIds`; groups are assigned one `assignments` entity at a time.
    assign: { via: "navigation", fields: [] },
    readPermissions: SERVICE_CONFIG_READ,
  },
  // App protection (MAM): /deviceAppManagement, ids like T_<guid>; the retired
  // mdmWindowsInformationProtectionPolicies (WIP with enrollment) are not inventoried.
  ios_app_protection: {
    key: "ios_app_protection",
    label: "iOS app protection",
    collection: "/deviceAppManagement/iosManagedAppProtections",
    apiVersion: "beta",
    platform: "iOS",
    nameProperty: "displayName",
    graphRoot: "microsoft.graph.iosManagedAppProtection",
    impliedType: "#microsoft.graph.iosManagedAppProtection",
    readById: PROTECTED_APPS,
    createdWith: [],
    targetsApps: { navigation: "apps", action: "targetApps", parameters: ["appGroupType"] },
    assign: ASSIGN_ACTION,
    readPermissions: APPS_READ,
    computed: APP_PROTECTION_COMPUTED,
  },
  android_app_protection: {
    key: "android_app_protection",
    label: "Android app protection",
    collection: "/deviceAppManagement/androidManagedAppProtections",
    apiVersion: "beta",
    platform: "Android",
    nameProperty: "displayName",
    graphRoot: "microsoft.graph.androidManagedAppProtection",
    impliedType: "#microsoft.graph.androidManagedAppProtection",
    readById: PROTECTED_APPS,
    createdWith: [],
    targetsApps: { navigation: "apps", action: "targetApps", parameters: ["appGroupType"] },
    assign: ASSIGN_ACTION,
    readPermissions: APPS_READ,
    computed: APP_PROTECTION_COMPUTED,
  },
  windows_app_protection: {
    key: "windows_app_protection",
    label: "Windows app protection",
    collection: "/deviceAppManagement/windowsManagedAppProtections",
    apiVersion: "beta",
    platform: "Windows",
    nameProperty: "displayName",
    graphRoot: "microsoft.graph.windowsManagedAppProtection",
    impliedType: "#microsoft.graph.windowsManagedAppProtection",
    readById: PROTECTED_APPS,
    createdWith: [],
    // Windows' targetApps takes the apps only (it is bound to windowsManagedAppProtection, not targeted*).
    targetsApps: { navigation: "apps", action: "targetApps", parameters: [] },
    assign: ASSIGN_ACTION,
    readPermissions: APPS_READ,
    computed: APP_PROTECTION_COMPUTED,
  },
  // App configuration for managed apps (MAM): key/value settings for the apps it targets, which are
  // set by targetApps as for app protection. Not tied to one platform (its apps may be any).
  managed_app_configuration: {
    key: "managed_app_configuration",
    label: "App configuration (managed apps)",
    collection: "/deviceAppManagement/targetedManagedAppConfigurations",
    apiVersion: "beta",
    nameProperty: "displayName",
    graphRoot: "microsoft.graph.targetedManagedAppConfiguration",
    impliedType: "#microsoft.graph.targetedManagedAppConfiguration",
    readById: PROTECTED_APPS,
    createdWith: [],
    targetsApps: { navigation: "apps", action: "targetApps", parameters: ["appGroupType"] },
    assign: ASSIGN_ACTION,
    readPermissions: APPS_READ,
    computed: APP_PROTECTION_COMPUTED,
  },
  // App configuration for managed devices (MDM): iOS settings or XML, Android Enterprise JSON payloads,
  // for apps of the tenant's own catalogue (`targetedMobileApps`: ids, not identifiers).
  managed_device_app_configuration: {
    key: "managed_device_app_configuration",
    label: "App configuration (managed devices)",
    collection: "/deviceAppManagement/mobileAppConfigurations",
    apiVersion: "beta",
    nameProperty: "displayName",
    // Abstract: each object is an iOS, Android Enterprise (or legacy Android for Work) configuration.
    graphRoot: "microsoft.graph.managedDeviceMobileAppConfiguration",
    createdWith: [],
    assign: ASSIGN_ACTION,
    tenantApps: { property: "targetedMobileApps" },
    // The list pages name both families of permissions (intune-apps-iosmobileappconfiguration-list).
    readPermissions: [...CONFIGURATION_READ, ...APPS_READ],
    // Intune's reports on the object (navigations, returned only if expanded): never sent nor compared.
    computed: ["deviceStatusSummary", "userStatusSummary", "deviceStatuses", "userStatuses"],
  },
  // Administrative templates (ADMX): the object holds only its name; each configured policy is a
  // definition value bound to one of Microsoft's group policy definitions, read and set on its own.
  administrative_template: {
    key: "administrative_template",
    label: "Administrative template",
    collection: "/deviceManagement/groupPolicyConfigurations",
    apiVersion: "beta",
    platform: "Windows",
    nameProperty: "displayName",
    graphRoot: "microsoft.graph.groupPolicyConfiguration",
    impliedType: "#microsoft.graph.groupPolicyConfiguration",
    // As IntuneCD (backup/Intune/GroupPolicyConfigurations.py) and IntuneManagement read them.
    pagedPart: {
      property: "definitionValues",
      expand: "definition",
      each: { property: "presentationValues", expand: "presentation" },
    },
    partSetBy: "updateDefinitionValues",
    createdWith: [],
    assign: ASSIGN_ACTION,
    readPermissions: CONFIGURATION_READ,
    // Which kind of definitions the values use (built-in, custom, mixed): follows the values.
    computed: ["policyConfigurationIngestionType"],
  },
  enrollment_status_page: {
    key: "enrollment_status_page",
    label: "Enrollment status page",
    ...ENROLLMENT,
    platform: "Windows",
    selects: isOfType("windows10EnrollmentCompletionPageConfiguration"),
    // The apps the page waits for: this tenant's own app ids (drift compares them within a tenant only).
    tenantApps: { property: "selectedMobileAppIds" },
  },
  enrollment_limit: {
    key: "enrollment_limit",
    label: "Enrollment device limit restriction",
    ...ENROLLMENT,
    selects: isOfType("deviceEnrollmentLimitConfiguration"),
  },
  // One platform each (the portal's tabs); the multi-platform kind only as the tenant's default, the one
  // Intune still lets admins edit (Windows Mobile restrictions are retired).
  enrollment_platform_restriction: {
    key: "enrollment_platform_restriction",
    label: "Enrollment platform restriction",
    ...ENROLLMENT,
    selects: (object) =>
      (isOfType("deviceEnrollmentPlatformRestrictionConfiguration")(object) &&
        object.platformType !== "windowsPhone") ||
      (isOfType("deviceEnrollmentPlatformRestrictionsConfiguration")(object) && object.priority === 0),
  },
  // The portal lists only the tenant-wide default (group-targeted Windows Hello is account protection).
  windows_hello_for_business: {
    key: "windows_hello_for_business",
    label: "Windows Hello for Business (enrollment)",
    ...ENROLLMENT,
    platform: "Windows",
    selects: isOfType("deviceEnrollmentWindowsHelloForBusinessConfiguration"),
  },
  // Endpoint security of the older kind (beta deviceManagementIntent): an instance of one of
  // Microsoft's templates (`templateId`), its settings setting instances keyed by `definitionId`
  // with their value in `valueJson`, created by the template's createInstance and changed in place
  // by `updateSettings` (intune-deviceintent-devicemanagementtemplate-createinstance, -intent-updatesettings).
  endpoint_security_intent: {
    key: "endpoint_security_intent",
    label: "Endpoint security intent",
    collection: "/deviceManagement/intents",
    apiVersion: "beta",
    nameProperty: "displayName",
    graphRoot: "microsoft.graph.deviceManagementIntent",
    impliedType: "#microsoft.graph.deviceManagementIntent",
    pagedPart: { property: "settings" },
    partSetBy: "updateSettings",
    createdBy: {
      on: "/deviceManagement/templates",
      reference: "templateId",
      action: "createInstance",
      parameters: ["displayName", "description", "roleScopeTagIds"],
      partParameter: "settingsDelta",
    },
    createdWith: [],
    assign: ASSIGN_ACTION,
    readPermissions: CONFIGURATION_READ,
    // Intune's own: whether it is assigned, and whether it is being moved to configurationPolicies.
    computed: ["isAssigned", "isMigratingToConfigurationPolicy"],
  },
  // Assignment filters (beta deviceAndAppManagementAssignmentFilter): a rule on device or app
  // properties that an assignment names by id. No `assignments` navigation and no `/assign` (beta
  // typings): not assigned. Its scope tags are `roleScopeTags`. `payloads` lists the assignments that
  // use it ("associated assignments"): Intune's own, never sent nor compared.
  assignment_filter: {
    key: "assignment_filter",
    label: "Assignment filter",
    collection: "/deviceManagement/assignmentFilters",
    apiVersion: "beta",
    nameProperty: "displayName",
    graphRoot: "microsoft.graph.deviceAndAppManagementAssignmentFilter",
    impliedType: "#microsoft.graph.deviceAndAppManagementAssignmentFilter",
    createdWith: [],
    assign: { via: "none" },
    readPermissions: CONFIGURATION_READ,
    computed: ["payloads"],
    scopeTagProperty: "roleScopeTags",
    referenceKind: "filter",
  },
  // Role scope tags (beta roleScopeTag). The built-in Default ("0", `isBuiltIn`) is Microsoft's, the
  // same in every tenant, and cannot be made or removed: not inventoried (so never backed up,
  // restored or reverted). A tag's `assignments` are auto-assignments to device groups
  // (roleScopeTagAutoAssignment), not a policy's deployment: not read (docs/decisions.md).
  scope_tag: {
    key: "scope_tag",
    label: "Scope tag",
    collection: "/deviceManagement/roleScopeTags",
    apiVersion: "beta",
    nameProperty: "displayName",
    graphRoot: "microsoft.graph.roleScopeTag",
    impliedType: "#microsoft.graph.roleScopeTag",
    createdWith: [],
    assign: { via: "none" },
    // Either family reads tags (intune-rbac-rolescopetag-list).
    readPermissions: [...CONFIGURATION_READ, ...RBAC_READ],
    selects: (object) => object.isBuiltIn !== true,
    referenceKind: "scopeTag",
  },
  // Notification message templates (beta and v1.0 notificationMessageTemplate): the texts a compliance
  // policy's `notification` action sends (by `notificationTemplateId`). Not assigned. Each locale's
  // text is a localizedNotificationMessage of the template, listed page by page and POSTed after the
  // template's create (IntuneBackupAndRestore: Invoke-IntuneRestoreNotificationTemplate.ps1).
  notification_message_template: {
    key: "notification_message_template",
    label: "Notification message template",
    collection: "/deviceManagement/notificationMessageTemplates",
    apiVersion: "beta",
    nameProperty: "displayName",
    graphRoot: "microsoft.graph.notificationMessageTemplate",
    impliedType: "#microsoft.graph.notificationMessageTemplate",
    pagedPart: {
      property: "localizedNotificationMessages",
      key: "locale",
      itemType: "#microsoft.graph.localizedNotificationMessage",
    },
    partSetBy: "navigation",
    createdWith: [],
    assign: { via: "none" },
    readPermissions: SERVICE_CONFIG_READ,
  },
};

/** The types in the order a sync reads them. */
export const INTUNE_TYPE_KEYS = Object.keys(INTUNE_TYPES) as PolicyFamily[];

export const intuneType = (key: PolicyFamily): IntuneType => INTUNE_TYPES[key];

/** Display labels by key. */
export const TYPE_LABELS = Object.fromEntries(INTUNE_TYPE_KEYS.map((k) => [k, INTUNE_TYPES[k].label])) as Record<
  PolicyFamily,
  string
>;

/** One Graph collection and the types whose objects it lists (more than one where types share it). */
export type IntuneCollection = { path: string; types: PolicyFamily[] };

/** Every collection once, in the order of its first type: what a sync or a drift check pages through. */
export const INTUNE_COLLECTIONS: IntuneCollection[] = [
  ...new Set(INTUNE_TYPE_KEYS.map((k) => INTUNE_TYPES[k].collection)),
].map((path) => ({ path, types: INTUNE_TYPE_KEYS.filter((k) => INTUNE_TYPES[k].collection === path) }));

/** The collection a type's objects are listed in. */
export const collectionOf = (family: PolicyFamily): IntuneCollection =>
  INTUNE_COLLECTIONS.find((c) => c.types.includes(family))!;

/**
 * The type of one object listed in `collection`: the sharing type that selects it, else the
 * collection's own; none when every type of the collection selects and none takes it (an enrollment
 * configuration of a kind the console does not inventory).
 */
export function typeOfObject(collection: IntuneCollection, object: Record<string, unknown>): PolicyFamily | undefined {
  const selected = collection.types.find((k) => INTUNE_TYPES[k].selects?.(object));
  return selected ?? collection.types.find((k) => !INTUNE_TYPES[k].selects);
}

/** Whether the console reads and writes the type's assignments (`assign.via` other than `none`). */
export const isAssignable = (family: PolicyFamily) => INTUNE_TYPES[family].assign.via !== "none";

/** The properties an assignment of the type carries besides its target (none for a type not assigned). */
export function assignmentFields(family: PolicyFamily): string[] {
  const how = INTUNE_TYPES[family].assign;
  return how.via === "none" ? [] : how.fields;
}

/** The property holding an object's scope tag ids (lib/intune/types.ts `scopeTagProperty`). */
export const scopeTagPropertyOf = (family: PolicyFamily) => INTUNE_TYPES[family].scopeTagProperty ?? "roleScopeTagIds";

/** Whether this object is one Microsoft makes in every tenant (lib/intune/types.ts `builtInDefault`). */
export const isBuiltInDefault = (family: PolicyFamily, object: Record<string, unknown>) =>
  INTUNE_TYPES[family].builtInDefault?.(object) ?? false;

/**
 * Whether the type's `settings` are its paged part (the settings catalog's and endpoint security's
 * instances, an intent's definition/value pairs), not a plain property (an iOS app configuration's).
 */
export const hasPagedSettings = (family: PolicyFamily) => INTUNE_TYPES[family].pagedPart?.property === "settings";
/**
 * Types whose settings are a paged navigation created with the object (the catalog's kind): replaced
 * whole by a PUT. Not an intent's, which its template's createInstance makes and updateSettings changes.
 */
export const hasCatalogSettings = (family: PolicyFamily) => INTUNE_TYPES[family].createdWith.includes("settings");
/** The items of an object's paged part as a snapshot holds them (none when the type has no part). */
export function partOf(family: PolicyFamily, content: Record<string, unknown>): Record<string, unknown>[] {
  const part = INTUNE_TYPES[family].pagedPart;
  const items = part ? content[part.property] : undefined;
  return Array.isArray(items) ? (items as Record<string, unknown>[]) : [];
}
