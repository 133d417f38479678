import { seededGuid } from "./directory";
import type { EmulatedGroup } from "./groups";

/** Intune role definitions (the built-in ones every tenant has) and the assignments made to them. */
export type RoleDefinition = {
  id: string;
  displayName: string;
  description: string;
  isBuiltIn: boolean;
  rolePermissions: { resourceActions: { allowedResourceActions: string[] }[] }[];
};

/** beta `roleAssignmentScopeType` (msgraph-metadata beta enum; learn.microsoft.com
 *  graph/api/resources/intune-rbac-roleassignmentscopetype). */
export const SCOPE_TYPES = ["resourceScope", "allDevices", "allLicensedUsers", "allDevicesAndLicensedUsers"] as const;
export type ScopeType = (typeof SCOPE_TYPES)[number];

/**
 * A role assignment as the emulator stores it. The role it grants is a navigation link, not a
 * property: Graph's `deviceAndAppManagementRoleAssignment` has no `roleDefinitionId`, so
 * `roleDefinitionLink` is never serialised, only followed (`$expand=roleDefinition`,
 * `…/roleAssignments/{id}/roleDefinition`).
 */
export type RoleAssignment = {
  id: string;
  displayName: string;
  description: string;
  members: string[];
  /** Scope groups, in v1.0 and beta (the Intune portal writes these). */
  resourceScopes: string[];
  /** Scope groups as the beta type also names them (beta only). */
  scopeMembers: string[];
  /** beta only; `resourceScope` means "the groups in resourceScopes". */
  scopeType: ScopeType;
  /** beta only; "0" is Intune's built-in Default scope tag. */
  roleScopeTagIds: string[];
  roleDefinitionLink: string;
};

export type GraphVersion = "v1.0" | "beta";

/**
 * The properties `deviceAndAppManagementRoleAssignment` defines, per version, with those it inherits
 * from `roleAssignment` and `entity` (msgraph-metadata schemas/type-mappings/{v1.0,beta}-entity-types.json
 * and v1.0-Prod.csdl). A body naming anything else is refused as Graph refuses an unknown property.
 */
export const ASSIGNMENT_PROPERTIES: Record<GraphVersion, readonly string[]> = {
  "v1.0": ["id", "displayName", "description", "resourceScopes", "members"],
  beta: [
    "id",
    "displayName",
    "description",
    "resourceScopes",
    "scopeMembers",
    "scopeType",
    "members",
    "roleScopeTagIds",
  ],
};
/** Its navigation properties: what `$expand` and `…@odata.bind` may name. */
export const ASSIGNMENT_NAVIGATION: Record<GraphVersion, readonly string[]> = {
  "v1.0": ["roleDefinition"],
  beta: ["roleDefinition", "roleScopeTags"],
};
export const ASSIGNMENT_TYPE = "microsoft.graph.deviceAndAppManagementRoleAssignment";

/** The assignment as Graph returns it in `version`: beta adds the scope members, scope type and scope tags. */
export function assignmentAsGraph(a: RoleAssignment, version: GraphVersion): Record<string, unknown> {
  const shape: Record<string, unknown> = {
    "@odata.type": `#${ASSIGNMENT_TYPE}`,
    id: a.id,
    displayName: a.displayName,
    description: a.description,
  };
  if (version === "beta") Object.assign(shape, { scopeMembers: a.scopeMembers, scopeType: a.scopeType });
  Object.assign(shape, { resourceScopes: a.resourceScopes, members: a.members });
  if (version === "beta") shape.roleScopeTagIds = a.roleScopeTagIds;
  return shape;
}

export function definitionAsGraph(d: RoleDefinition): Record<string, unknown> {
  return { "@odata.type": "#microsoft.graph.deviceAndAppManagementRoleDefinition", ...d };
}

