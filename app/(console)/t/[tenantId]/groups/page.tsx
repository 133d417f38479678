import type { Metadata } from "next";
import { SyncCard } from "@/components/operations/sync-card";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { InputFilter } from "@/components/ui/filter-fields";
import { TableShell } from "@/components/ui/table";
import { TextLink } from "@/components/ui/text-link";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { tenantPageAccess } from "@/lib/auth/guards";
import { directorySummary, listCachedGroups } from "@/lib/directory/groups";
import { referenceCacheSummary } from "@/lib/directory/references";
import { latestRunOfType } from "@/lib/operations/queries";
import { operations } from "@/lib/operations/registry";
import { paths } from "@/lib/paths";

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
  const [summary, page, lastSync, references, lastReferenceSync] = await Promise.all([
    directorySummary(db, tenant.id),
    listCachedGroups(db, { tenantId: tenant.id, q: q || undefined, after }),
    latestRunOfType(db, tenant.id, "directory_groups.sync"),
    referenceCacheSummary(db, tenant.id),
    latestRunOfType(db, tenant.id, "directory_references.sync"),
  ]);
  const sync = operations["directory_groups.sync"];
  const base = paths.groups(tenant.id);

  return (
    <div className="space-y-6">
      <SyncCard
        tenantId={tenant.id}
        role={role}
        type="directory_groups.sync"
        title="Group directory"
        lastRun={lastSync}
      >
        <p className="text-muted" data-testid="directory-summary">
          {summary.groups.toLocaleString("en")} groups cached · last synced{" "}
          {summary.syncedAt ? <Time date={summary.syncedAt} /> : "never"}
          {summary.incremental ? " · the next sync fetches only changes" : ""}
        </p>
      </SyncCard>
      <SyncCard
        tenantId={tenant.id}
        role={role}
        type="directory_references.sync"
        title="Assignment filters and scope tags"
        lastRun={lastReferenceSync}
      >
        <p className="text-muted" data-testid="reference-summary">
          {references.filters.toLocaleString("en")} filters and {references.tags.toLocaleString("en")} scope tags cached
          · last synced {references.syncedAt ? <Time date={references.syncedAt} /> : "never"} · restores into this
          tenant map filters and tags by these names
        </p>
      </SyncCard>

      <form method="get" action={base} className="flex items-end gap-3" role="search">
        <InputFilter
          label="Search groups"
          name="q"
          defaultValue={q}
          placeholder="Name contains…"
          className="w-72 px-3 py-2"
        />
        <button type="submit" className={buttonClass("secondary")}>
          Search
        </button>
      </form>

      {page.items.length === 0 ? (
        <EmptyState className="p-10">
          {q
            ? `No cached group matches “${q}”.`
            : `No groups cached yet. Start “${sync.label}” to read the directory from Microsoft Entra ID.`}
        </EmptyState>
      ) : (
        <TableShell testId="groups-table" headers={["Name", "Kind", "Mail", "Object id"]}>
          {page.items.map((g) => (
            <tr key={g.id}>
              <td className="px-4 py-2">
                <p className="font-medium">{g.displayName}</p>
                {g.description ? <p className="text-xs text-muted">{g.description}</p> : null}
              </td>
              <td className="px-4 py-2">
                {g.groupTypes.includes("Unified") ? "Microsoft 365" : g.securityEnabled ? "Security" : "Distribution"}
              </td>
              <td className="px-4 py-2 text-muted">{g.mail ?? "—"}</td>
              <td className="px-4 py-2 font-mono text-xs">{g.id}</td>
            </tr>
          ))}
        </TableShell>
      )}
      <nav className="flex justify-between text-sm" aria-label="Pages">
        {after ? (
          <TextLink href={paths.groups(tenant.id, { q })} strong>
            ← First page
          </TextLink>
        ) : (
          <span />
        )}
        {page.next ? (
          <TextLink href={paths.groups(tenant.id, { q, after: page.next })} strong>
            Next page →
          </TextLink>
        ) : null}
      </nav>
    </div>
  );
}
