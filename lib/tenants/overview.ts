import "server-only";
import type { Db } from "@/db/client";
import type { MembershipRole } from "@/db/schema/enums";
import { directorySummary } from "@/lib/directory/groups";
import { latestDetectRun } from "@/lib/drift/findings";
import { driftCountsOf } from "@/lib/drift/view";
import { formatDuration } from "@/lib/format";
import { policyCount } from "@/lib/inventory/queries";
import { allNamed } from "@/lib/named-all";
import { activeRuns, queueBacklog, recentFailures, runsPerDay, runWindows } from "@/lib/operations/dashboard";
import { latestRunsOfTypes, listRuns } from "@/lib/operations/queries";
import { type OperationType, operationLabel, operations } from "@/lib/operations/registry";
import { toRunRow } from "@/lib/operations/runs-list";
import { workerFleetView } from "@/lib/operations/worker-fleet";
import { paths } from "@/lib/paths";
import { accessView } from "./access-view";
import { roleShortfall } from "./roles";
import { tenantAccessReport } from "./service";

/** A start on the overview: its label and, when the viewer may not start it, why. */
const startOf = (type: OperationType, role: MembershipRole) => ({
  type,
  label: operations[type].label,
  disabledReason: roleShortfall(role, operations[type].minRole),
});

/** The types whose last run the overview links to (the Intune roles card's sync among them). */
const LAST_RUN_TYPES = ["tenant.verify", "inventory.sync", "directory_groups.sync", "rbac_roles.sync"] as const;

/**
 * The tenant overview's dashboard: reads every figure it shows (named, in parallel) and derives
 * what the page renders — percentages, waits measured on the database's clock, links, and which
 * starts the viewer may use.
 */
export async function loadTenantOverview(db: Db, { tenantId, role }: { tenantId: string; role: MembershipRole }) {
  const data = await allNamed({
    last: latestRunsOfTypes(db, tenantId, LAST_RUN_TYPES),
    recent: listRuns(db, { tenantIds: [tenantId], filters: {}, pageSize: 5 }),
    windows: runWindows(db, tenantId),
    perDay: runsPerDay(db, tenantId),
    active: activeRuns(db, tenantId),
    failures: recentFailures(db, tenantId),
    backlog: queueBacklog(db, Object.keys(operations)),
    workers: workerFleetView(db),
    policies: policyCount(db, tenantId),
    directory: directorySummary(db, tenantId),
    access: tenantAccessReport(db, tenantId),
    lastDetect: latestDetectRun(db, tenantId),
  });
  const now = data.active.observedAt.getTime();
  const since = (date: Date) => formatDuration(now - date.getTime());
  const { failureRate } = data.windows.week;
  return {
    verify: { start: startOf("tenant.verify", role), lastRun: data.last["tenant.verify"] ?? null },
    access: accessView(data.access),
    dataSources: [
      {
        label: `${data.policies.toLocaleString("en")} policies`,
        href: paths.policies(tenantId),
        lastRun: data.last["inventory.sync"] ?? null,
        start: startOf("inventory.sync", role),
      },
      {
        label: `${data.directory.groups.toLocaleString("en")} groups cached`,
        href: paths.groups(tenantId),
        lastRun: data.last["directory_groups.sync"] ?? null,
        start: startOf("directory_groups.sync", role),
      },
    ],
    windows: data.windows,
    failureRate: failureRate === null ? "—" : `${(failureRate * 100).toFixed(1)}%`,
    active: {
      queued: data.active.queued,
      running: data.active.running,
      oldestWaiting: data.active.oldestQueuedAt ? since(data.active.oldestQueuedAt) : "none",
    },
    perDay: data.perDay,
    // Only queues with work waiting: a list of every type at zero says nothing an operator needs.
    backlog: data.backlog
      .filter((q) => q.waiting > 0)
      .map((q) => ({ ...q, oldest: q.oldest ? since(q.oldest) : null })),
    workers: data.workers,
    failures: data.failures.map((f) => ({
      ...f,
      label: operationLabel(f.type),
      href: paths.run(tenantId, f.id),
      message: f.failures[0]?.message ?? null,
    })),
    recent: data.recent.runs.map((r) => toRunRow(r)),
    runsHref: paths.tenantRuns(tenantId),
    rolesLastSync: data.last["rbac_roles.sync"] ?? null,
    drift: { counts: driftCountsOf(data.lastDetect), href: paths.drift(tenantId) },
  };
}

export type TenantOverview = Awaited<ReturnType<typeof loadTenantOverview>>;
