import { type LastRun, LastRunLink } from "@/components/operations/last-run-link";
import { StartOperationButton } from "@/components/operations/start-operation-button";
import { Time } from "@/components/ui/time";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The mapping step's standing explanation, shown in every state of the cache: what is offered
 * (cached groups only), how old the cache is, and a Sync groups start that leaves the wizard open.
 */
export function DirectoryCacheHelp({
  tenantId,
  summary,
  lastSync,
  disabledReason,
  now,
}: {
  tenantId: string;
  summary: { groups: number; syncedAt: Date | null };
  lastSync: LastRun;
  /** Why this member may not sync groups, if they may not. */
  disabledReason?: string;
  now: Date;
}) {
  const state =
    !summary.syncedAt || summary.groups === 0
      ? "empty"
      : now.getTime() - summary.syncedAt.getTime() > DAY_MS
        ? "stale"
        : "fresh";
  return (
    <aside
      data-testid="directory-cache-help"
      data-state={state}
      className="flex flex-wrap items-start justify-between gap-4 rounded-lg border border-blue-200 bg-blue-50 p-4 text-sm dark:border-blue-900 dark:bg-blue-950/40"
    >
      <div className="max-w-2xl space-y-1">
        <p>
          Target groups come from this tenant&apos;s <strong>directory cache only</strong> — the wizard never searches
          Microsoft Graph. A group created in Entra ID after the last sync is not offered until you sync groups.
        </p>
        <p className="font-medium">
          {state === "empty" ? (
            summary.groups > 0 ? (
              `No group sync has completed yet (${summary.groups.toLocaleString("en")} groups cached so far).`
            ) : (
              "The directory cache is empty: sync groups before mapping."
            )
          ) : (
            <>
              {summary.groups.toLocaleString("en")} groups cached, last synced <Time date={summary.syncedAt} />
              {state === "stale" ? " — more than a day ago, so recent changes may be missing." : "."}
            </>
          )}
        </p>
        <p className="text-muted">
          <LastRunLink tenantId={tenantId} run={lastSync} label="Last group sync" />
        </p>
      </div>
      <StartOperationButton
        tenantId={tenantId}
        type="directory_groups.sync"
        label="Sync groups"
        stay
        variant="secondary"
        disabledReason={disabledReason}
      />
    </aside>
  );
}