const BUILT_IN = [
  [
    "Policy and Profile manager",
    "Manages compliance policy, configuration profiles, Apple enrollment and corporate device identifiers.",
    ["Microsoft.Intune_DeviceConfigurations_Read", "Microsoft.Intune_DeviceConfigurations_Update"],
  ],
  [
    "Help Desk Operator",
    "Performs remote tasks on users and devices, and can assign applications or policies to users or devices.",
    ["Microsoft.Intune_RemoteTasks_Wipe", "Microsoft.Intune_ManagedDevices_Read"],
  ],
  [
    "Read Only Operator",
    "Views user, device, enrollment, configuration, and application information.",
    ["Microsoft.Intune_DeviceConfigurations_Read", "Microsoft.Intune_ManagedDevices_Read"],
  ],
  [
    "Application Manager",
    "Manages mobile and managed applications, reads device information and device configuration profiles.",
    ["Microsoft.Intune_MobileApps_Assign", "Microsoft.Intune_MobileApps_Read"],
  ],
  [
    "Endpoint Security Manager",
    "Manages security and compliance features such as security baselines and device compliance.",
    ["Microsoft.Intune_EndpointProtection_Read", "Microsoft.Intune_DeviceCompliancePolices_Update"],
  ],
] as const;

export function seedRoleDefinitions(seed: number, tenantKey: string): RoleDefinition[] {
  return BUILT_IN.map(([displayName, description, actions], i) => ({
    id: seededGuid(seed, `role:${tenantKey}:${i}`),
    displayName,
    description,
    isBuiltIn: true,
    rolePermissions: [{ resourceActions: [{ allowedResourceActions: [...actions] }] }],
  }));
}

/** A tenant's built-in roles and the assignments its admins already made in the portal. */
export function seedRbac(seed: number, tenantKey: string, groups: EmulatedGroup[]) {
  const definitions = seedRoleDefinitions(seed, tenantKey);
  return { definitions, assignments: seedRoleAssignments(seed, { tenantKey, definitions, groups }) };
}

/**
 * Assignments an admin made in the Intune portal before the console came: scope groups in
 * `resourceScopes` only (beta `scopeMembers` empty), and one scoped to all devices and licensed
 * users with no groups at all. Needs a few security groups; a tenant seeded without groups gets none.
 */
export function seedRoleAssignments(
  seed: number,
  { tenantKey, definitions, groups }: { tenantKey: string; definitions: RoleDefinition[]; groups: EmulatedGroup[] },
): RoleAssignment[] {
  const security = groups.filter((g) => g.securityEnabled).slice(0, 4);
  if (security.length < 4) return [];
  const [admins, scopeA, scopeB, auditors] = security.map((g) => g.id) as [string, string, string, string];
  const portal = { scopeMembers: [], roleScopeTagIds: ["0"] };
  return [
    {
      ...portal,
      id: seededGuid(seed, `role-assignment:${tenantKey}:0`),
      displayName: "Service desk (portal)",
      description: "Made in the Intune admin center",
      members: [admins],
      resourceScopes: [scopeA, scopeB],
      scopeType: "resourceScope",
      roleDefinitionLink: definitions[1]!.id,
    },
    {
      ...portal,
      id: seededGuid(seed, `role-assignment:${tenantKey}:1`),
      displayName: "Auditors, whole tenant (portal)",
      description: "Made in the Intune admin center",
      members: [auditors],
      resourceScopes: [],
      scopeType: "allDevicesAndLicensedUsers",
      roleDefinitionLink: definitions[2]!.id,
    },
  ];
}

/**
 * The role definition id a `roleDefinition@odata.bind` names, in either URL form Graph accepts
 * (`…/roleDefinitions('id')` or `…/roleDefinitions/id`), provided it points at this service:
 * an absolute URL of `origin` (the emulator's own, as a national cloud's Graph has its own host).
 */
export function roleDefinitionIdFromBind(bind: unknown, origin: string): string | undefined {
  if (typeof bind !== "string" || !URL.canParse(bind)) return undefined;
  const url = new URL(bind);
  if (url.origin !== origin) return undefined;
  const match = /^\/(?:v1\.0|beta)\/deviceManagement\/roleDefinitions(?:\('([^']+)'\)|\/([^/?#]+))\/?$/.exec(
    url.pathname,
  );
  return match?.[1] ?? match?.[2];
}
