import { seededGuid } from "./directory";

/** Intune role definitions (the built-in ones every tenant has) and the assignments made to them. */
export type RoleDefinition = {
  id: string;
  displayName: string;
  description: string;
  isBuiltIn: boolean;
  rolePermissions: { resourceActions: { allowedResourceActions: string[] }[] }[];
};
export type RoleAssignment = {
  id: string;
  displayName: string;
  description: string;
  members: string[];
  scopeMembers: string[];
  resourceScopes: string[];
  roleDefinitionId: string;
};

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

/** The id in a `roleDefinition@odata.bind` value, in either form Graph accepts:
 *  …/roleDefinitions('id') or …/roleDefinitions/id. */
export function roleDefinitionIdFromBind(bind: unknown): string | undefined {
  if (typeof bind !== "string") return undefined;
  const match = /\/roleDefinitions(?:\('([^']+)'\)|\/([^/?#]+))\/?$/.exec(bind);
  return match?.[1] ?? match?.[2];
}
