import Link from "next/link";
import { type LastRun, LastRunLink } from "@/components/operations/last-run-link";
import { RunsPerDayChart } from "@/components/operations/runs-per-day-chart";
import { RunsTable } from "@/components/operations/runs-table";
import { StartOperationButton } from "@/components/operations/start-operation-button";
import { RunStatusBadge } from "@/components/operations/status-badge";
import { IntuneRolesCard } from "@/components/rbac/intune-roles-card";
import { Card } from "@/components/ui/card";
import { formatDuration, Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import type { MembershipRole } from "@/db/schema/enums";
import { tenantPageAccess } from "@/lib/auth/guards";
import { directorySummary } from "@/lib/directory/groups";
import { policyCount } from "@/lib/inventory/queries";
import {
  activeRuns,
  databaseNow,
  queueBacklog,
  recentFailures,
  runsPerDay,
  runWindows,
  type WindowStats,
} from "@/lib/operations/dashboard";
import { runsUrl, runUrl } from "@/lib/operations/links";
import { latestRunOfType, listRuns } from "@/lib/operations/queries";
import { operationLabel, operations } from "@/lib/operations/registry";
import { roleAtLeast } from "@/lib/tenants/roles";
import { VerificationBadge } from "../../tenants/verification-badge";

export default async function TenantPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const { tenant, role } = await tenantPageAccess(tenantId);
  const db = getDb();
  const [
    lastVerify,
    recent,
    windows,
    perDay,
    active,
    failures,
    backlog,
    observed,
    lastInventory,
    lastDirectory,
    policiesNow,
    directory,
  ] = await Promise.all([
    latestRunOfType(db, tenant.id, "tenant.verify"),
    listRuns(db, [tenant.id], {}, 5),
    runWindows(db, tenant.id),
    runsPerDay(db, tenant.id),
    activeRuns(db, tenant.id),
    recentFailures(db, tenant.id),
    queueBacklog(db, Object.keys(operations)),
    databaseNow(db),
    latestRunOfType(db, tenant.id, "inventory.sync"),
    latestRunOfType(db, tenant.id, "directory_groups.sync"),
    policyCount(db, tenant.id),
    directorySummary(db, tenant.id),
  ]);
  const verify = operations["tenant.verify"];
  const canVerify = roleAtLeast(role, verify.minRole);

  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
      <Card className="lg:col-span-2">
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div>
            <h2 className="text-lg font-semibold">Connection</h2>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              App-only access to Microsoft Graph with this tenant&apos;s app registration.
            </p>
          </div>
          <VerificationBadge status={tenant.verificationStatus} />
        </div>
        <dl className="mt-4 grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
          <Item label="Tenant ID" mono>
            {tenant.tenantGuid}
          </Item>
          <Item label="Application (client) ID" mono>
            {tenant.clientId}
          </Item>
          <Item label="Organization">{tenant.organizationName ?? "—"}</Item>
          <Item label="Default domain">{tenant.defaultDomain ?? "—"}</Item>
          <Item label="Last verified">
            <Time date={tenant.verifiedAt} />
          </Item>
          <Item label="Client secret">Stored encrypted · never displayed</Item>
        </dl>
        {tenant.verificationStatus === "failed" && tenant.verificationError ? (
          <p
            role="alert"
            className="mt-4 rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
          >
            {tenant.verificationError}
          </p>
        ) : null}
        <div className="mt-5 flex flex-wrap items-start gap-6">
          <StartOperationButton
            tenantId={tenant.id}
            type="tenant.verify"
            label={verify.label}
            disabledReason={canVerify ? undefined : `Needs the ${verify.minRole} role; you are a ${role}.`}
          />
          {lastVerify ? (
            <div className="text-sm">
              <p className="text-zinc-600 dark:text-zinc-400">Last verification</p>
              <Link href={runUrl(tenant.id, lastVerify.id)} className="inline-flex items-center gap-2 hover:underline">
                <RunStatusBadge status={lastVerify.status} outcome={lastVerify.outcome} />
                <Time date={lastVerify.createdAt} />
              </Link>
            </div>
          ) : null}
        </div>
      </Card>
      <Card className="space-y-4">
        <div>
          <h2 className="text-lg font-semibold">Inventory and directory</h2>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            You are <strong className="capitalize">{role}</strong> of this tenant.
          </p>
        </div>
        <DataRow
          label={`${policiesNow.toLocaleString("en")} policies`}
          href={`/t/${tenant.id}/policies`}
          lastRun={lastInventory}
          tenantId={tenant.id}
          type="inventory.sync"
          role={role}
        />
        <DataRow
          label={`${directory.groups.toLocaleString("en")} groups cached`}
          href={`/t/${tenant.id}/groups`}
          lastRun={lastDirectory}
          tenantId={tenant.id}
          type="directory_groups.sync"
          role={role}
        />
      </Card>
      <section
        className="grid gap-4 sm:grid-cols-2 lg:col-span-3 lg:grid-cols-4"
        aria-label="Activity"
        data-testid="run-stats"
      >
        <Stat label="Runs, last 24 h" stats={windows.day} />
        <Stat label="Runs, last 7 days" stats={windows.week} />
        <Card className="p-4">
          <p className="text-xs uppercase tracking-wide text-zinc-600 dark:text-zinc-400">Failure rate, 7 days</p>
          <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid="failure-rate">
            {windows.week.failureRate === null ? "—" : `${(windows.week.failureRate * 100).toFixed(1)}%`}
          </p>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">failed ÷ completed</p>
        </Card>
        <Card className="p-4">
          <p className="text-xs uppercase tracking-wide text-zinc-600 dark:text-zinc-400">Now</p>
          <p className="mt-1 text-xl font-semibold tabular-nums" data-testid="active-now">
            {active.queued} queued · {active.running} running
          </p>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            Oldest waiting:{" "}
            {active.oldestQueuedAt ? formatDuration(observed.getTime() - active.oldestQueuedAt.getTime()) : "none"}
          </p>
        </Card>
      </section>
      <Card className="lg:col-span-2">
        <h2 className="mb-3 text-lg font-semibold">Runs per day</h2>
        <RunsPerDayChart days={perDay} />
      </Card>
      <Card className="space-y-4">
        <div>
          <h2 className="text-lg font-semibold">Queues</h2>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">Jobs waiting for a worker, all tenants (pg-boss).</p>
          <ul className="mt-2 space-y-1 text-sm" data-testid="queue-backlog">
            {backlog.map((q) => (
              <li key={q.name} className="flex justify-between gap-2">
                <code className="text-xs">{q.name}</code>
                <span className="tabular-nums">
                  {q.waiting} waiting
                  {q.oldest ? ` · oldest ${formatDuration(observed.getTime() - q.oldest.getTime())}` : ""}
                </span>
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h2 className="text-lg font-semibold">Recent failures</h2>
          {failures.length === 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">No failed runs.</p>
          ) : (
            <ul className="mt-2 space-y-2 text-sm" data-testid="recent-failures">
              {failures.map((f) => (
                <li key={f.id}>
                  <Link
                    href={runUrl(tenant.id, f.id)}
                    className="font-medium text-blue-700 hover:underline dark:text-blue-400"
                  >
                    {operationLabel(f.type)}
                  </Link>{" "}
                  <span className="text-xs text-zinc-600 dark:text-zinc-400">
                    <Time date={f.createdAt} />
                  </span>
                  {f.failures[0] ? (
                    <p className="line-clamp-2 text-xs text-zinc-600 dark:text-zinc-400">{f.failures[0].message}</p>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </div>
      </Card>
      <div className="lg:col-span-3">
        <IntuneRolesCard tenantId={tenant.id} tenantGuid={tenant.tenantGuid} role={role} />
      </div>
      <div className="lg:col-span-3">
        <div className="mb-3 flex items-center justify-between">
          <h2 className="text-lg font-semibold">Recent operations</h2>
          <Link
            href={runsUrl(tenant.id)}
            className="text-sm font-medium text-blue-700 hover:underline dark:text-blue-400"
          >
            All operations
          </Link>
        </div>
        {recent.runs.length === 0 ? (
          <p className="rounded-lg border border-dashed border-zinc-300 p-6 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
            Nothing has run for this tenant yet. Start with <strong>{verify.label}</strong>.
          </p>
        ) : (
          <RunsTable
            rows={recent.runs.map((r) => ({ ...r, href: runUrl(tenant.id, r.id), label: operationLabel(r.type) }))}
          />
        )}
      </div>
    </div>
  );
}

function DataRow({
  label,
  href,
  lastRun,
  tenantId,
  type,
  role,
}: {
  label: string;
  href: string;
  lastRun: LastRun;
  tenantId: string;
  type: "inventory.sync" | "directory_groups.sync";
  role: MembershipRole;
}) {
  const definition = operations[type];
  return (
    <div className="space-y-2 border-t border-zinc-100 pt-3 text-sm dark:border-zinc-800" data-testid={`data-${type}`}>
      <Link href={href} className="font-medium text-blue-700 hover:underline dark:text-blue-400">
        {label}
      </Link>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        <LastRunLink tenantId={tenantId} run={lastRun} label="Last sync" />
      </p>
      <StartOperationButton
        tenantId={tenantId}
        type={type}
        label={definition.label}
        disabledReason={roleAtLeast(role, definition.minRole) ? undefined : `Needs the ${definition.minRole} role.`}
      />
    </div>
  );
}

function Stat({ label, stats }: { label: string; stats: WindowStats }) {
  return (
    <Card className="p-4">
      <p className="text-xs uppercase tracking-wide text-zinc-600 dark:text-zinc-400">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums">{stats.total}</p>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        {stats.byOutcome.succeeded} succeeded · {stats.byOutcome.partially_succeeded} partial · {stats.byOutcome.failed}{" "}
        failed · {stats.byOutcome.cancelled} cancelled · {stats.active} active
      </p>
    </Card>
  );
}

function Item({ label, children, mono }: { label: string; children: React.ReactNode; mono?: boolean }) {
  return (
    <div>
      <dt className="text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd className={mono ? "font-mono text-xs leading-5" : ""}>{children}</dd>
    </div>
  );
}
