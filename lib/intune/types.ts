import type { PolicyFamily } from "@/db/schema/inventory";
import { type AnyOf, CONFIGURATION_READ, SCRIPTS_READ } from "@/lib/operations/permissions";

/**
 * Every Intune object type the console inventories, backs up, restores and compares: one descriptor
 * each, read by inventory (workers/intune.ts), backup, restore (lib/restores/payload.ts, lib/graph/
 * writable.ts) and drift instead of switching on the type. Each fact is Microsoft's, with its source
 * in docs/graph-fidelity.md ("Object types"). Adding a type: a value in `policy_family` (one
 * migration), a descriptor here, its root in lib/graph/writable-derivation.ts, and the emulator's
 * own collection (emulator/intune-collections.ts).
 */
export type IntuneType = {
  key: PolicyFamily;
  label: string;
  /** The collection under Graph's beta endpoint (the settings catalog and the script types exist only there). */
  collection: string;
  apiVersion: "beta";
  /** The platform of every object of the type, when the type itself says it (else read from the object). */
  platform?: "Windows" | "macOS";
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
   * administrative template's `updateDefinitionValues`: lib/intune/definition-values.ts).
   */
  partSetBy?: "updateDefinitionValues";
  /** Navigation properties a create carries in its own body (deep insert). */
  createdWith: ("settings" | "scheduledActionsForRule")[];
  /**
   * How the object is assigned: read from its `assignments` navigation, set by the `/assign` action,
   * whose parameter is named per type; `fields` are the assignment's properties besides `target`
   * that the action carries.
   */
  assign: { parameter: string; fields: string[] };
  /** The application permissions Graph accepts for listing the type (lib/operations/permissions.ts). */
  readPermissions: AnyOf;
  /**
   * Properties Intune sets and refreshes itself (reports, counters, display strings of what it
   * deploys) that the metadata does not mark read-only: never sent (lib/graph/writable.ts treats them
   * as read-only), not compared by drift, not part of a version's hash.
   */
  computed?: string[];
};

export type PagedPart = {
  property: "settings" | "definitionValues";
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
const SCRIPT_ASSIGN = { parameter: "deviceManagementScriptAssignments", fields: [] };

export const INTUNE_TYPES: Record<PolicyFamily, IntuneType> = {
  device_configuration: {
    key: "device_configuration",
    label: "Device configuration",
    collection: "/deviceManagement/deviceConfigurations",
    apiVersion: "beta",
    nameProperty: "displayName",
    graphRoot: "microsoft.graph.deviceConfiguration",
    createdWith: [],
    assign: { parameter: "assignments", fields: [] },
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
    assign: { parameter: "assignments", fields: [] },
    readPermissions: CONFIGURATION_READ,
  },
  settings_catalog: {
    key: "settings_catalog",
    label: "Settings catalog",
    collection: "/deviceManagement/configurationPolicies",
    apiVersion: "beta",
    nameProperty: "name",
    graphRoot: "microsoft.graph.deviceManagementConfigurationPolicy",
    impliedType: "#microsoft.graph.deviceManagementConfigurationPolicy",
    pagedPart: { property: "settings" },
    createdWith: ["settings"],
    assign: { parameter: "assignments", fields: [] },
    readPermissions: CONFIGURATION_READ,
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
    assign: { parameter: "deviceHealthScriptAssignments", fields: ["runRemediationScript", "runSchedule"] },
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
    assign: { parameter: "assignments", fields: [] },
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
    assign: { parameter: "assignments", fields: [] },
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
    assign: { parameter: "assignments", fields: [] },
    readPermissions: CONFIGURATION_READ,
    computed: ["deviceReporting", "newUpdates", "inventorySyncStatus"],
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
    assign: { parameter: "assignments", fields: [] },
    readPermissions: CONFIGURATION_READ,
    // Which kind of definitions the values use (built-in, custom, mixed): follows the values.
    computed: ["policyConfigurationIngestionType"],
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

/** The items of an object's paged part as a snapshot holds them (none when the type has no part). */
export function partOf(family: PolicyFamily, content: Record<string, unknown>): Record<string, unknown>[] {
  const part = INTUNE_TYPES[family].pagedPart;
  const items = part ? content[part.property] : undefined;
  return Array.isArray(items) ? (items as Record<string, unknown>[]) : [];
}
