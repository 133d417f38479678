import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { DetailHeader } from "@/components/ui/detail-header";
import { TextLink } from "@/components/ui/text-link";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { orNotFound, tenantPageAccess } from "@/lib/auth/guards";
import { assignmentFilterIds, referenceNames, scopeTagIdsOf } from "@/lib/directory/references";
import { isAssignable } from "@/lib/intune/types";
import { diffContent } from "@/lib/inventory/diff";
import { FAMILY_LABELS, getPolicy, groupNames } from "@/lib/inventory/queries";
import { paths } from "@/lib/paths";

export const metadata: Metadata = { title: "Policy" };

type Target = {
  "@odata.type"?: string;
  groupId?: string;
  deviceAndAppManagementAssignmentFilterId?: string | null;
  deviceAndAppManagementAssignmentFilterType?: string;
};

const TARGET_LABELS: Record<string, string> = {
  "#microsoft.graph.groupAssignmentTarget": "Included group",
  "#microsoft.graph.exclusionGroupAssignmentTarget": "Excluded group",
  "#microsoft.graph.allLicensedUsersAssignmentTarget": "All users",
  "#microsoft.graph.allDevicesAssignmentTarget": "All devices",
};

/** One policy: current content, assignments (group names from the directory cache), versions, diff. */
export default async function PolicyPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenantId: string; policyId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { tenantId, policyId } = await params;
  const { tenant, role } = await tenantPageAccess(tenantId);
  const db = getDb();
  // A viewer's copy has its secret values masked: they never reach the rendered page.
  const { policy, versions } = await orNotFound(() => getPolicy(db, { tenantId: tenant.id, policyId, role }));
  const targets = ((policy.content.assignments as { target?: Target }[] | undefined) ?? []).map((a) => a.target ?? {});
  const [names, filterNames, tagNames] = await Promise.all([
    groupNames(
      db,
      tenant.id,
      targets.map((t) => t.groupId ?? ""),
    ),
    referenceNames(db, { tenantId: tenant.id, kind: "filter", ids: assignmentFilterIds(policy.content) }),
    referenceNames(db, { tenantId: tenant.id, kind: "scopeTag", ids: scopeTagIdsOf(policy.family, policy.content) }),
  ]);
  const tags = scopeTagIdsOf(policy.family, policy.content);

  const query = await searchParams;
  const pick = (key: string, fallback: number | undefined) => {
    const n = Number(query[key]);
    return versions.some((v) => v.version === n) ? n : fallback;
  };
  const to = pick("to", versions[0]?.version);
  const from = pick("from", versions[1]?.version);
  const before = versions.find((v) => v.version === from);
  const after = versions.find((v) => v.version === to);
  const changes = before && after ? diffContent(before.content, after.content) : [];
  const base = paths.policy(tenant.id, policy.id);

  return (
    <div className="space-y-6" data-testid="policy-detail">
      <DetailHeader back={{ href: paths.policies(tenant.id), label: "Policies" }} title={policy.name}>
        <p className="text-sm text-muted">
          {FAMILY_LABELS[policy.family]} · {policy.platform} · <code className="text-xs">{policy.odataType}</code>
          {policy.deleted ? " · deleted in Intune" : ""}
        </p>
      </DetailHeader>

      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-1">
          <h3 className="mb-3 font-semibold">Assignments</h3>
          {!isAssignable(policy.family) ? (
            <p className="text-sm text-muted">Objects of this type are not assigned to groups.</p>
          ) : targets.length === 0 ? (
            <p className="text-sm text-muted">Not assigned.</p>
          ) : (
            <ul className="space-y-2 text-sm" data-testid="policy-assignments">
              {targets.map((t, i) => (
                <li key={i}>
                  <span className="font-medium">{TARGET_LABELS[t["@odata.type"] ?? ""] ?? t["@odata.type"]}</span>
                  {t.groupId ? (
                    <span className="block text-muted">
                      {names.get(t.groupId) ?? (
                        <span title="Sync groups to see its name">{t.groupId} (not in the group cache)</span>
                      )}
                    </span>
                  ) : null}
                  {t.deviceAndAppManagementAssignmentFilterId &&
                  t.deviceAndAppManagementAssignmentFilterType !== "none" ? (
                    <span className="block text-xs text-muted" data-testid="assignment-filter">
                      Filter ({t.deviceAndAppManagementAssignmentFilterType}):{" "}
                      {filterNames.get(t.deviceAndAppManagementAssignmentFilterId) ?? (
                        <span title="Sync filters and scope tags to see its name">
                          {t.deviceAndAppManagementAssignmentFilterId} (not in the filter cache)
                        </span>
                      )}
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          {tags.length ? (
            <p className="mt-3 text-sm" data-testid="policy-scope-tags">
              <span className="font-medium">Scope tags: </span>
              {tags
                .map((id) => tagNames.get(id) ?? (id === "0" ? "Default" : `${id} (not in the scope tag cache)`))
                .join(", ")}
            </p>
          ) : null}
        </Card>
        <Card className="overflow-x-auto lg:col-span-2">
          <h3 className="mb-3 font-semibold">Versions</h3>
          <table className="w-full text-left text-sm" data-testid="policy-versions">
            <thead className="text-xs uppercase tracking-wide text-muted">
              <tr>
                <th className="py-1 font-medium">Version</th>
                <th className="py-1 font-medium">Seen</th>
                <th className="py-1 font-medium">Content hash</th>
                <th className="py-1 font-medium">Sync run</th>
                <th className="py-1 font-medium" />
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {versions.map((v) => (
                <tr key={v.version}>
                  <td className="py-1.5 tabular-nums">{v.version}</td>
                  <td className="py-1.5">
                    <Time date={v.createdAt} />
                  </td>
                  <td className="py-1.5 font-mono text-xs">{v.contentHash.slice(0, 12)}</td>
                  <td className="py-1.5">
                    {v.runId ? <TextLink href={paths.run(tenant.id, v.runId)}>run</TextLink> : "—"}
                  </td>
                  <td className="py-1.5 text-right">
                    {v.version > 1 ? (
                      <TextLink href={`${base}?from=${v.version - 1}&to=${v.version}`}>
                        Compare with {v.version - 1}
                      </TextLink>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      </div>

      {before && after ? (
        <Card className="overflow-x-auto">
          <h3 className="mb-3 font-semibold">
            Changes from version {before.version} to {after.version}
          </h3>
          {changes.length === 0 ? (
            <p className="text-sm text-muted">No differences.</p>
          ) : (
            <table className="w-full text-left text-sm" data-testid="policy-diff">
              <thead className="text-xs uppercase tracking-wide text-muted">
                <tr>
                  <th className="py-1 font-medium">Setting</th>
                  <th className="py-1 font-medium">Version {before.version}</th>
                  <th className="py-1 font-medium">Version {after.version}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 font-mono text-xs dark:divide-zinc-800">
                {changes.map((c) => (
                  <tr key={c.path} data-kind={c.kind}>
                    <td className="py-1.5 pr-3">{c.path}</td>
                    <td className="py-1.5 pr-3 text-red-700 dark:text-red-400">{c.before ?? "—"}</td>
                    <td className="py-1.5 text-green-700 dark:text-green-400">{c.after ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      ) : null}

      <Card>
        <details>
          <summary className="cursor-pointer font-semibold">Current content</summary>
          <pre className="mt-3 max-h-[32rem] overflow-auto rounded-md bg-zinc-50 p-3 text-xs dark:bg-zinc-800/50">
            {JSON.stringify(policy.content, null, 2)}
          </pre>
        </details>
      </Card>
    </div>
  );
}
