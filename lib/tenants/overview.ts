import "server-only";
import type { Db } from "@/db/client";
import type { MembershipRole } from "@/db/schema/enums";
import { directorySummary } from "@/lib/directory/groups";
import { latestDetectRun } from "@/lib/drift/findings";
import { driftCountsOf } from "@/lib/drift/view";
import { formatDuration } from "@/lib/format";
import { policyCount } from "@/lib/inventory/queries";
import { allNamed } from "@/lib/named-all";
import {
  activeRuns,
  databaseNow,
  queueBacklog,
  recentFailures,
  runsPerDay,
  runWindows,
} from "@/lib/operations/dashboard";
import { latestRunOfType, listRuns } from "@/lib/operations/queries";
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

/**
 * The tenant overview's dashboard: reads every figure it shows (named, in parallel) and derives
 * what the page renders — percentages, waits measured on the database's clock, links, and which
 * starts the viewer may use.
 */
export async function loadTenantOverview(db: Db, { tenantId, role }: { tenantId: string; role: MembershipRole }) {
  const data = await allNamed({
    lastVerify: latestRunOfType(db, tenantId, "tenant.verify"),
    lastInventory: latestRunOfType(db, tenantId, "inventory.sync"),
    lastDirectory: latestRunOfType(db, tenantId, "directory_groups.sync"),
    recent: listRuns(db, { tenantIds: [tenantId], filters: {}, pageSize: 5 }),
    windows: runWindows(db, tenantId),
    perDay: runsPerDay(db, tenantId),
    active: activeRuns(db, tenantId),
    failures: recentFailures(db, tenantId),
    backlog: queueBacklog(db, Object.keys(operations)),
    workers: workerFleetView(db),
    observedAt: databaseNow(db),
    policies: policyCount(db, tenantId),
    directory: directorySummary(db, tenantId),
    access: tenantAccessReport(db, tenantId),
    lastDetect: latestDetectRun(db, tenantId),
  });
  const now = data.observedAt.getTime();
  const since = (date: Date) => formatDuration(now - date.getTime());
  const { failureRate } = data.windows.week;
  return {
    verify: { start: startOf("tenant.verify", role), lastRun: data.lastVerify },
    access: accessView(data.access),
    dataSources: [
      {
        label: `${data.policies.toLocaleString("en")} policies`,
        href: paths.policies(tenantId),
        lastRun: data.lastInventory,
        start: startOf("inventory.sync", role),
      },
      {
        label: `${data.directory.groups.toLocaleString("en")} groups cached`,
        href: paths.groups(tenantId),
        lastRun: data.lastDirectory,
        start: startOf("directory_groups.sync", role),
      },
    ],
    windows: data.windows,
    failureRate: failureRate === null ? "—" : `${(failureRate * 100).toFixed(1)}%`,
    active: {
      ...data.active,
      oldestWaiting: data.active.oldestQueuedAt ? since(data.active.oldestQueuedAt) : "none",
    },
    perDay: data.perDay,
    backlog: data.backlog.map((q) => ({ ...q, oldest: q.oldest ? since(q.oldest) : null })),
    workers: data.workers,
    failures: data.failures.map((f) => ({
      ...f,
      label: operationLabel(f.type),
      href: paths.run(tenantId, f.id),
      message: f.failures[0]?.message ?? null,
    })),
    recent: data.recent.runs.map((r) => toRunRow(r)),
    runsHref: paths.tenantRuns(tenantId),
    drift: { counts: driftCountsOf(data.lastDetect), href: paths.drift(tenantId) },
  };
}

export type TenantOverview = Awaited<ReturnType<typeof loadTenantOverview>>;
