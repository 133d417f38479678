import type { Metadata } from "next";
import Link from "next/link";
import { RunStatusBadge } from "@/components/operations/status-badge";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { TableShell } from "@/components/ui/table";
import { TextLink } from "@/components/ui/text-link";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { tenantPageAccess } from "@/lib/auth/guards";
import { paths } from "@/lib/paths";
import { listRestores } from "@/lib/restores/results";
import { roleAtLeast } from "@/lib/tenants/roles";

export const metadata: Metadata = { title: "Restores" };

/** Restores into this tenant, newest first. Database only. */
export default async function RestoresPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const { tenant, role } = await tenantPageAccess(tenantId);
  const restores = await listRestores(getDb(), tenant.id);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-muted">
          A restore recreates policies from a backup in this tenant, with their groups mapped to this tenant&apos;s
          groups.
        </p>
        {roleAtLeast(role, "operator") ? (
          <Link href={paths.newRestore(tenant.id)} className={buttonClass("primary")}>
            New restore
          </Link>
        ) : null}
      </div>
      {restores.length === 0 ? (
        <EmptyState className="p-10">No restores yet.</EmptyState>
      ) : (
        <TableShell testId="restores-table" headers={["Restore", "From", "Status", "Restored", "Failed", "By"]}>
          {restores.map((r) => (
            <tr key={r.runId}>
              <td className="px-4 py-2">
                <TextLink href={paths.restore(tenant.id, r.runId)} strong>
                  <Time date={r.createdAt} />
                </TextLink>
              </td>
              <td className="px-4 py-2">
                {r.backupName ? `${r.backupName} · ${r.sourceTenantName}` : "(backup deleted)"}
              </td>
              <td className="px-4 py-2">
                <RunStatusBadge status={r.status} outcome={r.outcome} />
              </td>
              <td className="px-4 py-2 tabular-nums">{r.summary.restored ?? 0}</td>
              <td className="px-4 py-2 tabular-nums">{r.summary.failed ?? 0}</td>
              <td className="px-4 py-2">{r.initiatorName}</td>
            </tr>
          ))}
        </TableShell>
      )}
    </div>
  );
}
