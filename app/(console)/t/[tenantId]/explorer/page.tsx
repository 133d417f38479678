import type { Metadata } from "next";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { InputFilter } from "@/components/ui/filter-fields";
import { TableShell } from "@/components/ui/table";
import { TextLink } from "@/components/ui/text-link";
import { getDb } from "@/db/client";
import { tenantPageAccess } from "@/lib/auth/guards";
import { reachLabel } from "@/lib/explorer/csv";
import type { GroupAssignment, PolicyTarget } from "@/lib/explorer/queries";
import { explorerSelectionSchema, readExplorerView } from "@/lib/explorer/view";
import { isAssignable } from "@/lib/intune/types";
import { FAMILY_LABELS } from "@/lib/inventory/queries";
import { paths } from "@/lib/paths";

export const metadata: Metadata = { title: "Assignment explorer" };

const KIND_LABELS: Record<GroupAssignment["kind"], string> = {
  group: "Include",
  exclusion_group: "Exclude",
  all_users: "Include (all users)",
  all_devices: "Include (all devices)",
  other: "Other target",
};

const familyLabel = (family: string) => FAMILY_LABELS[family as keyof typeof FAMILY_LABELS] ?? family;

function FilterCell({ row }: { row: Pick<GroupAssignment, "filterId" | "filterName" | "filterType"> }) {
  if (!row.filterId) return <span className="text-muted">—</span>;
  return (
    <span>
      {row.filterType === "exclude" ? "Exclude: " : "Include: "}
      <span className={row.filterName ? "" : "font-mono text-xs"}>{row.filterName ?? row.filterId}</span>
    </span>
  );
}

/**
 * The assignment explorer: pick a group to see every policy that reaches it (directly, through
 * nested groups, or by all users / all devices), or a policy to see its targets. Database only;
 * the URL holds the selection, so a view can be shared.
 */
export default async function ExplorerPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenantId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { tenantId } = await params;
  const { tenant, user } = await tenantPageAccess(tenantId);
  const selection = explorerSelectionSchema.parse(await searchParams);
  const view = await readExplorerView(getDb(), { userId: user.id, tenantId: tenant.id, selection, limit: 200 });
  const here = (query: Record<string, string | undefined>) => paths.explorer(tenant.id, query);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap gap-6">
        <form method="get" action={paths.explorer(tenant.id)} className="flex items-end gap-3" role="search">
          <InputFilter
            label="Find a group"
            name="q"
            defaultValue={selection.q ?? ""}
            placeholder="Name contains…"
            className="w-64 px-3 py-2"
          />
          <button type="submit" className={buttonClass("secondary")}>
            Search groups
          </button>
        </form>
        <form method="get" action={paths.explorer(tenant.id)} className="flex items-end gap-3" role="search">
          <InputFilter
            label="Find a policy"
            name="pq"
            defaultValue={selection.pq ?? ""}
            placeholder="Name contains…"
            className="w-64 px-3 py-2"
          />
          <button type="submit" className={buttonClass("secondary")}>
            Search policies
          </button>
        </form>
      </div>

      {view.matches ? (
        <Card>
          <h2 className="font-semibold">Groups matching “{selection.q}”</h2>
          {view.matches.items.length === 0 ? (
            <p className="mt-2 text-muted">No cached group matches. Sync the group directory first.</p>
          ) : (
            <ul className="mt-2 grid gap-1 sm:grid-cols-2" data-testid="group-matches">
              {view.matches.items.map((g) => (
                <li key={g.id}>
                  <TextLink href={here({ group: g.id })}>{g.displayName}</TextLink>
                </li>
              ))}
            </ul>
          )}
        </Card>
      ) : null}

      {view.policyMatches ? (
        <Card>
          <h2 className="font-semibold">Policies matching “{selection.pq}”</h2>
          {view.policyMatches.items.length === 0 ? (
            <p className="mt-2 text-muted">No policy matches. Sync the inventory first.</p>
          ) : (
            <ul className="mt-2 grid gap-1 sm:grid-cols-2" data-testid="policy-matches">
              {view.policyMatches.items.map((p) => (
                <li key={p.id}>
                  <TextLink href={here({ policy: p.id })}>{p.name}</TextLink>
                </li>
              ))}
            </ul>
          )}
        </Card>
      ) : null}

      {selection.group ? (
        view.group ? (
          <GroupView tenantId={tenant.id} view={view.group} />
        ) : (
          <EmptyState className="p-10">That group is not in the directory cache.</EmptyState>
        )
      ) : null}

      {selection.policy ? (
        view.policy ? (
          <PolicyView tenantId={tenant.id} view={view.policy} />
        ) : (
          <EmptyState className="p-10">That policy is not in the inventory (or was deleted).</EmptyState>
        )
      ) : null}

      {!selection.group && !selection.policy && !view.matches && !view.policyMatches ? (
        <EmptyState className="p-10">
          Find a group to see every policy that reaches it, or a policy to see whom it targets.
        </EmptyState>
      ) : null}
    </div>
  );
}

