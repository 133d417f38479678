import type { Metadata } from "next";
import Link from "next/link";
import { RunsTable } from "@/components/operations/runs-table";
import { OUTCOME_LABELS, STATUS_LABELS } from "@/components/operations/status-badge";
import { buttonClass } from "@/components/ui/button";
import { getDb } from "@/db/client";
import { runOutcome, runStatus } from "@/db/schema/enums";
import { tenantPageAccess } from "@/lib/auth/guards";
import { runsUrl, runUrl } from "@/lib/operations/links";
import { listTenantRuns, runFiltersSchema } from "@/lib/operations/queries";
import { operationLabel, operations } from "@/lib/operations/registry";

export const metadata: Metadata = { title: "Operations" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function OperationsPage({ params, searchParams }: { params: Promise<{ tenantId: string }>; searchParams: SearchParams }) {
  const { tenantId } = await params;
  const { tenant } = await tenantPageAccess(tenantId);
  const filters = runFiltersSchema.parse(await searchParams);
  const { runs, nextCursor } = await listTenantRuns(getDb(), tenant.id, filters);
  const base = runsUrl(tenant.id);
  const query = (extra: Record<string, string | undefined>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ status: filters.status, outcome: filters.outcome, type: filters.type, ...extra })) if (v) q.set(k, v);
    const s = q.toString();
    return s ? `${base}?${s}` : base;
  };
  const filtered = Boolean(filters.status || filters.outcome || filters.type);

  return (
    <div className="space-y-4">
      <form method="get" action={base} className="flex flex-wrap items-end gap-3" aria-label="Filter runs">
        <Select name="status" label="Status" value={filters.status} options={runStatus.enumValues.map((v) => [v, STATUS_LABELS[v]])} />
        <Select name="outcome" label="Outcome" value={filters.outcome} options={runOutcome.enumValues.map((v) => [v, OUTCOME_LABELS[v]])} />
        <Select name="type" label="Type" value={filters.type} options={Object.entries(operations).map(([k, d]) => [k, d.label])} />
        <button type="submit" className={buttonClass("secondary")}>
          Apply
        </button>
        {filtered ? (
          <Link href={base} className={buttonClass("ghost")}>
            Clear filters
          </Link>
        ) : null}
      </form>
      {runs.length === 0 ? (
        <div className="rounded-lg border border-dashed border-zinc-300 p-10 text-center dark:border-zinc-700">
          <p className="font-medium">{filtered ? "No runs match these filters" : "No operations yet"}</p>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            {filtered ? "Clear a filter to see more runs." : "Runs appear here when anyone starts an operation on this tenant, such as Verify connection on the overview."}
          </p>
        </div>
      ) : (
        <RunsTable
          holdNewRuns={!filters.cursor}
          rows={runs.map((r) => ({ ...r, href: runUrl(tenant.id, r.id), label: operationLabel(r.type) }))}
        />
      )}
      <nav className="flex justify-between text-sm" aria-label="Pages">
        {filters.cursor ? (
          <Link href={query({})} className="font-medium text-blue-700 hover:underline dark:text-blue-400">
            ← Newest
          </Link>
        ) : (
          <span />
        )}
        {nextCursor ? (
          <Link href={query({ cursor: nextCursor })} className="font-medium text-blue-700 hover:underline dark:text-blue-400">
            Older runs →
          </Link>
        ) : null}
      </nav>
    </div>
  );
}

function Select({ name, label, value, options }: { name: string; label: string; value?: string; options: [string, string][] }) {
  return (
    <label className="space-y-1 text-sm">
      <span className="block font-medium">{label}</span>
      <select
        name={name}
        defaultValue={value ?? ""}
        className="rounded-md border border-zinc-300 bg-white px-2 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-950"
      >
        <option value="">Any</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
}
