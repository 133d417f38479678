import type { Metadata } from "next";
import { BaselineForm } from "@/components/drift/baseline-form";
import { FindingActions } from "@/components/drift/finding-actions";
import { StartOperationButton } from "@/components/operations/start-operation-button";
import { RunStatusBadge } from "@/components/operations/status-badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { TableShell } from "@/components/ui/table";
import { TextLink } from "@/components/ui/text-link";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { tenantPageAccess } from "@/lib/auth/guards";
import { loadDriftPage } from "@/lib/drift/view";
import { FAMILY_LABELS } from "@/lib/inventory/queries";
import { paths } from "@/lib/paths";

export const metadata: Metadata = { title: "Drift" };

/**
 * The tenant against its baseline: the latest detect's findings with the run that found them, each
 * changed policy as a side-by-side diff of its settings. Database only.
 */
export default async function DriftPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenantId: string }>;
  searchParams: Promise<{ all?: string }>;
}) {
  const { tenantId } = await params;
  // A baseline of a few policies makes the rest of the tenant "new": long lists show their start.
  const shown = (await searchParams).all === "1" ? Number.POSITIVE_INFINITY : LIST_LIMIT;
  const { tenant, role, user } = await tenantPageAccess(tenantId);
  const view = await loadDriftPage(getDb(), { tenantId: tenant.id, userId: user.id, role });
  const { baseline, latest, counts, findings, can } = view;
  return (
    <div className="space-y-6">
      <Card className="space-y-3">
        <h2 className="text-lg font-semibold">Baseline</h2>
        {baseline ? (
          <p className="text-sm" data-testid="drift-baseline">
            {baseline.backupSetId === null ? (
              "A backup that was removed with its tenant (its policies are kept)"
            ) : baseline.sourceTenantId === tenant.id ? (
              <TextLink href={paths.backup(tenant.id, baseline.backupSetId)}>{baseline.setName}</TextLink>
            ) : (
              baseline.setName
            )}
            {baseline.sourceTenantName && baseline.sourceTenantId !== tenant.id
              ? ` of ${baseline.sourceTenantName}`
              : ""}{" "}
            · {baseline.entries} policies · chosen <Time date={baseline.setAt} />
            {baseline.setByName ? ` by ${baseline.setByName}` : ""}
          </p>
        ) : (
          <p className="text-sm text-muted">
            No baseline yet: {can.baseline ? "choose a backup below." : "an owner chooses one."}
          </p>
        )}
        {can.baseline ? (
          <BaselineForm
            tenantId={tenant.id}
            candidates={view.candidates.map((c) => ({
              id: c.id,
              label: `${c.tenantName} · ${c.name} · ${c.itemCount} policies · ${c.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC`,
            }))}
          />
        ) : null}
        <StartOperationButton
          tenantId={tenant.id}
          type="drift.detect"
          label="Detect drift"
          disabledReason={can.detect ?? (baseline ? undefined : "Detecting drift needs a baseline.")}
        />
      </Card>

      {latest && counts ? (
        <section aria-labelledby="drift-latest" className="space-y-4">
          <div className="flex flex-wrap items-center gap-3 text-sm" data-testid="drift-summary">
            <h2 id="drift-latest" className="text-lg font-semibold">
              Latest detection
            </h2>
            <TextLink href={paths.run(tenant.id, latest.id)}>
              <RunStatusBadge status={latest.status} outcome={latest.outcome} />
            </TextLink>
            <Time date={latest.completedAt} />
            <span>
              {counts.changed} changed · {counts.missing} missing · {counts.new} new
            </span>
          </div>
          {findings.changed.length + findings.missing.length + findings.new.length === 0 ? (
            <EmptyState className="p-8">No drift: the tenant matches its baseline.</EmptyState>
          ) : null}
          {findings.changed.slice(0, shown).map((f) => (
            <Card key={f.id} className="space-y-3" data-testid="drift-changed">
              <div className="flex flex-wrap items-center justify-between gap-3">
                <h3 className="font-medium">
                  {f.policyId ? <TextLink href={paths.policy(tenant.id, f.policyId)}>{f.name}</TextLink> : f.name}{" "}
                  <span className="text-sm font-normal text-muted">· {FAMILY_LABELS[f.family]}</span>
                </h3>
                <FindingActions
                  tenantId={tenant.id}
                  findingId={f.id}
                  policyName={f.name}
                  accept={can.accept}
                  revert={can.revert}
                />
              </div>
              <TableShell testId="drift-diff" headers={["Setting", "Baseline", "Current"]}>
                {f.changes.map((c) => (
                  <tr key={c.key}>
                    <td className="px-4 py-2 align-top font-mono text-xs">{c.label}</td>
                    <td className="px-4 py-2 align-top font-mono text-xs break-all bg-red-50 dark:bg-red-950/40">
                      {c.baseline ?? <em>not set</em>}
                    </td>
                    <td className="px-4 py-2 align-top font-mono text-xs break-all bg-green-50 dark:bg-green-950/40">
                      {c.current ?? <em>not set</em>}
                    </td>
                  </tr>
                ))}
              </TableShell>
            </Card>
          ))}
          {Math.max(findings.changed.length, findings.missing.length, findings.new.length) > shown ? (
            <p className="text-sm" data-testid="drift-truncated">
              Each list shows its first {LIST_LIMIT}.{" "}
              <TextLink href={`${paths.drift(tenant.id)}?all=1`}>Show every finding</TextLink>
            </p>
          ) : null}
          <FindingList
            title="Missing from the tenant"
            testId="drift-missing"
            findings={findings.missing}
            shown={shown}
            tenantId={tenant.id}
            actions={{ accept: can.accept, revert: can.revert }}
          />
          <FindingList
            title="New in the tenant (not in the baseline)"
            testId="drift-new"
            findings={findings.new}
            shown={shown}
            tenantId={tenant.id}
            actions={{ accept: can.accept }}
          />
        </section>
      ) : (
        <EmptyState className="p-8">No drift detection has completed yet.</EmptyState>
      )}
    </div>
  );
}

const LIST_LIMIT = 25;

function FindingList({
  title,
  testId,
  findings,
  shown,
  tenantId,
  actions,
}: {
  title: string;
  testId: string;
  findings: { id: string; name: string; family: keyof typeof FAMILY_LABELS }[];
  shown: number;
  tenantId: string;
  actions: { accept?: string | null; revert?: string | null };
}) {
  if (findings.length === 0) return null;
  return (
    <Card className="space-y-2">
      <h3 className="font-medium">
        {title} <span className="font-normal text-muted">· {findings.length}</span>
      </h3>
      <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" data-testid={testId}>
        {findings.slice(0, shown).map((f) => (
          <li key={f.id} className="flex flex-wrap items-center justify-between gap-3 py-2 text-sm">
            <span>
              {f.name} <span className="text-muted">· {FAMILY_LABELS[f.family]}</span>
            </span>
            <FindingActions tenantId={tenantId} findingId={f.id} policyName={f.name} {...actions} />
          </li>
        ))}
      </ul>
    </Card>
  );
}
