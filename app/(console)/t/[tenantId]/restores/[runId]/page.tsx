import type { Metadata } from "next";
import { AutoRefresh } from "@/components/operations/auto-refresh";
import { RunStatusBadge } from "@/components/operations/status-badge";
import { DetailHeader } from "@/components/ui/detail-header";
import { EmptyState } from "@/components/ui/empty-state";
import { TableShell } from "@/components/ui/table";
import { TextLink } from "@/components/ui/text-link";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { orNotFound, tenantPageAccess } from "@/lib/auth/guards";
import { NotFoundError } from "@/lib/errors";
import { FAMILY_LABELS } from "@/lib/inventory/queries";
import { getTenantRun } from "@/lib/operations/queries";
import { paths } from "@/lib/paths";
import { listRestoreItems } from "@/lib/restores/results";

export const metadata: Metadata = { title: "Restore" };

const STATUS: Record<string, string> = {
  created: "Created, assignments pending",
  restored: "Restored",
  failed: "Failed",
};

/** One restore: what happened to each item, as its run recorded it. Database only. */
export default async function RestorePage({ params }: { params: Promise<{ tenantId: string; runId: string }> }) {
  const { tenantId, runId } = await params;
  const { tenant } = await tenantPageAccess(tenantId);
  const db = getDb();
  const run = await orNotFound(async () => {
    const found = await getTenantRun(db, tenant.id, runId);
    if (found.type !== "restore.execute") throw new NotFoundError("restore");
    return found;
  });
  const items = await listRestoreItems(db, tenant.id, run.id);
  return (
    <div className="space-y-4" data-testid="restore-detail">
      <AutoRefresh active={run.status !== "completed"} />
      <DetailHeader
        back={{ href: paths.restores(tenant.id), label: "Restores" }}
        title={
          <>
            Restore of <Time date={run.createdAt} /> <RunStatusBadge status={run.status} outcome={run.outcome} />
          </>
        }
      >
        <p className="text-sm text-muted">
          By {run.initiatorName} · <TextLink href={paths.run(tenant.id, run.id)}>run details</TextLink>
        </p>
      </DetailHeader>
      {items.length === 0 ? (
        <EmptyState className="p-10">
          {run.status === "completed" ? "This restore recorded no items." : "No item restored yet."}
        </EmptyState>
      ) : (
        <TableShell
          testId="restore-items"
          headers={["Policy", "Type", "Result", "New policy id", "Assignments", "Skipped", "Note"]}
        >
          {items.map((item) => (
            <tr key={item.id} data-status={item.status}>
              <td className="px-4 py-2 font-medium">{item.name}</td>
              <td className="px-4 py-2">{FAMILY_LABELS[item.family]}</td>
              <td className="px-4 py-2">{STATUS[item.status]}</td>
              <td className="px-4 py-2 font-mono text-xs">{item.createdPolicyId ?? "—"}</td>
              <td className="px-4 py-2 tabular-nums">{item.assignedCount}</td>
              <td className="px-4 py-2 tabular-nums">{item.skippedCount}</td>
              <td className="px-4 py-2 text-xs">{item.message ?? ""}</td>
            </tr>
          ))}
        </TableShell>
      )}
    </div>
  );
}
