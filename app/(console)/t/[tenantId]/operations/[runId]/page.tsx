import type { Metadata } from "next";
import Link from "next/link";
import { AutoRefresh } from "@/components/operations/auto-refresh";
import { RunProgress } from "@/components/operations/progress-bar";
import { RunActions } from "@/components/operations/run-actions";
import { RunStatusBadge } from "@/components/operations/status-badge";
import { Card } from "@/components/ui/card";
import { formatDuration, Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { orNotFound, tenantPageAccess } from "@/lib/auth/guards";
import { runUrl, tenantUrl } from "@/lib/operations/links";
import { getTenantRun } from "@/lib/operations/queries";
import { type OperationRegistry, operationLabel, operations } from "@/lib/operations/registry";
import { MAX_FAILURES } from "@/lib/operations/runs";
import { roleAtLeast } from "@/lib/tenants/roles";

export const metadata: Metadata = { title: "Run" };

const FAILURES_PER_PAGE = 20;

export default async function RunPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenantId: string; runId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { tenantId, runId } = await params;
  const failuresPage = Math.max(1, Number.parseInt(String((await searchParams).failures ?? "1"), 10) || 1);
  const { tenant, role } = await tenantPageAccess(tenantId);
  const run = await orNotFound(() => getTenantRun(getDb(), tenant.id, runId));
  const active = run.status !== "completed";
  const now = run.observedAt.getTime();
  const waited = (run.startedAt ?? (active ? new Date(now) : run.completedAt))?.getTime();
  const counts = Object.entries(run.summaryCounts);
  const definition = (operations as OperationRegistry)[run.type];
  const minRole = definition?.minRole ?? "owner";
  const deniedReason = roleAtLeast(role, minRole)
    ? undefined
    : `Cancel and re-run need the ${minRole} role; you are a ${role}.`;

  return (
    <div className="space-y-6" data-testid="run-detail" data-run-id={run.id}>
      <AutoRefresh active={active} />
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <h2 className="text-xl font-semibold">{operationLabel(run.type)}</h2>
          <RunStatusBadge status={run.status} outcome={run.outcome} />
          <code className="text-xs text-zinc-600 dark:text-zinc-400">{run.id}</code>
        </div>
        <RunActions
          tenantId={tenant.id}
          runId={run.id}
          active={active}
          cancelRequested={run.cancelRequestedAt !== null}
          deniedReason={deniedReason}
        />
      </div>

      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2 space-y-4">
          <h3 className="font-semibold">Timeline</h3>
          <ol className="space-y-3 text-sm" data-testid="run-timeline">
            <Step done label="Queued" time={run.createdAt} note={`by ${run.initiatorName}`} />
            <Step
              done={Boolean(run.startedAt)}
              label="Started"
              time={run.startedAt}
              note={waited ? `waited ${formatDuration(waited - run.createdAt.getTime())}` : undefined}
            />
            {run.cancelRequestedAt ? (
              <Step
                done
                label="Cancel requested"
                time={run.cancelRequestedAt}
                note={`by ${run.cancelRequestedBy ?? "someone"}`}
              />
            ) : null}
            <Step
              done={!active}
              label="Completed"
              time={run.completedAt}
              note={
                run.startedAt
                  ? `${active ? "running for" : "ran"} ${formatDuration((run.completedAt?.getTime() ?? now) - run.startedAt.getTime())}`
                  : undefined
              }
            />
          </ol>
          <RunProgress counts={run.summaryCounts} active={active} />
        </Card>
        <Card className="space-y-3 text-sm">
          <h3 className="font-semibold">Details</h3>
          <dl className="space-y-2">
            <Row label="Type">
              <code>{run.type}</code>
            </Row>
            <Row label="Status">{run.status}</Row>
            <Row label="Outcome">{run.outcome.replace("_", " ")}</Row>
            <Row label="Started by">{run.initiatorName}</Row>
            <Row label="Attempt">{run.attempt || "—"}</Row>
            <Row label="Tenant">
              <Link href={tenantUrl(tenant.id)} className="text-blue-700 hover:underline dark:text-blue-400">
                {tenant.displayName}
              </Link>
            </Row>
            {definition?.results ? (
              <Row label="Results">
                <Link
                  href={`${tenantUrl(tenant.id)}${definition.results.path.replace("{runId}", run.id)}`}
                  className="text-blue-700 hover:underline dark:text-blue-400"
                  data-testid="run-results-link"
                >
                  {definition.results.label}
                </Link>
              </Row>
            ) : null}
          </dl>
        </Card>
      </div>

      <Card>
        <h3 className="mb-3 font-semibold">Summary</h3>
        {counts.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {active ? "Counts appear as the work progresses." : "This run reported no counts."}
          </p>
        ) : (
          <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4" data-testid="run-counts">
            {counts.map(([name, value]) => (
              <div key={name} className="rounded-md bg-zinc-50 p-3 dark:bg-zinc-800/50">
                <dt className="text-xs uppercase tracking-wide text-zinc-600 dark:text-zinc-400">{name}</dt>
                <dd className="text-2xl font-semibold tabular-nums" data-count={name}>
                  {value}
                </dd>
              </div>
            ))}
          </dl>
        )}
      </Card>

      {run.failures.length > 0 ? (
        <Card>
          <div className="mb-3 flex items-baseline justify-between gap-3">
            <h3 className="font-semibold">Failures</h3>
            <span className="text-xs text-zinc-600 dark:text-zinc-400">
              {run.failures.length}
              {run.failures.length >= MAX_FAILURES ? "+ (the first " + MAX_FAILURES + " are kept)" : ""}
            </span>
          </div>
          <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800" data-testid="run-failures">
            {run.failures
              .slice((failuresPage - 1) * FAILURES_PER_PAGE, failuresPage * FAILURES_PER_PAGE)
              .map((f, i) => (
                <li key={i} className="py-2">
                  <code className="rounded bg-red-50 px-1.5 py-0.5 text-xs text-red-700 dark:bg-red-950 dark:text-red-300">
                    {f.code}
                  </code>
                  {f.item ? <span className="ml-2 text-zinc-600 dark:text-zinc-400">{f.item}</span> : null}
                  <p className="mt-1">{f.message}</p>
                </li>
              ))}
          </ul>
          {run.failures.length > FAILURES_PER_PAGE ? (
            <nav className="mt-3 flex flex-wrap gap-2 text-sm" aria-label="Failure pages">
              {Array.from({ length: Math.ceil(run.failures.length / FAILURES_PER_PAGE) }, (_, i) => i + 1).map((n) => (
                <Link
                  key={n}
                  href={`${runUrl(tenant.id, run.id)}?failures=${n}`}
                  aria-current={n === failuresPage ? "page" : undefined}
                  className={n === failuresPage ? "font-semibold" : "text-blue-700 hover:underline dark:text-blue-400"}
                >
                  {n}
                </Link>
              ))}
            </nav>
          ) : null}
        </Card>
      ) : null}

      {run.attemptErrors.length > 0 ? (
        <Card>
          <h3 className="mb-3 font-semibold">Attempts</h3>
          <ul className="space-y-2 text-sm">
            {run.attemptErrors.map((a, i) => (
              <li key={i}>
                <span className="font-medium">Attempt {a.attempt}</span> ·{" "}
                <span className="text-zinc-600 dark:text-zinc-400">{a.at.replace("T", " ").slice(0, 19)} UTC</span>
                <p className="text-zinc-700 dark:text-zinc-300">{a.message}</p>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}

      <Card>
        <h3 className="mb-3 font-semibold">Inputs</h3>
        <pre className="overflow-x-auto rounded-md bg-zinc-50 p-3 text-xs dark:bg-zinc-800/50">
          {JSON.stringify(run.inputs, null, 2)}
        </pre>
      </Card>
    </div>
  );
}

function Step({ done, label, time, note }: { done: boolean; label: string; time: Date | null; note?: string }) {
  return (
    <li className="flex items-start gap-3" data-step={label.toLowerCase()} data-done={done}>
      <span
        className={`mt-1 size-3 shrink-0 rounded-full border-2 ${done ? "border-blue-600 bg-blue-600" : "border-zinc-300 dark:border-zinc-600"}`}
        aria-hidden
      />
      <div>
        <p className="font-medium">{label}</p>
        <p className="text-zinc-600 dark:text-zinc-400">
          {time ? <Time date={time} /> : "—"}
          {note ? ` · ${note}` : ""}
        </p>
      </div>
    </li>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex justify-between gap-4">
      <dt className="text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd className="text-right">{children}</dd>
    </div>
  );
}
