import { type LastRun, LastRunLink } from "@/components/operations/last-run-link";
import { StartOperationButton } from "@/components/operations/start-operation-button";
import { Card } from "@/components/ui/card";
import { TextLink } from "@/components/ui/text-link";
import { getDb } from "@/db/client";
import type { MembershipRole } from "@/db/schema/enums";
import { microsoftSignInAvailable } from "@/lib/auth/options";
import { sessionMicrosoft } from "@/lib/auth/session";
import { paths } from "@/lib/paths";
import { searchDirectoryGroupsAction } from "@/lib/rbac/actions";
import { listRoleAssignments, listRoleDefinitions } from "@/lib/rbac/roles";
import { roleAtLeast, roleShortfall } from "@/lib/tenants/roles";
import { RoleAssignmentWizard } from "./role-assignment-wizard";

const groupNames = (groups: { id: string; name: string | null }[]) =>
  groups.length ? groups.map((g) => g.name ?? g.id).join(", ") : "—";

/** Intune RBAC on the tenant page: cached roles and assignments (database only) and the wizard. */
export async function IntuneRolesCard({
  tenantId,
  tenantGuid,
  role,
  lastSync,
}: {
  tenantId: string;
  tenantGuid: string;
  role: MembershipRole;
  /** The latest roles sync, read by the overview with its other last runs. */
  lastSync: LastRun;
}) {
  const db = getDb();
  const [definitions, assignments, microsoft] = await Promise.all([
    listRoleDefinitions(db, tenantId),
    listRoleAssignments(db, tenantId),
    sessionMicrosoft(),
  ]);
  const searchDisabledReason = !microsoft
    ? "Group search is off: it searches Entra ID as you, with your own Microsoft sign-in, and this session has none (you signed in with a password)."
    : microsoft.tenantGuid && microsoft.tenantGuid !== tenantGuid
      ? "Group search is off here: your Microsoft sign-in belongs to another tenant, and it can only search its own directory. Sign in with an account of this tenant."
      : undefined;
  // Giving an Intune role is an owner's decision; syncing the roles is an operator's.
  const canAssign = roleAtLeast(role, "owner");
  return (
    <Card id="intune-roles" className="space-y-5" data-testid="intune-roles">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="space-y-1 text-sm">
          <h2 className="text-lg font-semibold">Intune roles</h2>
          <p className="text-muted">
            {definitions.length} role definitions and {assignments.length} assignments cached ·{" "}
            <LastRunLink tenantId={tenantId} run={lastSync} label="last sync" />
          </p>
        </div>
        <StartOperationButton
          tenantId={tenantId}
          type="rbac_roles.sync"
          label="Sync Intune roles"
          variant="secondary"
          disabledReason={roleShortfall(role, "operator")}
        />
      </div>
      {assignments.length ? (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="role-assignments">
            <thead className="text-xs uppercase tracking-wide text-muted">
              <tr>
                <th className="py-1 pr-4 font-medium">Assignment</th>
                <th className="py-1 pr-4 font-medium">Role</th>
                <th className="py-1 pr-4 font-medium">Members</th>
                <th className="py-1 pr-4 font-medium">Scope</th>
                <th className="py-1 font-medium">Made by</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {assignments.map(({ assignment: a, roleName }) => (
                <tr key={a.id}>
                  <td className="py-2 pr-4 font-medium">{a.displayName}</td>
                  <td className="py-2 pr-4">{roleName ?? a.roleDefinitionId}</td>
                  <td className="py-2 pr-4">{groupNames(a.members)}</td>
                  <td className="py-2 pr-4">{groupNames(a.scopeMembers)}</td>
                  <td className="py-2">
                    {a.runId ? <TextLink href={paths.run(tenantId, a.runId)}>run</TextLink> : "found by sync"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="text-sm text-muted">No role assignments cached.</p>
      )}
      {canAssign ? (
        <div className="border-t border-zinc-100 pt-4 dark:border-zinc-800">
          <h3 className="mb-3 font-medium">Assign a role</h3>
          <RoleAssignmentWizard
            tenantId={tenantId}
            roles={definitions.map((d) => ({ id: d.id, displayName: d.displayName, description: d.description }))}
            search={searchDirectoryGroupsAction.bind(null, tenantId)}
            searchDisabledReason={searchDisabledReason}
            canSignIn={microsoftSignInAvailable()}
            passwordSession={!microsoft}
          />
        </div>
      ) : null}
    </Card>
  );
}
