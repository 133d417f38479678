import "server-only";
import type { RunRow } from "@/components/operations/runs-table";
import type { Db } from "@/db/client";
import { type RunStatus, runStatus } from "@/db/schema/enums";
import { paths, withQuery } from "@/lib/paths";
import { STATUS_LABELS } from "./labels";
import {
  countRunsByStatus,
  isFiltered,
  listInitiators,
  listRuns,
  type RunFilters,
  runFiltersSchema,
  STATUS_COUNT_CAP,
  tenantNames,
} from "./queries";
import { operationLabel } from "./registry";

type SearchParams = Record<string, string | string[] | undefined>;
type Loaded = {
  runs: Awaited<ReturnType<typeof listRuns>>["runs"];
  nextCursor: string | null;
  counts: Record<RunStatus, number>;
  names: Map<string, string>;
};

/**
 * What a runs table shows of a run, and nothing more: the rows travel to the browser as the table's
 * props on every render (a listed run also carries its counts, type and paging cursor).
 */
export function toRunRow(run: Loaded["runs"][number], tenantName?: string): RunRow {
  return {
    id: run.id,
    href: paths.run(run.tenantId, run.id),
    label: operationLabel(run.type),
    tenantName,
    status: run.status,
    outcome: run.outcome,
    initiatorName: run.initiatorName,
    initiatorKind: run.initiatorKind,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    completedAt: run.completedAt,
  };
}

const countLabel = (n: number) =>
  n > STATUS_COUNT_CAP ? `${STATUS_COUNT_CAP.toLocaleString("en")}+` : n.toLocaleString("en");

/** The runs list's URL state as query parameters in the schema's order, so one state is one URL. */
const asQuery = (state: RunFilters) =>
  Object.fromEntries(
    Object.keys(runFiltersSchema.shape).map((name) => {
      const value = state[name as keyof RunFilters];
      return [name, Array.isArray(value) ? value.join(",") : value];
    }),
  );

/**
 * Everything the runs list shows, derived from its URL state and what the database returned: one
 * function builds every link from a changed state, so a filter, the chips and the pager agree.
 */
export function runsListView({
  state,
  basePath,
  loaded: { runs, nextCursor, counts, names },
}: {
  state: RunFilters;
  basePath: string;
  loaded: Loaded;
}) {
  /** A link to this list with part of its state changed; any change starts from the first page. */
  const href = (change: RunFilters) => withQuery(basePath, asQuery({ ...state, cursor: undefined, ...change }));
  const filtered = isFiltered(state);
  const total = counts.queued + counts.running + counts.completed;
  return {
    state,
    filtered,
    clearHref: href({
      status: undefined,
      outcome: undefined,
      type: undefined,
      initiator: undefined,
      kind: undefined,
      from: undefined,
      to: undefined,
      q: undefined,
    }),
    chips: [
      { label: "All", status: undefined, count: countLabel(total) },
      ...runStatus.enumValues.map((status) => ({
        label: STATUS_LABELS[status],
        status,
        count: countLabel(counts[status]),
      })),
    ].map((chip) => ({ ...chip, href: href({ status: chip.status }), active: state.status === chip.status })),
    empty: filtered
      ? { title: "No runs match these filters", hint: "Clear a filter to see more runs." }
      : {
          title: "No operations yet",
          hint: "Runs appear here when anyone starts an operation, such as Verify connection on a tenant's overview.",
        },
    rows: runs.map((r) => toRunRow(r, names.get(r.tenantId))),
    /** New runs are held back only on the first page of the newest-first order. */
    holdNewRuns: !state.cursor && state.sort !== "oldest",
    firstPageHref: state.cursor ? href({}) : null,
    nextPageHref: nextCursor ? href({ cursor: nextCursor }) : null,
  };
}

/** Reads what the runs list of these (already authorized) tenants needs, then derives its view. */
export async function loadRunsList(
  db: Db,
  {
    tenantIds,
    basePath,
    query,
    showTenant,
  }: { tenantIds: string[]; basePath: string; query: SearchParams; showTenant: boolean },
) {
  const state = runFiltersSchema.parse(query);
  const [{ runs, nextCursor }, counts, initiators, names] = await Promise.all([
    listRuns(db, { tenantIds, filters: state }),
    countRunsByStatus(db, { tenantIds, filters: state }),
    listInitiators(db, tenantIds),
    showTenant ? tenantNames(db, tenantIds) : Promise.resolve(new Map<string, string>()),
  ]);
  return { ...runsListView({ state, basePath, loaded: { runs, nextCursor, counts, names } }), initiators };
}
