import type { Metadata } from "next";
import { DeletedBackups } from "@/components/backups/deleted-backups";
import { AutoRefresh } from "@/components/operations/auto-refresh";
import { Initiator } from "@/components/operations/initiator";
import { LiveRunCounts, LiveRunProgress } from "@/components/operations/live-run-counts";
import { RunActions } from "@/components/operations/run-actions";
import { RunStatusBadge } from "@/components/operations/status-badge";
import { Card } from "@/components/ui/card";
import { TextLink } from "@/components/ui/text-link";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { orNotFound, tenantPageAccess } from "@/lib/auth/guards";
import { getTenantRun } from "@/lib/operations/queries";
import { runPageView, type TimelineStep } from "@/lib/operations/run-page";
import { paths } from "@/lib/paths";
import { DELETING_RUN_TYPES, deletionsOfRun } from "@/lib/retention/delete";

export const metadata: Metadata = { title: "Run" };

export default async function RunPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenantId: string; runId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { tenantId, runId } = await params;
  const { tenant, role } = await tenantPageAccess(tenantId);
  const run = await orNotFound(() => getTenantRun(getDb(), tenant.id, runId));
  const view = runPageView({ run, role, query: await searchParams });
  const deletions = DELETING_RUN_TYPES.includes(run.type)
    ? await deletionsOfRun(getDb(), { tenantId: tenant.id, runId: run.id })
    : null;

  return (
    <div className="space-y-6" data-testid="run-detail" data-run-id={view.id}>
      <AutoRefresh active={view.active} />
      {view.joined ? (
        <p
          role="status"
          data-testid="run-joined"
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
        >
          This operation was already running when you started it — started by <strong>{view.joined.by}</strong>,{" "}
          <Time date={view.joined.at} />. No second run was created; this is the one.
        </p>
      ) : null}
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <h2 className="text-xl font-semibold">{view.title}</h2>
          <RunStatusBadge status={view.status} outcome={view.outcome} />
          <code className="text-xs text-muted">{view.id}</code>
        </div>
        <RunActions tenantId={tenant.id} runId={view.id} active={view.active} {...view.actions} />
      </div>

      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2 space-y-4">
          <h3 className="font-semibold">Timeline</h3>
          <ol className="space-y-3 text-sm" data-testid="run-timeline">
            {view.timeline.map((step) => (
              <Step key={step.label} {...step} />
            ))}
          </ol>
          <LiveRunProgress run={view.live} counts={view.counts} active={view.active} />
        </Card>
        <Card className="space-y-3 text-sm">
          <h3 className="font-semibold">Details</h3>
          <dl className="space-y-2">
            <Row label="Type">
              <code>{view.details.type}</code>
            </Row>
            <Row label="Status">{view.status}</Row>
            <Row label="Outcome">{view.details.outcome}</Row>
            <Row label="Started by">
              <Initiator {...view.details.startedBy} />
            </Row>
            <Row label="Attempt">{view.details.attempt}</Row>
            <Row label="Tenant">
              <TextLink href={paths.tenant(tenant.id)}>{tenant.displayName}</TextLink>
            </Row>
            {view.details.results ? (
              <Row label="Results">
                <TextLink href={view.details.results.href} data-testid="run-results-link">
                  {view.details.results.label}
                </TextLink>
              </Row>
            ) : null}
          </dl>
        </Card>
      </div>

      <Card>
        <h3 className="mb-3 font-semibold">Summary</h3>
        <LiveRunCounts run={view.live} counts={view.counts} empty={view.countsEmpty} />
      </Card>

      {deletions ? <DeletedBackups deletions={deletions} /> : null}

      {view.failures ? (
        <Card>
          <div className="mb-3 flex items-baseline justify-between gap-3">
            <h3 className="font-semibold">Failures</h3>
            <span className="text-xs text-muted">
              {view.failures.total}
              {view.failures.keptOnly ? `+ (the first ${view.failures.keptOnly} are kept)` : ""}
            </span>
          </div>
          <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800" data-testid="run-failures">
            {view.failures.shown.map((f, i) => (
              <li key={i} className="py-2">
                <code className="rounded bg-red-50 px-1.5 py-0.5 text-xs text-red-700 dark:bg-red-950 dark:text-red-300">
                  {f.code}
                </code>
                {f.item ? <span className="ml-2 text-muted">{f.item}</span> : null}
                <p className="mt-1">{f.message}</p>
                {f.reference ? <FailureReference reference={f.reference} /> : null}
              </li>
            ))}
          </ul>
          {view.failures.pages.length ? (
            <nav className="mt-3 flex flex-wrap gap-2 text-sm" aria-label="Failure pages">
              {view.failures.pages.map((p) =>
                p.current ? (
                  <span key={p.number} aria-current="page" className="font-semibold">
                    {p.number}
                  </span>
                ) : (
                  <TextLink key={p.number} href={p.href}>
                    {p.number}
                  </TextLink>
                ),
              )}
            </nav>
          ) : null}
        </Card>
      ) : null}

      {view.attempts.length > 0 ? (
        <Card>
          <h3 className="mb-3 font-semibold">Attempts</h3>
          <ul className="space-y-2 text-sm">
            {view.attempts.map((a, i) => (
              <li key={i}>
                <span className="font-medium">Attempt {a.attempt}</span> · <span className="text-muted">{a.at}</span>
                <p className="text-zinc-700 dark:text-zinc-300">{a.message}</p>
                {a.reference ? <FailureReference reference={a.reference} /> : null}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}

      <Card>
        <h3 className="mb-3 font-semibold">Inputs</h3>
        <pre className="overflow-x-auto rounded-md bg-zinc-50 p-3 text-xs dark:bg-zinc-800/50">{view.inputs}</pre>
      </Card>
    </div>
  );
}

function Step({ done, label, time, note }: TimelineStep) {
  return (
    <li className="flex items-start gap-3" data-step={label.toLowerCase()} data-done={done}>
      <span
        className={`mt-1 size-3 shrink-0 rounded-full border-2 ${done ? "border-blue-600 bg-blue-600" : "border-zinc-300 dark:border-zinc-600"}`}
        aria-hidden
      />
      <div>
        <p className="font-medium">{label}</p>
        <p className="text-muted">
          {time ? <Time date={time} /> : "—"}
          {note ? ` · ${note}` : ""}
        </p>
      </div>
    </li>
  );
}

/** What to quote to whoever reads the server log: it finds the full error there. */
function FailureReference({ reference }: { reference: string }) {
  return (
    <p className="text-xs text-muted" data-testid="failure-reference">
      Reference: <code>{reference}</code>
    </p>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex justify-between gap-4">
      <dt className="text-muted">{label}</dt>
      <dd className="text-right">{children}</dd>
    </div>
  );
}
