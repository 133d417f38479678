import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { InputFilter, SelectField } from "@/components/ui/filter-fields";
import { LinkNav } from "@/components/ui/link-nav";
import { TextLink } from "@/components/ui/text-link";
import { getDb } from "@/db/client";
import { initiatorKind, runOutcome } from "@/db/schema/enums";
import { INITIATOR_KIND_FILTER_LABELS, OUTCOME_LABELS } from "@/lib/operations/labels";
import { operations } from "@/lib/operations/registry";
import { loadRunsList } from "@/lib/operations/runs-list";
import { RunsTable } from "./runs-table";

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
  const view = await loadRunsList(getDb(), { tenantIds, basePath, query: searchParams, showTenant });
  const { state } = view;
  const hide = state.hide?.join(",");

  return (
    <div className="space-y-4">
      <form method="get" action={basePath} className="flex flex-wrap items-end gap-3" aria-label="Filter runs">
        <InputFilter
          label="Run id"
          name="q"
          defaultValue={state.q}
          placeholder="e.g. a1b2c3d4"
          className="w-36 px-2 py-2 font-mono"
        />
        <SelectField
          name="outcome"
          label="Outcome"
          value={state.outcome}
          options={runOutcome.enumValues.map((v) => [v, OUTCOME_LABELS[v]])}
        />
        <SelectField
          name="type"
          label="Type"
          value={state.type}
          options={Object.entries(operations).map(([k, d]) => [k, d.label])}
        />
        <SelectField
          name="initiator"
          label="Started by"
          value={state.initiator}
          options={view.initiators.map((u) => [u.id, u.name])}
        />
        <SelectField
          name="kind"
          label="Initiator kind"
          value={state.kind}
          options={initiatorKind.enumValues.map((v) => [v, INITIATOR_KIND_FILTER_LABELS[v]])}
        />
        <InputFilter type="date" label="Created from" name="from" defaultValue={state.from} className="px-2 py-1.5" />
        <InputFilter type="date" label="to" name="to" defaultValue={state.to} className="px-2 py-1.5" />
        <SelectField
          name="sort"
          label="Order"
          value={state.sort}
          options={[["oldest", "Oldest first"]]}
          anyLabel="Newest first"
        />
        {state.status ? <input type="hidden" name="status" value={state.status} /> : null}
        {hide ? <input type="hidden" name="hide" value={hide} /> : null}
        <button type="submit" className={buttonClass("secondary")}>
          Apply
        </button>
        {view.filtered ? (
          <Link href={view.clearHref} className={buttonClass("ghost")}>
            Clear filters
          </Link>
        ) : null}
      </form>

      <LinkNav label="Status" items={view.chips} data-testid="status-chips" />

      {view.rows.length === 0 ? (
        <EmptyState title={view.empty.title} className="p-10">
          {view.empty.hint}
        </EmptyState>
      ) : (
        <RunsTable
          holdNewRuns={view.holdNewRuns}
          showTenant={showTenant}
          hidden={state.hide ?? []}
          columnMenu
          rows={view.rows}
        />
      )}
      <nav className="flex justify-between text-sm" aria-label="Pages">
        {view.firstPageHref ? (
          <TextLink strong href={view.firstPageHref}>
            ← First page
          </TextLink>
        ) : (
          <span />
        )}
        {view.nextPageHref ? (
          <TextLink strong href={view.nextPageHref}>
            Next page →
          </TextLink>
        ) : null}
      </nav>
    </div>
  );
}
