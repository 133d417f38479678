import Link from "next/link";
import { RunsTable } from "@/components/operations/runs-table";
import { RunStatusBadge } from "@/components/operations/status-badge";
import { StartOperationButton } from "@/components/operations/start-operation-button";
import { Card } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { tenantPageAccess } from "@/lib/auth/guards";
import { runsUrl, runUrl } from "@/lib/operations/links";
import { latestRunOfType, listRuns } from "@/lib/operations/queries";
import { operationLabel, operations } from "@/lib/operations/registry";
import { roleAtLeast } from "@/lib/tenants/roles";
import { VerificationBadge } from "../../tenants/verification-badge";

export default async function TenantPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const { tenant, role } = await tenantPageAccess(tenantId);
  const db = getDb();
  const [lastVerify, recent] = await Promise.all([
    latestRunOfType(db, tenant.id, "tenant.verify"),
    listRuns(db, [tenant.id], {}, 5),
  ]);
  const verify = operations["tenant.verify"];
  const canVerify = roleAtLeast(role, verify.minRole);

  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <Card className="lg:col-span-2">
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div>
            <h2 className="text-lg font-semibold">Connection</h2>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">App-only access to Microsoft Graph with this tenant&apos;s app registration.</p>
          </div>
          <VerificationBadge status={tenant.verificationStatus} />
        </div>
        <dl className="mt-4 grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
          <Item label="Tenant ID" mono>{tenant.tenantGuid}</Item>
          <Item label="Application (client) ID" mono>{tenant.clientId}</Item>
          <Item label="Organization">{tenant.organizationName ?? "—"}</Item>
          <Item label="Default domain">{tenant.defaultDomain ?? "—"}</Item>
          <Item label="Last verified"><Time date={tenant.verifiedAt} /></Item>
          <Item label="Client secret">Stored encrypted · never displayed</Item>
        </dl>
        {tenant.verificationStatus === "failed" && tenant.verificationError ? (
          <p role="alert" className="mt-4 rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
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
      <Card>
        <h2 className="text-lg font-semibold">Your access</h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          You are <strong className="capitalize">{role}</strong> of this tenant.
          {role === "viewer" ? " Viewers see runs and results but cannot start operations." : " You can start operations here."}
        </p>
      </Card>
      <div className="lg:col-span-3">
        <div className="mb-3 flex items-center justify-between">
          <h2 className="text-lg font-semibold">Recent operations</h2>
          <Link href={runsUrl(tenant.id)} className="text-sm font-medium text-blue-700 hover:underline dark:text-blue-400">
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

function Item({ label, children, mono }: { label: string; children: React.ReactNode; mono?: boolean }) {
  return (
    <div>
      <dt className="text-zinc-500">{label}</dt>
      <dd className={mono ? "font-mono text-xs leading-5" : ""}>{children}</dd>
    </div>
  );
}
