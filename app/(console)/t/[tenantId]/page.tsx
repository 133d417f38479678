import Link from "next/link";
import { LastRunLink } from "@/components/operations/last-run-link";
import { RunsPerDayChart } from "@/components/operations/runs-per-day-chart";
import { RunsTable } from "@/components/operations/runs-table";
import { StartOperationButton } from "@/components/operations/start-operation-button";
import { RunStatusBadge } from "@/components/operations/status-badge";
import { WorkerFleet } from "@/components/operations/worker-fleet";
import { IntuneRolesCard } from "@/components/rbac/intune-roles-card";
import { AppAccess } from "@/components/tenants/app-access";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { TextLink } from "@/components/ui/text-link";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { tenantPageAccess } from "@/lib/auth/guards";
import type { WindowStats } from "@/lib/operations/dashboard";
import { paths } from "@/lib/paths";
import { loadTenantOverview } from "@/lib/tenants/overview";
import { VerificationBadge } from "../../tenants/verification-badge";

export default async function TenantPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const { tenant, role } = await tenantPageAccess(tenantId);
  const view = await loadTenantOverview(getDb(), { tenantId: tenant.id, role });

  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
      <Card className="lg:col-span-2">
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div>
            <h2 className="text-lg font-semibold">Connection</h2>
            <p className="text-sm text-muted">
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
        <div className="mt-5 border-t border-zinc-100 pt-4 dark:border-zinc-800">
          <AppAccess access={view.access} />
        </div>
        {tenant.verificationStatus === "failed" && tenant.verificationError ? (
          <p
            role="alert"
            className="mt-4 rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
          >
            {tenant.verificationError}
          </p>
        ) : null}
        <div className="mt-5 flex flex-wrap items-start gap-6">
          <StartOperationButton tenantId={tenant.id} {...view.verify.start} />
          {view.verify.lastRun ? (
            <div className="text-sm">
              <p className="text-muted">Last verification</p>
              <Link
                href={paths.run(tenant.id, view.verify.lastRun.id)}
                className="inline-flex items-center gap-2 hover:underline"
              >
                <RunStatusBadge status={view.verify.lastRun.status} outcome={view.verify.lastRun.outcome} />
                <Time date={view.verify.lastRun.createdAt} />
              </Link>
            </div>
          ) : null}
        </div>
      </Card>
      <Card className="space-y-4">
        <div>
          <h2 className="text-lg font-semibold">Inventory and directory</h2>
          <p className="text-xs text-muted">
            You are <strong className="capitalize">{role}</strong> of this tenant.
          </p>
        </div>
        {view.dataSources.map((source) => (
          <div
            key={source.start.type}
            className="space-y-2 border-t border-zinc-100 pt-3 text-sm dark:border-zinc-800"
            data-testid={`data-${source.start.type}`}
          >
            <TextLink strong href={source.href}>
              {source.label}
            </TextLink>
            <p className="text-xs text-muted">
              <LastRunLink tenantId={tenant.id} run={source.lastRun} label="Last sync" />
            </p>
            <StartOperationButton tenantId={tenant.id} {...source.start} />
          </div>
        ))}
        <div className="border-t border-zinc-100 pt-3 text-sm dark:border-zinc-800" data-testid="drift-count">
          <TextLink strong href={view.drift.href}>
            Drift
          </TextLink>
          <p className="text-xs text-muted">
            {view.drift.counts
              ? `${view.drift.counts.changed} changed · ${view.drift.counts.missing} missing · ${view.drift.counts.new} new (latest detection)`
              : "Not detected yet"}
          </p>
        </div>
      </Card>
      <section
        className="grid gap-4 sm:grid-cols-2 lg:col-span-3 lg:grid-cols-4"
        aria-label="Activity"
        data-testid="run-stats"
      >
        <Stat label="Runs, last 24 h" stats={view.windows.day} />
        <Stat label="Runs, last 7 days" stats={view.windows.week} />
        <Card className="p-4">
          <StatLabel>Failure rate, 7 days</StatLabel>
          <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid="failure-rate">
            {view.failureRate}
          </p>
          <p className="text-xs text-muted">failed ÷ completed</p>
        </Card>
        <Card className="p-4">
          <StatLabel>Now</StatLabel>
          <p className="mt-1 text-xl font-semibold tabular-nums" data-testid="active-now">
            {view.active.queued} queued · {view.active.running} running
          </p>
          <p className="text-xs text-muted">Oldest waiting: {view.active.oldestWaiting}</p>
        </Card>
      </section>
      <Card className="lg:col-span-2">
        <h2 className="mb-3 text-lg font-semibold">Runs per day</h2>
        <RunsPerDayChart days={view.perDay} />
      </Card>
      <Card className="space-y-4">
        <div>
          <h2 className="text-lg font-semibold">Queues</h2>
          <p className="text-xs text-muted">Jobs waiting for a worker, all tenants (pg-boss).</p>
          <WorkerFleet fleet={view.workers} />
          {view.backlog.length === 0 ? (
            <p className="mt-2 text-sm text-muted" data-testid="queue-backlog">
              Nothing waiting.
            </p>
          ) : (
            <ul className="mt-2 space-y-1 text-sm" data-testid="queue-backlog">
              {view.backlog.map((q) => (
                <li key={q.name} className="flex justify-between gap-2">
                  <code className="text-xs">{q.name}</code>
                  <span className="tabular-nums">
                    {q.waiting} waiting{q.oldest ? ` · oldest ${q.oldest}` : ""}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h2 className="text-lg font-semibold">Recent failures</h2>
          {view.failures.length === 0 ? (
            <p className="text-sm text-muted">No failed runs.</p>
          ) : (
            <ul className="mt-2 space-y-2 text-sm" data-testid="recent-failures">
              {view.failures.map((f) => (
                <li key={f.id}>
                  <TextLink strong href={f.href}>
                    {f.label}
                  </TextLink>{" "}
                  <span className="text-xs text-muted">
                    <Time date={f.completedAt ?? f.createdAt} />
                  </span>
                  {f.message ? <p className="line-clamp-2 text-xs text-muted">{f.message}</p> : null}
                </li>
              ))}
            </ul>
          )}
        </div>
      </Card>
      <div className="lg:col-span-3">
        <IntuneRolesCard
          tenantId={tenant.id}
          tenantGuid={tenant.tenantGuid}
          role={role}
          lastSync={view.rolesLastSync}
        />
      </div>
      <div className="lg:col-span-3">
        <div className="mb-3 flex items-center justify-between">
          <h2 className="text-lg font-semibold">Recent operations</h2>
          <TextLink strong href={view.runsHref} className="text-sm">
            All operations
          </TextLink>
        </div>
        {view.recent.length === 0 ? (
          <EmptyState>
            Nothing has run for this tenant yet. Start with <strong>{view.verify.start.label}</strong>.
          </EmptyState>
        ) : (
          <RunsTable rows={view.recent} />
        )}
      </div>
    </div>
  );
}

function StatLabel({ children }: { children: React.ReactNode }) {
  return <p className="text-xs uppercase tracking-wide text-muted">{children}</p>;
}

function Stat({ label, stats }: { label: string; stats: WindowStats }) {
  return (
    <Card className="p-4">
      <StatLabel>{label}</StatLabel>
      <p className="mt-1 text-2xl font-semibold tabular-nums">{stats.total}</p>
      <p className="text-xs text-muted">
        {stats.byOutcome.succeeded} succeeded · {stats.byOutcome.partially_succeeded} partial · {stats.byOutcome.failed}{" "}
        failed · {stats.byOutcome.cancelled} cancelled · {stats.active} active
      </p>
    </Card>
  );
}

function Item({ label, children, mono }: { label: string; children: React.ReactNode; mono?: boolean }) {
  return (
    <div>
      <dt className="text-muted">{label}</dt>
      <dd className={mono ? "font-mono text-xs leading-5" : ""}>{children}</dd>
    </div>
  );
}
