import { type LastRun, LastRunLink } from "@/components/operations/last-run-link";
import { StartOperationButton } from "@/components/operations/start-operation-button";
import { Card } from "@/components/ui/card";
import type { MappedReference } from "@/lib/restores/reference-mapping";

/**
 * The filters and scope tags the chosen policies use, each with the target tenant's namesake from
 * its cache (DB only) or "left out". Not chosen by hand: a filter or tag is carried by name or not
 * at all, so a wrong id never reaches Graph. Into the same tenant every id is kept.
 */
export function ReferenceMappingCard({
  tenantId,
  references,
  lastSync,
  disabledReason,
}: {
  tenantId: string;
  references: {
    crossTenant: boolean;
    rows: MappedReference[];
    summary: { filters: number; tags: number; syncedAt: Date | null };
  };
  lastSync: LastRun;
  disabledReason?: string;
}) {
  const { crossTenant, rows, summary } = references;
  return (
    <Card data-testid="reference-mapping">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="max-w-2xl space-y-1 text-sm">
          <h3 className="font-medium">Assignment filters and scope tags</h3>
          <p className="text-muted">
            {crossTenant
              ? "Matched by name in this tenant's cache of filters and scope tags. One without a namesake is left out: the assignment it filters is skipped (sending it unfiltered would reach more devices), the tag is dropped. Both are named in the run's results."
              : "Restoring into the same tenant keeps every filter and scope tag as it is."}
          </p>
          <p className="text-muted">
            {summary.filters} filters and {summary.tags} scope tags cached ·{" "}
            <LastRunLink tenantId={tenantId} run={lastSync} label="Last sync" />
          </p>
        </div>
        <StartOperationButton
          tenantId={tenantId}
          type="directory_references.sync"
          label="Sync filters and scope tags"
          stay
          variant="secondary"
          disabledReason={disabledReason}
        />
      </div>
      {rows.length === 0 ? (
        <p className="mt-3 text-sm text-muted">The chosen policies use no filters or custom scope tags.</p>
      ) : (
        <ul className="mt-3 divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
          {rows.map((row) => (
            <li
              key={`${row.kind}:${row.sourceId}`}
              className="grid gap-2 py-2 md:grid-cols-2"
              data-testid="reference-row"
              data-mapped={row.targetId ? "true" : "false"}
            >
              <div>
                <p className="font-medium">
                  {row.kind === "filter" ? "Filter" : "Scope tag"}:{" "}
                  {row.name ?? <span className="font-mono text-xs">{row.sourceId}</span>}
                </p>
                <p className="text-xs text-muted">Used by {row.usedBy.join(", ")}</p>
              </div>
              <p className={row.targetId ? undefined : "text-amber-800 dark:text-amber-300"}>
                {row.targetId
                  ? crossTenant
                    ? "→ the one of the same name here"
                    : "Kept"
                  : row.name
                    ? "No namesake in this tenant: left out"
                    : "Not in the source tenant's cache: left out"}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
