import { ArrowDown, ArrowUp } from "lucide-react";
import Link from "next/link";
import { VerificationBadge } from "@/app/(console)/tenants/verification-badge";
import { cn } from "@/components/ui/cn";
import { TextLink } from "@/components/ui/text-link";
import { formatTime } from "@/components/ui/time";
import { formatAge, type HealthLevel } from "@/lib/fleet/health";
import { DEFAULT_DIR, type FleetSort, type FleetTenant } from "@/lib/fleet/view";
import { paths, withQuery } from "@/lib/paths";

const LEVEL: Record<HealthLevel, [string, string]> = {
  red: ["Red", "bg-red-50 text-red-800 ring-red-600/30 dark:bg-red-950 dark:text-red-200"],
  amber: ["Amber", "bg-amber-50 text-amber-900 ring-amber-600/30 dark:bg-amber-950 dark:text-amber-200"],
  green: ["Green", "bg-green-50 text-green-800 ring-green-600/30 dark:bg-green-950 dark:text-green-200"],
};

const COLUMNS: { sort: FleetSort; label: string }[] = [
  { sort: "name", label: "Tenant" },
  { sort: "health", label: "Health" },
  { sort: "sync", label: "Inventory sync" },
  { sort: "backup", label: "Last backup" },
  { sort: "drift", label: "Drift" },
  { sort: "overdue", label: "Overdue schedules" },
  { sort: "failed", label: "Failed (24 h)" },
  { sort: "active", label: "Active runs" },
];

/** A column header that sorts by it (or reverses the order when it already does): a plain link. */
function SortHeader({ column, sort, dir }: { column: (typeof COLUMNS)[number]; sort: FleetSort; dir: "asc" | "desc" }) {
  const current = column.sort === sort;
  const next = current ? (dir === "asc" ? "desc" : "asc") : DEFAULT_DIR[column.sort];
  const Arrow = dir === "asc" ? ArrowUp : ArrowDown;
  return (
    <th
      scope="col"
      className="px-4 py-2 font-medium"
      aria-sort={current ? (dir === "asc" ? "ascending" : "descending") : undefined}
    >
      <Link
        href={withQuery(paths.home(), { sort: column.sort, dir: next })}
        className="inline-flex items-center gap-1 hover:text-zinc-900 dark:hover:text-zinc-100"
      >
        {column.label}
        {current ? <Arrow className="size-3" aria-hidden /> : null}
      </Link>
    </th>
  );
}

function Age({ at, now }: { at: Date | null; now: Date }) {
  if (!at) return <span className="text-muted">Never</span>;
  return (
    <time dateTime={at.toISOString()} title={formatTime(at)}>
      {formatAge(at, now)}
    </time>
  );
}

/** One row per tenant, sorted on the server (lib/fleet/view.ts); health is a colour and words. */
export function FleetTable({ rows, sort, dir }: { rows: FleetTenant[]; sort: FleetSort; dir: "asc" | "desc" }) {
  return (
    // Focusable, so a keyboard can scroll the table sideways on a narrow screen.
    <div
      tabIndex={0}
      className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900"
    >
      <table className="w-full text-left text-sm" data-testid="fleet-table">
        <thead className="border-b border-zinc-200 bg-zinc-50 text-xs uppercase tracking-wide text-muted dark:border-zinc-800 dark:bg-zinc-900/50">
          <tr>
            {COLUMNS.map((column) => (
              <SortHeader key={column.sort} column={column} sort={sort} dir={dir} />
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {rows.map((row) => {
            const [label, look] = LEVEL[row.health.level];
            return (
              <tr key={row.tenantId} data-tenant-id={row.tenantId} data-health={row.health.level}>
                <td className="px-4 py-2">
                  <TextLink href={paths.tenant(row.tenantId)} strong>
                    {row.displayName}
                  </TextLink>
                  <div className="mt-1 flex items-center gap-2 text-xs text-muted">
                    <VerificationBadge status={row.verificationStatus} />
                    <span className="capitalize">{row.role}</span>
                  </div>
                </td>
                <td className="px-4 py-2">
                  <span
                    className={cn("rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", look)}
                    data-testid="fleet-health"
                  >
                    {label}
                  </span>
                  <p className="mt-1 text-xs text-zinc-700 dark:text-zinc-300" data-testid="fleet-health-reason">
                    {row.health.summary}
                  </p>
                </td>
                <td className="whitespace-nowrap px-4 py-2">
                  <Age at={row.lastInventorySyncAt} now={row.observedAt} />
                </td>
                <td className="whitespace-nowrap px-4 py-2">
                  <Age at={row.lastBackupAt} now={row.observedAt} />
                </td>
                <td className="px-4 py-2 tabular-nums">
                  {row.driftCount > 0 ? <TextLink href={paths.drift(row.tenantId)}>{row.driftCount}</TextLink> : 0}
                </td>
                <td className="px-4 py-2 tabular-nums">
                  {row.overdueSchedules > 0 ? (
                    <TextLink href={paths.schedules(row.tenantId)}>{row.overdueSchedules}</TextLink>
                  ) : (
                    0
                  )}
                </td>
                <td className="px-4 py-2 tabular-nums">
                  {row.failedRuns > 0 ? (
                    <TextLink href={paths.tenantRuns(row.tenantId, { outcome: "failed" })}>{row.failedRuns}</TextLink>
                  ) : (
                    0
                  )}
                </td>
                <td className="px-4 py-2 tabular-nums">
                  {row.activeRuns > 0 ? <TextLink href={paths.tenantRuns(row.tenantId)}>{row.activeRuns}</TextLink> : 0}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
