import { Card } from "@/components/ui/card";
import { TableShell } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import type { BackupDeletion } from "@/db/schema";

const REASONS: Record<string, string> = {
  past_days: "Older than the retention days",
  beyond_count: "Beyond the number of backups kept",
  owner: "Deleted by an owner",
};

/** On a retention or delete run's page: each backup set the run deleted (the sets themselves are gone). */
export function DeletedBackups({ deletions }: { deletions: BackupDeletion[] }) {
  return (
    <Card>
      <h3 className="mb-3 font-semibold">Deleted backups</h3>
      {deletions.length === 0 ? (
        <p className="text-sm text-muted">This run deleted no backup.</p>
      ) : (
        <TableShell testId="deleted-backups" headers={["Backup", "Taken", "Policies", "Why", "Deleted"]}>
          {deletions.map((d) => (
            <tr key={d.backupSetId}>
              <td className="px-4 py-2">{d.name}</td>
              <td className="px-4 py-2">
                <Time date={d.setCreatedAt} />
              </td>
              <td className="px-4 py-2 tabular-nums">{d.itemCount}</td>
              <td className="px-4 py-2">{REASONS[d.reason] ?? d.reason}</td>
              <td className="px-4 py-2">
                <Time date={d.deletedAt} />
              </td>
            </tr>
          ))}
        </TableShell>
      )}
    </Card>
  );
}
