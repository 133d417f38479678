import type { Metadata } from "next";
import Link from "next/link";
import { SyncCard } from "@/components/operations/sync-card";
import { TableShell } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { tenantPageAccess } from "@/lib/auth/guards";
import { directorySummary, listCachedGroups } from "@/lib/directory/groups";
import { latestRunOfType } from "@/lib/operations/queries";
import { operations } from "@/lib/operations/registry";

export const metadata: Metadata = { title: "Groups" };

/** The cached Entra group directory: what `directory_groups.sync` last saw. Database only. */
export default async function GroupsPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenantId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { tenantId } = await params;
  const { tenant, role } = await tenantPageAccess(tenantId);
  const query = await searchParams;
  const q = typeof query.q === "string" ? query.q.trim().slice(0, 100) : "";
  const after = typeof query.after === "string" ? query.after : undefined;
  const db = getDb();
  const [summary, page, lastSync] = await Promise.all([
    directorySummary(db, tenant.id),
    listCachedGroups(db, tenant.id, { q: q || undefined, after }),
    latestRunOfType(db, tenant.id, "directory_groups.sync"),
  ]);
  const sync = operations["directory_groups.sync"];
  const base = `/t/${tenant.id}/groups`;

  return (
    <div className="space-y-6">
      <SyncCard
        tenantId={tenant.id}
        role={role}
        type="directory_groups.sync"
        title="Group directory"
        lastRun={lastSync}
      >
        <p className="text-zinc-600 dark:text-zinc-400" data-testid="directory-summary">
          {summary.groups.toLocaleString("en")} groups cached · last synced{" "}
          {summary.syncedAt ? <Time date={summary.syncedAt} /> : "never"}
          {summary.incremental ? " · the next sync fetches only changes" : ""}
        </p>
      </SyncCard>

      <form method="get" action={base} className="flex items-end gap-3" role="search">
        <label className="space-y-1 text-sm">
          <span className="block font-medium">Search groups</span>
          <input
            name="q"
            defaultValue={q}
            placeholder="Name contains…"
            className="w-72 rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-950"
          />
        </label>
        <button
          type="submit"
          className="rounded-md border border-zinc-300 px-3 py-2 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
        >
          Search
        </button>
      </form>

      {page.items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-10 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          {q
            ? `No cached group matches “${q}”.`
            : `No groups cached yet. Start “${sync.label}” to read the directory from Microsoft Entra ID.`}
        </p>
      ) : (
        <TableShell testId="groups-table" headers={["Name", "Kind", "Mail", "Object id"]}>
          {page.items.map((g) => (
            <tr key={g.id}>
              <td className="px-4 py-2">
                <p className="font-medium">{g.displayName}</p>
                {g.description ? <p className="text-xs text-zinc-600 dark:text-zinc-400">{g.description}</p> : null}
              </td>
              <td className="px-4 py-2">
                {g.groupTypes.includes("Unified") ? "Microsoft 365" : g.securityEnabled ? "Security" : "Distribution"}
              </td>
              <td className="px-4 py-2 text-zinc-600 dark:text-zinc-400">{g.mail ?? "—"}</td>
              <td className="px-4 py-2 font-mono text-xs">{g.id}</td>
            </tr>
          ))}
        </TableShell>
      )}
      <nav className="flex justify-between text-sm" aria-label="Pages">
        {after ? (
          <Link
            href={q ? `${base}?q=${encodeURIComponent(q)}` : base}
            className="font-medium text-blue-700 hover:underline dark:text-blue-400"
          >
            ← First page
          </Link>
        ) : (
          <span />
        )}
        {page.next ? (
          <Link
            href={`${base}?${new URLSearchParams({ ...(q ? { q } : {}), after: page.next })}`}
            className="font-medium text-blue-700 hover:underline dark:text-blue-400"
          >
            Next page →
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
