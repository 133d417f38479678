import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { InputFilter } from "@/components/ui/filter-fields";
import { TableShell } from "@/components/ui/table";
import { TextLink } from "@/components/ui/text-link";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { type AuditRow, type AuditScope, auditFiltersSchema, listAuditEvents } from "@/lib/audit/queries";
import { paths, withQuery } from "@/lib/paths";

const OUTCOME_STYLE: Record<AuditRow["outcome"], string> = {
  success: "text-emerald-700 dark:text-emerald-400",
  refused: "text-amber-700 dark:text-amber-400",
  failed: "text-red-700 dark:text-red-400",
};

/** Keys of `details` shown inline; the CSV export carries them all. */
const detailText = (details: Record<string, unknown>) =>
  Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" · ");

/**
 * An audit log page: the filter form (a GET form, so a filtered view is a link), the events newest
 * first, keyset pages and the CSV export of the same filters. Reads PostgreSQL only.
 */
export async function AuditView({
  scope,
  basePath,
  exportPath,
  searchParams,
  tenantNames,
}: {
  scope: AuditScope;
  basePath: string;
  exportPath: string;
  searchParams: Record<string, string | string[] | undefined>;
  /** Set on the cross-tenant page: a Tenant column, with these names. */
  tenantNames?: Map<string, string>;
}) {
  const filters = auditFiltersSchema.parse(searchParams);
  const { items, nextCursor } = await listAuditEvents(getDb(), { scope, filters });
  const query = { actor: filters.actor, action: filters.action, from: filters.from, to: filters.to };
  const headers = ["Time", "Actor", ...(tenantNames ? ["Tenant"] : []), "Action", "Target", "Outcome", "Address"];

  return (
    <>
      <form method="get" action={basePath} className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter events">
        <InputFilter label="Actor" name="actor" defaultValue={filters.actor} placeholder="Name as recorded" />
        <InputFilter label="Action" name="action" defaultValue={filters.action} placeholder="run or run.start" />
        <InputFilter label="From" name="from" type="date" defaultValue={filters.from} />
        <InputFilter label="To" name="to" type="date" defaultValue={filters.to} />
        <button type="submit" className={buttonClass("secondary")}>
          Filter
        </button>
        <a href={withQuery(exportPath, query)} className={buttonClass("secondary")} download>
          Export CSV
        </a>
      </form>
      {items.length === 0 ? (
        <EmptyState className="p-10">No events match.</EmptyState>
      ) : (
        <TableShell testId="audit-table" headers={headers}>
          {items.map((e) => (
            <tr key={e.id} className="align-top">
              <td className="whitespace-nowrap px-4 py-2">
                <Time date={e.occurredAt} />
              </td>
              <td className="px-4 py-2">
                {e.actorName}
                {e.actorKind !== "user" ? <span className="ml-1 text-xs text-muted">({e.actorKind})</span> : null}
              </td>
              {tenantNames ? (
                <td className="px-4 py-2">{e.tenantId ? (tenantNames.get(e.tenantId) ?? "(removed)") : "—"}</td>
              ) : null}
              <td className="px-4 py-2 font-mono text-xs">{e.action}</td>
              <td className="px-4 py-2">
                {e.targetType === "run" && e.tenantId && e.targetId ? (
                  <TextLink href={paths.run(e.tenantId, e.targetId)}>{e.targetLabel ?? e.targetId}</TextLink>
                ) : (
                  (e.targetLabel ?? e.targetId ?? "—")
                )}
                {Object.keys(e.details).length ? <p className="text-xs text-muted">{detailText(e.details)}</p> : null}
              </td>
              <td className={`px-4 py-2 capitalize ${OUTCOME_STYLE[e.outcome]}`}>{e.outcome}</td>
              <td className="px-4 py-2 font-mono text-xs">{e.clientAddress ?? "—"}</td>
            </tr>
          ))}
        </TableShell>
      )}
      <nav className="mt-4 flex justify-between text-sm" aria-label="Pages">
        {filters.cursor ? (
          <TextLink href={withQuery(basePath, query)} strong>
            ← Newest
          </TextLink>
        ) : (
          <span />
        )}
        {nextCursor ? (
          <TextLink href={withQuery(basePath, { ...query, cursor: nextCursor })} strong>
            Older →
          </TextLink>
        ) : null}
      </nav>
    </>
  );
}
