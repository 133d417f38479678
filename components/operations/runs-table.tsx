"use client";

import {
  type ColumnVisibilityState,
  columnVisibilityFeature,
  createColumnHelper,
  tableFeatures,
  type Updater,
  useTable,
} from "@tanstack/react-table";
import { Columns3 } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { TextLink } from "@/components/ui/text-link";
import { formatDuration, formatTime } from "@/components/ui/time";
import type { InitiatorKind, RunOutcome, RunStatus } from "@/db/schema/enums";
import { withQuery } from "@/lib/paths";
import { Initiator } from "./initiator";
import { RunStatusBadge } from "./status-badge";

export type RunRow = {
  id: string;
  href: string;
  label: string;
  tenantName?: string;
  status: RunStatus;
  outcome: RunOutcome;
  initiatorName: string;
  initiatorKind: InitiatorKind;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
};

const features = tableFeatures({ columnVisibilityFeature });
const helper = createColumnHelper<typeof features, RunRow>();
const columns = helper.columns([
  helper.accessor("label", {
    id: "operation",
    header: "Operation",
    enableHiding: false,
    cell: (info) => (
      <TextLink href={info.row.original.href} strong>
        {info.getValue()}
      </TextLink>
    ),
  }),
  helper.accessor((r) => r.tenantName ?? "", { id: "tenant", header: "Tenant" }),
  helper.display({
    id: "status",
    header: "Status",
    enableHiding: false,
    cell: (info) => <RunStatusBadge status={info.row.original.status} outcome={info.row.original.outcome} />,
  }),
  helper.accessor("initiatorName", {
    id: "initiator",
    header: "Started by",
    cell: (info) => <Initiator name={info.getValue()} kind={info.row.original.initiatorKind} />,
  }),
  helper.accessor("createdAt", { id: "created", header: "Created", cell: (info) => formatTime(info.getValue()) }),
  helper.display({
    id: "duration",
    header: "Duration",
    cell: ({ row: { original: r } }) =>
      r.startedAt ? formatDuration((r.completedAt ?? new Date()).getTime() - r.startedAt.getTime()) : "—",
  }),
  helper.accessor("id", {
    id: "id",
    header: "Run id",
    cell: (info) => <code className="text-xs">{info.getValue().slice(0, 8)}</code>,
  }),
]);

const newest = (rows: RunRow[]) => rows.reduce((max, r) => Math.max(max, r.createdAt.getTime()), 0);

/**
 * The runs list. Filtering, sorting and paging happen on the server (URL state); this renders.
 * Hidden columns live in the URL too (`hide`), so a shared link shows the same view.
 * With `holdNewRuns`, runs that arrive live are held back behind a "N new runs" button so the rows
 * being read do not move; changes to the rows on screen still show at once.
 */
export function RunsTable({
  rows,
  holdNewRuns = false,
  showTenant = false,
  columnMenu = false,
  hidden = [],
}: {
  rows: RunRow[];
  /** Columns hidden by the list's URL state (parsed on the server with the rest of it). */
  hidden?: readonly string[];
  holdNewRuns?: boolean;
  showTenant?: boolean;
  columnMenu?: boolean;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [shownUpTo, setShownUpTo] = useState(() => newest(rows));
  const held = holdNewRuns ? rows.filter((r) => r.createdAt.getTime() > shownUpTo) : [];
  const visible = held.length ? rows.filter((r) => r.createdAt.getTime() <= shownUpTo) : rows;

  const columnVisibility: ColumnVisibilityState = Object.fromEntries([
    ...hidden.map((id) => [id, false] as const),
    ...(showTenant ? [] : [["tenant", false] as const]),
  ]);
  const onColumnVisibilityChange = (updater: Updater<ColumnVisibilityState>) => {
    const next = typeof updater === "function" ? updater(columnVisibility) : updater;
    const hide = Object.entries(next)
      .filter(([id, shown]) => !shown && !(id === "tenant" && !showTenant))
      .map(([id]) => id);
    router.replace(withQuery(pathname, { ...Object.fromEntries(searchParams), hide: hide.join(",") }), {
      scroll: false,
    });
  };
  const table = useTable({
    features,
    columns,
    data: visible,
    getRowId: (row) => row.id,
    state: { columnVisibility },
    onColumnVisibilityChange,
  });

  return (
    <div className="space-y-2">
      {columnMenu ? (
        <details className="relative ml-auto w-fit text-sm">
          <summary className="flex cursor-pointer list-none items-center gap-1 rounded-md px-2 py-1 text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800">
            <Columns3 className="size-4" aria-hidden /> Columns
          </summary>
          <div className="absolute right-0 z-10 mt-1 w-44 space-y-1 rounded-md border border-zinc-200 bg-white p-2 shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
            {table
              .getAllLeafColumns()
              .filter((column) => column.getCanHide() && (showTenant || column.id !== "tenant"))
              .map((column) => (
                <label key={column.id} className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    checked={column.getIsVisible()}
                    onChange={column.getToggleVisibilityHandler()}
                  />
                  {String(column.columnDef.header)}
                </label>
              ))}
          </div>
        </details>
      ) : null}
      {held.length > 0 ? (
        <button
          type="button"
          data-testid="new-runs"
          onClick={() => setShownUpTo(newest(rows))}
          className="w-full rounded-md bg-blue-50 px-3 py-2 text-sm font-medium text-blue-800 hover:bg-blue-100 dark:bg-blue-950 dark:text-blue-200"
        >
          {held.length === 1 ? "1 new run" : `${held.length} new runs`} — show
        </button>
      ) : null}
      <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <table className="runs-table w-full text-left text-sm" data-testid="runs-table">
          <thead className="border-b border-zinc-200 bg-zinc-50 text-xs uppercase tracking-wide text-muted dark:border-zinc-800 dark:bg-zinc-900/50">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => (
                  <th key={header.id} scope="col" className="px-4 py-2 font-medium">
                    {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                  </th>
                ))}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} data-run-id={row.id}>
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id}>
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
