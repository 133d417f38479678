import type { Metadata } from "next";
import Link from "next/link";
import { TableShell } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { tenantPageAccess } from "@/lib/auth/guards";
import { listBackupSets } from "@/lib/backups/backups";
import { runUrl } from "@/lib/operations/links";

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
        Start one from{" "}
        <Link
          href={`/t/${tenant.id}/policies`}
          className="text-blue-700 underline underline-offset-2 dark:text-blue-400"
        >
          Policies
        </Link>
        .
      </p>
      {sets.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-10 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          No backups yet.
        </p>
      ) : (
        <TableShell testId="backups-table" headers={["Backup", "Taken", "Policies", "State", "Run"]}>
          {sets.map((s) => (
            <tr key={s.id}>
              <td className="px-4 py-2">
                <Link
                  href={`/t/${tenant.id}/backups/${s.id}`}
                  className="font-medium text-blue-700 hover:underline dark:text-blue-400"
                >
                  {s.name}
                </Link>
              </td>
              <td className="px-4 py-2">
                <Time date={s.createdAt} />
              </td>
              <td className="px-4 py-2 tabular-nums">{s.completedAt ? s.itemCount : "—"}</td>
              <td className="px-4 py-2">{s.completedAt ? "Complete" : "Incomplete (its run did not finish)"}</td>
              <td className="px-4 py-2">
                {s.runId ? (
                  <Link href={runUrl(tenant.id, s.runId)} className="text-blue-700 hover:underline dark:text-blue-400">
                    run
                  </Link>
                ) : (
                  "—"
                )}
              </td>
            </tr>
          ))}
        </TableShell>
      )}
    </div>
  );
}
