"use client";

import Link from "next/link";
import { useState } from "react";
import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import type { RunOutcome, RunStatus } from "@/db/schema/enums";
import { formatDuration, formatTime } from "@/components/ui/time";
import { RunStatusBadge } from "./status-badge";

export type RunRow = {
  id: string;
  href: string;
  label: string;
  status: RunStatus;
  outcome: RunOutcome;
  initiatorName: string;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
};

const features = tableFeatures({});
const helper = createColumnHelper<typeof features, RunRow>();
const columns = helper.columns([
  helper.accessor("label", {
    header: "Operation",
    cell: (info) => (
      <Link href={info.row.original.href} className="font-medium text-blue-700 hover:underline dark:text-blue-400">
        {info.getValue()}
      </Link>
    ),
  }),
  helper.display({
    id: "state",
    header: "Status",
    cell: (info) => <RunStatusBadge status={info.row.original.status} outcome={info.row.original.outcome} />,
  }),
  helper.accessor("initiatorName", { header: "Started by" }),
  helper.accessor("createdAt", { header: "Created", cell: (info) => formatTime(info.getValue()) }),
  helper.display({
    id: "duration",
    header: "Duration",
    cell: ({ row: { original: r } }) =>
      r.startedAt ? formatDuration((r.completedAt ?? new Date()).getTime() - r.startedAt.getTime()) : "—",
  }),
  helper.accessor("id", { header: "Run id", cell: (info) => <code className="text-xs">{info.getValue().slice(0, 8)}</code> }),
]);

const newest = (rows: RunRow[]) => rows.reduce((max, r) => Math.max(max, r.createdAt.getTime()), 0);

/**
 * The runs list. Sorting, filtering and paging happen on the server (URL state); this renders.
 * With `holdNewRuns`, runs that arrive live are held back behind a "N new runs" button so the rows
 * being read do not move; changes to the rows on screen still show at once.
 */
export function RunsTable({ rows, holdNewRuns = false }: { rows: RunRow[]; holdNewRuns?: boolean }) {
  const [shownUpTo, setShownUpTo] = useState(() => newest(rows));
  const held = holdNewRuns ? rows.filter((r) => r.createdAt.getTime() > shownUpTo) : [];
  const visible = held.length ? rows.filter((r) => r.createdAt.getTime() <= shownUpTo) : rows;
  const table = useTable({ features, columns, data: visible, getRowId: (row) => row.id });
  return (
    <div className="space-y-2">
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
        <table className="w-full text-left text-sm" data-testid="runs-table">
          <thead className="border-b border-zinc-200 bg-zinc-50 text-xs uppercase tracking-wide text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900/50">
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
              <tr key={row.id} data-run-id={row.id} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className="whitespace-nowrap px-4 py-2">
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
