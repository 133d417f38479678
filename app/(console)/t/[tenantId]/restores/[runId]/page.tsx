import type { Metadata } from "next";
import Link from "next/link";
import { AutoRefresh } from "@/components/operations/auto-refresh";
import { RunStatusBadge } from "@/components/operations/status-badge";
import { TableShell } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { orNotFound, tenantPageAccess } from "@/lib/auth/guards";
import { NotFoundError } from "@/lib/errors";
import { FAMILY_LABELS } from "@/lib/inventory/queries";
import { runUrl } from "@/lib/operations/links";
import { getTenantRun } from "@/lib/operations/queries";
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
      <div>
        <Link href={`/t/${tenant.id}/restores`} className="text-sm text-blue-700 hover:underline dark:text-blue-400">
          ← Restores
        </Link>
        <h2 className="mt-1 flex items-center gap-3 text-xl font-semibold">
          Restore of <Time date={run.createdAt} /> <RunStatusBadge status={run.status} outcome={run.outcome} />
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          By {run.initiatorName} ·{" "}
          <Link
            href={runUrl(tenant.id, run.id)}
            className="text-blue-700 underline underline-offset-2 dark:text-blue-400"
          >
            run details
          </Link>
        </p>
      </div>
      {items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-10 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          {run.status === "completed" ? "This restore recorded no items." : "No item restored yet."}
        </p>
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
