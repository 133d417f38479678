import type { Metadata } from "next";
import { BackupForm } from "@/components/backups/backup-form";
import { SyncCard } from "@/components/operations/sync-card";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { InputFilter, SelectField } from "@/components/ui/filter-fields";
import { TableShell } from "@/components/ui/table";
import { TextLink } from "@/components/ui/text-link";
import { getDb } from "@/db/client";
import { policyFamily } from "@/db/schema/inventory";
import { tenantPageAccess } from "@/lib/auth/guards";
import { isAssignable } from "@/lib/intune/types";
import { FAMILY_LABELS, listPolicies, policyFiltersSchema } from "@/lib/inventory/queries";
import { latestRunOfType } from "@/lib/operations/queries";
import { operations } from "@/lib/operations/registry";
import { paths } from "@/lib/paths";
import { roleShortfall } from "@/lib/tenants/roles";

export const metadata: Metadata = { title: "Policies" };

/** The tenant's Intune policies as the last inventory sync saw them. Database only. */
export default async function PoliciesPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenantId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { tenantId } = await params;
  const { tenant, role } = await tenantPageAccess(tenantId);
  const filters = policyFiltersSchema.parse(await searchParams);
  const db = getDb();
  const [list, lastSync] = await Promise.all([
    listPolicies(db, { tenantId: tenant.id, filters }),
    latestRunOfType(db, tenant.id, "inventory.sync"),
  ]);
  const sync = operations["inventory.sync"];
  const backup = operations["backup_set.create"];
  const base = paths.policies(tenant.id);
  const href = (page: number) => paths.policies(tenant.id, { ...filters, page });

  return (
    <div className="space-y-6">
      <SyncCard tenantId={tenant.id} role={role} type="inventory.sync" title="Intune policies" lastRun={lastSync}>
        <p className="text-muted">
          Device configurations, compliance policies and the settings catalog, with their assignments and every version
          seen.
        </p>
      </SyncCard>

      <form method="get" action={base} className="flex flex-wrap items-end gap-3" aria-label="Filter policies">
        <InputFilter
          label="Name"
          name="q"
          defaultValue={filters.q}
          placeholder="Contains…"
          className="w-56 px-3 py-2"
        />
        <SelectField
          name="family"
          label="Family"
          value={filters.family}
          options={policyFamily.enumValues.map((f) => [f, FAMILY_LABELS[f]])}
        />
        <SelectField
          name="platform"
          label="Platform"
          value={filters.platform}
          options={["Windows", "iOS", "Android", "macOS", "Other"].map((p) => [p, p])}
        />
        <SelectField
          name="assigned"
          label="Assigned"
          value={filters.assigned}
          options={[
            ["yes", "Assigned"],
            ["no", "Not assigned"],
          ]}
        />
        <SelectField
          name="deleted"
          label="Deleted"
          value={filters.deleted}
          options={[
            ["include", "Include deleted"],
            ["only", "Only deleted"],
          ]}
          anyLabel="Hide deleted"
        />
        <button type="submit" className={buttonClass("secondary")}>
          Apply
        </button>
      </form>

      {list.items.length === 0 ? (
        <EmptyState className="p-10">
          {lastSync
            ? "No policy matches these filters."
            : `No policies yet. Start “${sync.label}” to read them from Intune.`}
        </EmptyState>
      ) : (
        <BackupForm tenantId={tenant.id} disabledReason={roleShortfall(role, backup.minRole, "Backups")}>
          <TableShell
            testId="policies-table"
            headers={[
              <span key="select" className="sr-only">
                Select
              </span>,
              "Name",
              "Family",
              "Platform",
              "Assigned",
              "Versions",
            ]}
          >
            {list.items.map((p) => (
              <tr key={p.id}>
                <td className="px-4 py-2">
                  <input
                    type="checkbox"
                    name="policyId"
                    value={p.id}
                    aria-label={`Select ${p.name}`}
                    disabled={p.deleted}
                  />
                </td>
                <td className="px-4 py-2">
                  <TextLink href={paths.policy(tenant.id, p.id)} strong>
                    {p.name}
                  </TextLink>
                  {p.deleted ? (
                    <span className="ml-2 rounded bg-zinc-100 px-1.5 text-xs text-zinc-600 dark:bg-zinc-800">
                      deleted
                    </span>
                  ) : null}
                </td>
                <td className="px-4 py-2">{FAMILY_LABELS[p.family]}</td>
                <td className="px-4 py-2">{p.platform}</td>
                <td className="px-4 py-2">{isAssignable(p.family) ? (p.assigned ? "Yes" : "No") : "—"}</td>
                <td className="px-4 py-2 tabular-nums">{p.versions}</td>
              </tr>
            ))}
          </TableShell>
        </BackupForm>
      )}
      <nav className="flex items-center justify-between text-sm" aria-label="Pages">
        <span className="text-muted" data-testid="policies-total">
          {list.total.toLocaleString("en")} policies · page {list.page} of {list.pages}
        </span>
        <span className="flex gap-4">
          {list.page > 1 ? (
            <TextLink href={href(list.page - 1)} strong>
              ← Previous
            </TextLink>
          ) : null}
          {list.page < list.pages ? (
            <TextLink href={href(list.page + 1)} strong>
              Next →
            </TextLink>
          ) : null}
        </span>
      </nav>
    </div>
  );
}