type GroupViewData = NonNullable<Awaited<ReturnType<typeof readExplorerView>>["group"]>;

function GroupView({ tenantId, view }: { tenantId: string; view: GroupViewData }) {
  return (
    <section className="space-y-3" aria-labelledby="group-view-title">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h2 id="group-view-title" className="text-lg font-semibold">
          Policies reaching {view.group.name}
          {view.group.deleted ? " (deleted in Entra ID)" : ""}
        </h2>
        <a className={buttonClass("secondary")} href={paths.explorerExport(tenantId, { group: view.group.id })}>
          Export CSV
        </a>
      </div>
      {view.rows.length === 0 ? (
        <EmptyState className="p-10">No policy is assigned to this group, a group it is in, or everyone.</EmptyState>
      ) : (
        <TableShell testId="group-assignments" headers={["Policy", "Type", "Assignment", "Reaches it", "Filter"]}>
          {view.rows.map((r, i) => (
            <tr
              key={`${r.policyId}-${r.kind}-${i}`}
              data-reach={r.through.length ? "nested" : r.assignedGroup ? "direct" : "everyone"}
            >
              <td className="px-4 py-2">
                <TextLink href={paths.explorer(tenantId, { policy: r.policyId })}>{r.policyName}</TextLink>
              </td>
              <td className="px-4 py-2">
                {familyLabel(r.family)} · {r.platform}
              </td>
              <td className="px-4 py-2">{KIND_LABELS[r.kind]}</td>
              <td className="px-4 py-2">{r.through.length ? <NestedPath through={r.through} /> : reachLabel(r)}</td>
              <td className="px-4 py-2">
                <FilterCell row={r} />
              </td>
            </tr>
          ))}
        </TableShell>
      )}
      {view.truncated ? (
        <p className="text-sm text-muted">
          Showing the first {view.rows.length.toLocaleString("en")}; the CSV export has every row.
        </p>
      ) : null}
    </section>
  );
}

function NestedPath({ through }: { through: GroupAssignment["through"] }) {
  return (
    <span data-testid="nested-path">
      <span className="mr-1 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900 dark:text-amber-100">
        Nested
      </span>
      through {through.map((g) => g.name ?? g.id).join(" → ")}
    </span>
  );
}

type PolicyViewData = NonNullable<Awaited<ReturnType<typeof readExplorerView>>["policy"]>;

function PolicyView({ tenantId, view }: { tenantId: string; view: PolicyViewData }) {
  const target = (t: PolicyTarget) =>
    t.group ? (
      <TextLink href={paths.explorer(tenantId, { group: t.group.id })}>
        {t.group.name ?? t.group.id}
        {t.group.deleted ? " (deleted)" : ""}
      </TextLink>
    ) : t.kind === "all_users" ? (
      "All users"
    ) : t.kind === "all_devices" ? (
      "All devices"
    ) : (
      <span className="font-mono text-xs">{t.odataType || "unknown target"}</span>
    );
  return (
    <section className="space-y-3" aria-labelledby="policy-view-title">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h2 id="policy-view-title" className="text-lg font-semibold">
          <TextLink href={paths.policy(tenantId, view.policy.id)}>{view.policy.name}</TextLink>
        </h2>
        <a className={buttonClass("secondary")} href={paths.explorerExport(tenantId, { policy: view.policy.id })}>
          Export CSV
        </a>
      </div>
      <p className="text-sm text-muted">
        {familyLabel(view.policy.family)} · {view.policy.platform} · scope tags:{" "}
        {view.scopeTags.length ? view.scopeTags.map((t) => t.name ?? t.id).join(", ") : "none"}
      </p>
      {!isAssignable(view.policy.family) ? (
        <EmptyState className="p-10">Objects of this type are not assigned to groups.</EmptyState>
      ) : view.targets.length === 0 ? (
        <EmptyState className="p-10">This policy is not assigned.</EmptyState>
      ) : (
        <TableShell testId="policy-targets" headers={["Target", "Assignment", "Filter"]}>
          {view.targets.map((t, i) => (
            <tr key={`${t.kind}-${t.group?.id ?? i}`}>
              <td className="px-4 py-2">{target(t)}</td>
              <td className="px-4 py-2">{KIND_LABELS[t.kind]}</td>
              <td className="px-4 py-2">
                <FilterCell row={t} />
              </td>
            </tr>
          ))}
        </TableShell>
      )}
    </section>
  );
}
