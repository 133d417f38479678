import type { OperationType } from "./registry";

/**
 * The Microsoft Graph application permissions each operation needs, defined once: `tenant.verify`
 * checks an app's token against it, the README's real-tenant section is checked against it, and a
 * 403 names what is missing from it. Each requirement is a set Graph accepts any one of, least
 * privileged first (what to ask an administrator for), as the "Permissions" table of the Graph
 * reference page of each endpoint lists them (sources in docs/graph-fidelity.md).
 */
export type AnyOf = readonly [string, ...string[]];

/** GET /organization (learn.microsoft.com/graph/api/organization-list). */
const ORGANIZATION_READ: AnyOf = [
  "Organization.Read.All",
  "Directory.Read.All",
  "Organization.ReadWrite.All",
  "Directory.ReadWrite.All",
];
/** GET /groups, /groups/delta, /groups/{id} (group-list, group-delta, group-get). */
const GROUP_READ: AnyOf = [
  "GroupMember.Read.All",
  "Group.Read.All",
  "Directory.Read.All",
  "Group.ReadWrite.All",
  "Directory.ReadWrite.All",
];
/** Reading device configurations, compliance policies, the settings catalog, their assignments. */
export const CONFIGURATION_READ: AnyOf = [
  "DeviceManagementConfiguration.Read.All",
  "DeviceManagementConfiguration.ReadWrite.All",
];
/** Creating them and `/assign`. */
export const CONFIGURATION_WRITE: AnyOf = ["DeviceManagementConfiguration.ReadWrite.All"];
/**
 * PowerShell scripts, shell scripts and remediations: their own permissions since the week of July
 * 28, 2025 (Intune "What's new"; the beta deviceManagementScript / deviceHealthScript pages).
 */
export const SCRIPTS_READ: AnyOf = ["DeviceManagementScripts.Read.All", "DeviceManagementScripts.ReadWrite.All"];
export const SCRIPTS_WRITE: AnyOf = ["DeviceManagementScripts.ReadWrite.All"];
/**
 * Windows Autopilot deployment profiles (and enrollment settings): the beta list and get pages of
 * windowsAutopilotDeploymentProfile name only DeviceManagementServiceConfig.* for applications.
 */
export const SERVICE_CONFIG_READ: AnyOf = [
  "DeviceManagementServiceConfig.Read.All",
  "DeviceManagementServiceConfig.ReadWrite.All",
];
export const SERVICE_CONFIG_WRITE: AnyOf = ["DeviceManagementServiceConfig.ReadWrite.All"];
/**
 * App protection and app configuration policies under /deviceAppManagement: their beta list pages
 * name only DeviceManagementApps.* for application permissions (intune-mam-iosmanagedappprotection-list).
 */
export const APPS_READ: AnyOf = ["DeviceManagementApps.Read.All", "DeviceManagementApps.ReadWrite.All"];
export const APPS_WRITE: AnyOf = ["DeviceManagementApps.ReadWrite.All"];
/** Intune role definitions and role assignments. */
export const RBAC_READ: AnyOf = ["DeviceManagementRBAC.Read.All", "DeviceManagementRBAC.ReadWrite.All"];
const RBAC_WRITE: AnyOf = ["DeviceManagementRBAC.ReadWrite.All"];

/** Every requirement must be met (one permission of each set). */
export const OPERATION_PERMISSIONS: Record<OperationType, readonly AnyOf[]> = {
  "tenant.verify": [ORGANIZATION_READ],
  "directory_groups.sync": [GROUP_READ],
  "inventory.sync": [CONFIGURATION_READ, SCRIPTS_READ, SERVICE_CONFIG_READ, APPS_READ],
  // A backup reads encrypted OMA-URI values in plain text, which Graph allows only with ReadWrite.All
  // (learn.microsoft.com/graph/api/intune-deviceconfig-deviceconfiguration-getomasettingplaintextvalue).
  "backup_set.create": [CONFIGURATION_WRITE, SCRIPTS_READ, SERVICE_CONFIG_READ, APPS_READ],
  "restore.execute": [CONFIGURATION_WRITE, SCRIPTS_WRITE, SERVICE_CONFIG_WRITE, APPS_WRITE],
  "rbac_roles.sync": [RBAC_READ],
  "rbac.assign": [RBAC_WRITE],
  "drift.detect": [CONFIGURATION_READ, SCRIPTS_READ, SERVICE_CONFIG_READ, APPS_READ],
  // Accepting works on the console's own database only; reverting updates (or recreates) a policy.
  "drift.accept": [],
  "drift.revert": [CONFIGURATION_WRITE, SCRIPTS_WRITE, SERVICE_CONFIG_WRITE, APPS_WRITE],
  // Retention works on the console's own database only.
  "maintenance.prune": [],
  "retention.apply": [],
  "backup_set.delete": [],
  // Filters need DeviceManagementConfiguration.Read.All; scope tags accept it too (intune-rbac-rolescopetag-list).
  "directory_references.sync": [CONFIGURATION_READ],
};

/** Operations that call Intune, which answers only in a tenant with an Intune subscription. */
export const INTUNE_OPERATIONS: readonly OperationType[] = [
  "inventory.sync",
  "backup_set.create",
  "restore.execute",
  "rbac_roles.sync",
  "rbac.assign",
  "drift.detect",
  "drift.revert",
  "directory_references.sync",
];

/**
 * The delegated permission "Sign in with Microsoft" asks for: the RBAC wizard's group search
 * (GET /groups?$search as the user; group-list lists GroupMember.Read.All as least privileged).
 */
export const GROUP_SEARCH_SCOPE = "GroupMember.Read.All";

/** One permission to grant, the operations that need it, and what Graph would accept instead. */
export type PermissionGap = { permission: string; alternatives: string[]; operations: OperationType[] };

/**
 * What the app lacks, as the fewest permissions to grant: each gap names the least privileged
 * permission that covers the most unmet requirements (so an app without any Intune configuration
 * permission is told DeviceManagementConfiguration.ReadWrite.All once, for every operation needing
 * either), with the permissions that would cover the same operations as alternatives.
 */
export function permissionGaps(
  granted: readonly string[],
  requirements: Partial<Record<OperationType, readonly AnyOf[]>> = OPERATION_PERMISSIONS,
): PermissionGap[] {
  let unmet = (Object.entries(requirements) as [OperationType, readonly AnyOf[]][]).flatMap(([operation, sets]) =>
    sets.filter((set) => !set.some((p) => granted.includes(p))).map((set) => ({ operation, set })),
  );
  const gaps: PermissionGap[] = [];
  while (unmet.length > 0) {
    const candidates = [...new Set(unmet.flatMap((u) => u.set))].map((permission) => ({
      permission,
      covers: unmet.filter((u) => u.set.includes(permission)).length,
      rank: Math.min(...unmet.filter((u) => u.set.includes(permission)).map((u) => u.set.indexOf(permission))),
    }));
    candidates.sort((a, b) => b.covers - a.covers || a.rank - b.rank);
    const { permission } = candidates[0]!;
    const covered = unmet.filter((u) => u.set.includes(permission));
    const alternatives = covered[0]!.set.filter((p) => p !== permission && covered.every((u) => u.set.includes(p)));
    gaps.push({ permission, alternatives, operations: [...new Set(covered.map((u) => u.operation))] });
    unmet = unmet.filter((u) => !u.set.includes(permission));
  }
  return gaps;
}
