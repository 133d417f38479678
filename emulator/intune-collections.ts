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
  | "groupPolicyConfigurations";

export type EmulatedCollection = {
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
};

const SCRIPT_ASSIGN = {
  parameter: "deviceManagementScriptAssignments",
  // The older group assignments (targetGroupId only) are a second parameter of the same action.
  alsoAccepted: ["deviceManagementScriptGroupAssignments"],
  fields: [],
};

export const COLLECTIONS: Record<PolicyFamily, EmulatedCollection> = {
  deviceConfigurations: {
    versions: ["v1.0", "beta"],
    pageSize: 100,
    root: "microsoft.graph.deviceConfiguration",
    implied: false,
    nameProperty: "displayName",
    createdWith: [],
    listedAsNull: [],
    countsVersions: true,
    assign: { parameter: "assignments", alsoAccepted: [], fields: [] },
  },
  deviceCompliancePolicies: {
    versions: ["v1.0", "beta"],
    pageSize: 100,
    root: "microsoft.graph.deviceCompliancePolicy",
    implied: false,
    nameProperty: "displayName",
    createdWith: ["scheduledActionsForRule"],
    listedAsNull: [],
    countsVersions: true,
    assign: { parameter: "assignments", alsoAccepted: [], fields: [] },
  },
  configurationPolicies: {
    versions: ["beta"],
    pageSize: 25,
    root: "microsoft.graph.deviceManagementConfigurationPolicy",
    implied: true,
    nameProperty: "name",
    createdWith: ["settings"],
    listedAsNull: [],
    countsVersions: false,
    assign: { parameter: "assignments", alsoAccepted: [], fields: [] },
  },
  // Beta only (Intune-PowerShell-SDK#13: v1.0 answers 400); the list leaves scriptContent null
  // (IntuneManagement#100, salto-io/salto#6563).
  deviceManagementScripts: {
    versions: ["beta"],
    pageSize: 10,
    root: "microsoft.graph.deviceManagementScript",
    implied: true,
    nameProperty: "displayName",
    createdWith: [],
    listedAsNull: ["scriptContent"],
    countsVersions: false,
    assign: SCRIPT_ASSIGN,
  },
  deviceShellScripts: {
    versions: ["beta"],
    pageSize: 10,
    root: "microsoft.graph.deviceShellScript",
    implied: true,
    nameProperty: "displayName",
    createdWith: [],
    listedAsNull: ["scriptContent"],
    countsVersions: false,
    assign: SCRIPT_ASSIGN,
  },
  deviceHealthScripts: {
    versions: ["beta"],
    pageSize: 10,
    root: "microsoft.graph.deviceHealthScript",
    implied: true,
    nameProperty: "displayName",
    createdWith: [],
    listedAsNull: [],
    countsVersions: false,
    assign: {
      parameter: "deviceHealthScriptAssignments",
      alsoAccepted: [],
      fields: ["runRemediationScript", "runSchedule"],
    },
  },
  // Beta only (absent from the v1.0 CSDL); `/assign` takes `assignments` (microsoft-graph-docs,
  // windowsfeatureupdateprofile-assign).
  windowsFeatureUpdateProfiles: {
    versions: ["beta"],
    pageSize: 10,
    root: "microsoft.graph.windowsFeatureUpdateProfile",
    implied: true,
    nameProperty: "displayName",
    createdWith: [],
    listedAsNull: [],
    countsVersions: false,
    assign: { parameter: "assignments", alsoAccepted: [], fields: [] },
  },
  windowsQualityUpdateProfiles: {
    versions: ["beta"],
    pageSize: 10,
    root: "microsoft.graph.windowsQualityUpdateProfile",
    implied: true,
    nameProperty: "displayName",
    createdWith: [],
    listedAsNull: [],
    countsVersions: false,
    assign: { parameter: "assignments", alsoAccepted: [], fields: [] },
  },
  windowsDriverUpdateProfiles: {
    versions: ["beta"],
    pageSize: 10,
    root: "microsoft.graph.windowsDriverUpdateProfile",
    implied: true,
    nameProperty: "displayName",
    createdWith: [],
    listedAsNull: [],
    countsVersions: false,
    assign: { parameter: "assignments", alsoAccepted: [], fields: [] },
  },
  // Administrative templates: beta only (Microsoft's reference has only the beta page); values are
  // set after the create by `updateDefinitionValues` (emulator/routes-admx.ts); `/assign` takes
  // `assignments` (intune-grouppolicy-grouppolicyconfiguration-assign).
  groupPolicyConfigurations: {
    versions: ["beta"],
    pageSize: 10,
    root: "microsoft.graph.groupPolicyConfiguration",
    implied: true,
    nameProperty: "displayName",
    createdWith: [],
    listedAsNull: [],
    countsVersions: false,
    assign: { parameter: "assignments", alsoAccepted: [], fields: [] },
  },
};

export const POLICY_FAMILIES = Object.keys(COLLECTIONS) as PolicyFamily[];
