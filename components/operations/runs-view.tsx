import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { SelectField } from "@/components/ui/select-field";
import { getDb } from "@/db/client";
import { runOutcome, runStatus } from "@/db/schema/enums";
import { runUrl } from "@/lib/operations/links";
import {
  countRunsByStatus,
  listInitiators,
  listRuns,
  type RunFilters,
  runFiltersSchema,
  STATUS_COUNT_CAP,
  tenantNames,
} from "@/lib/operations/queries";
import { operationLabel, operations } from "@/lib/operations/registry";
import { RunsTable } from "./runs-table";
import { OUTCOME_LABELS, STATUS_LABELS } from "./status-badge";

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * The runs list for a set of tenants the caller has already authorized: combinable filters, search
 * by run id, status chips with counts, keyset paging — all of it in the URL. Database reads only.
 */
export async function RunsView({
  tenantIds,
  basePath,
  searchParams,
  showTenant = false,
}: {
  tenantIds: string[];
  basePath: string;
  searchParams: SearchParams;
  showTenant?: boolean;
}) {
  const filters = runFiltersSchema.parse(searchParams);
  const db = getDb();
  const [{ runs, nextCursor }, counts, initiators, names] = await Promise.all([
    listRuns(db, tenantIds, filters),
    countRunsByStatus(db, tenantIds, filters),
    listInitiators(db, tenantIds),
    showTenant ? tenantNames(db, tenantIds) : Promise.resolve(new Map<string, string>()),
  ]);
  const hide = typeof searchParams.hide === "string" ? searchParams.hide : undefined;
  const href = (change: Partial<Record<keyof RunFilters | "hide", string | undefined>>) => {
    const next: Record<string, string | undefined> = { ...filters, hide, cursor: undefined, ...change };
    const q = new URLSearchParams(Object.entries(next).filter((e): e is [string, string] => Boolean(e[1])));
    return q.size ? `${basePath}?${q}` : basePath;
  };
  const filtered = Boolean(
    filters.status || filters.outcome || filters.type || filters.initiator || filters.from || filters.to || filters.q,
  );
  const total = counts.queued + counts.running + counts.completed;
  const countLabel = (n: number) =>
    n > STATUS_COUNT_CAP ? `${STATUS_COUNT_CAP.toLocaleString("en")}+` : n.toLocaleString("en");

  return (
    <div className="space-y-4">
      <form method="get" action={basePath} className="flex flex-wrap items-end gap-3" aria-label="Filter runs">
        <label className="space-y-1 text-sm">
          <span className="block font-medium">Run id</span>
          <input
            name="q"
            defaultValue={filters.q ?? ""}
            placeholder="e.g. a1b2c3d4"
            className="w-36 rounded-md border border-zinc-300 bg-white px-2 py-2 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-950"
          />
        </label>
        <SelectField
          name="outcome"
          label="Outcome"
          value={filters.outcome}
          options={runOutcome.enumValues.map((v) => [v, OUTCOME_LABELS[v]])}
        />
        <SelectField
          name="type"
          label="Type"
          value={filters.type}
          options={Object.entries(operations).map(([k, d]) => [k, d.label])}
        />
        <SelectField
          name="initiator"
          label="Started by"
          value={filters.initiator}
          options={initiators.map((u) => [u.id, u.name])}
        />
        <DateInput name="from" label="Created from" value={filters.from} />
        <DateInput name="to" label="to" value={filters.to} />
        <SelectField
          name="sort"
          label="Order"
          value={filters.sort}
          options={[["oldest", "Oldest first"]]}
          anyLabel="Newest first"
        />
        {filters.status ? <input type="hidden" name="status" value={filters.status} /> : null}
        {hide ? <input type="hidden" name="hide" value={hide} /> : null}
        <button type="submit" className={buttonClass("secondary")}>
          Apply
        </button>
        {filtered ? (
          <Link href={hide ? `${basePath}?hide=${hide}` : basePath} className={buttonClass("ghost")}>
            Clear filters
          </Link>
        ) : null}
      </form>

      <div className="flex flex-wrap items-center justify-between gap-3">
        <nav className="flex flex-wrap gap-2 text-sm" aria-label="Status" data-testid="status-chips">
          <Chip href={href({ status: undefined })} active={!filters.status} label="All" count={countLabel(total)} />
          {runStatus.enumValues.map((s) => (
            <Chip
              key={s}
              href={href({ status: s })}
              active={filters.status === s}
              label={STATUS_LABELS[s]}
              count={countLabel(counts[s])}
            />
          ))}
        </nav>
      </div>

      {runs.length === 0 ? (
        <div className="rounded-lg border border-dashed border-zinc-300 p-10 text-center dark:border-zinc-700">
          <p className="font-medium">{filtered ? "No runs match these filters" : "No operations yet"}</p>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            {filtered
              ? "Clear a filter to see more runs."
              : "Runs appear here when anyone starts an operation, such as Verify connection on a tenant's overview."}
          </p>
        </div>
      ) : (
        <RunsTable
          holdNewRuns={!filters.cursor && filters.sort !== "oldest"}
          showTenant={showTenant}
          columnMenu
          rows={runs.map((r) => ({
            ...r,
            href: runUrl(r.tenantId, r.id),
            label: operationLabel(r.type),
            tenantName: names.get(r.tenantId),
          }))}
        />
      )}
      <nav className="flex justify-between text-sm" aria-label="Pages">
        {filters.cursor ? (
          <Link href={href({})} className="font-medium text-blue-700 hover:underline dark:text-blue-400">
            ← First page
          </Link>
        ) : (
          <span />
        )}
        {nextCursor ? (
          <Link
            href={href({ cursor: nextCursor })}
            className="font-medium text-blue-700 hover:underline dark:text-blue-400"
          >
            Next page →
          </Link>
        ) : null}
      </nav>
    </div>
  );
}

function Chip({ href, active, label, count }: { href: string; active: boolean; label: string; count: string }) {
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={cn(
        "rounded-full px-3 py-1",
        active
          ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
          : "bg-zinc-100 text-zinc-700 hover:bg-zinc-200 dark:bg-zinc-800 dark:text-zinc-300",
      )}
    >
      {label} <span className="tabular-nums opacity-70">{count}</span>
    </Link>
  );
}

function DateInput({ name, label, value }: { name: string; label: string; value?: string }) {
  return (
    <label className="space-y-1 text-sm">
      <span className="block font-medium">{label}</span>
      <input
        type="date"
        name={name}
        defaultValue={value ?? ""}
        className="rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-950"
      />
    </label>
  );
}
