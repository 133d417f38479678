import { z } from "zod";

/**
 * An Intune role assignment the way Microsoft documents it
 * (learn.microsoft.com graph/api/resources/intune-rbac-deviceandappmanagementroleassignment):
 * it has no `roleDefinitionId` property — the role is only reachable through the `roleDefinition`
 * navigation property, so the list is read with `$expand=roleDefinition` — and its scope groups
 * are `resourceScopes` (v1.0 and beta; what the Intune portal writes) and, in beta only,
 * `scopeMembers`. See docs/graph-fidelity.md.
 */
export const ROLE_ASSIGNMENTS_PATH = "/deviceManagement/roleAssignments?$expand=roleDefinition";

const ids = z.array(z.string()).nullish();
const graphRoleAssignment = z.object({
  id: z.string().min(1),
  displayName: z.string().nullish(),
  members: ids,
  resourceScopes: ids,
  scopeMembers: ids,
  roleDefinition: z.object({ id: z.string().min(1) }).nullish(),
});

/** What the console keeps of a role assignment: its role when Graph named it, and group ids. */
export type RoleAssignmentRecord = {
  id: string;
  displayName: string;
  /** Undefined when Graph's answer did not carry the role (the console then keeps what it knew). */
  roleDefinitionId?: string;
  members: string[];
  /** Scope groups: `resourceScopes` and `scopeMembers` together, each group once. */
  scopeGroups: string[];
};

export function roleAssignmentFromGraph(raw: unknown): RoleAssignmentRecord {
  const a = graphRoleAssignment.parse(raw);
  return {
    id: a.id,
    displayName: a.displayName ?? "",
    roleDefinitionId: a.roleDefinition?.id,
    members: [...new Set(a.members ?? [])],
    scopeGroups: [...new Set([...(a.resourceScopes ?? []), ...(a.scopeMembers ?? [])])],
  };
}

/**
 * The body that creates a role assignment. Scope groups go in `resourceScopes` only: the property
 * both v1.0 and beta define, the one the portal, Microsoft365DSC and IntuneManagement write, and
 * the one `scopeType: resourceScope` (the default) documents as the assignment's scope. The role
 * is bound on the Graph host the console is configured for (national clouds have their own).
 */
export function roleAssignmentCreateBody({
  graphUrl,
  roleDefinitionId,
  displayName,
  description,
  members,
  scopeGroups,
}: {
  graphUrl: string;
  roleDefinitionId: string;
  displayName: string;
  description: string;
  members: string[];
  scopeGroups: string[];
}) {
  const root = graphUrl.replace(/\/+$/, "");
  return {
    "@odata.type": "#microsoft.graph.deviceAndAppManagementRoleAssignment",
    displayName,
    description,
    members,
    resourceScopes: scopeGroups,
    "roleDefinition@odata.bind": `${root}/beta/deviceManagement/roleDefinitions('${roleDefinitionId}')`,
  };
}
