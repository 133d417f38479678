import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { TableShell } from "@/components/ui/table";
import { TextLink } from "@/components/ui/text-link";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { tenantPageAccess } from "@/lib/auth/guards";
import { listBackupSets } from "@/lib/backups/backups";
import { paths } from "@/lib/paths";

export const metadata: Metadata = { title: "Backups" };

/** The tenant's backup sets, newest first. Database only. */
export default async function BackupsPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const { tenant } = await tenantPageAccess(tenantId);
  const sets = await listBackupSets(getDb(), tenant.id);
  return (
    <div className="space-y-4">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Backups snapshot chosen policies — settings and assignments included — as Intune had them when the backup ran.
        Start one from <TextLink href={paths.policies(tenant.id)}>Policies</TextLink>.
      </p>
      {sets.length === 0 ? (
        <EmptyState className="p-10">No backups yet.</EmptyState>
      ) : (
        <TableShell testId="backups-table" headers={["Backup", "Taken", "Policies", "State", "Run"]}>
          {sets.map((s) => (
            <tr key={s.id}>
              <td className="px-4 py-2">
                <TextLink href={paths.backup(tenant.id, s.id)} strong>
                  {s.name}
                </TextLink>
              </td>
              <td className="px-4 py-2">
                <Time date={s.createdAt} />
              </td>
              <td className="px-4 py-2 tabular-nums">{s.completedAt ? s.itemCount : "—"}</td>
              <td className="px-4 py-2">{s.completedAt ? "Complete" : "Incomplete (its run did not finish)"}</td>
              <td className="px-4 py-2">
                {s.runId ? <TextLink href={paths.run(tenant.id, s.runId)}>run</TextLink> : "—"}
              </td>
            </tr>
          ))}
        </TableShell>
      )}
    </div>
  );
}
