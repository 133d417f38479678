import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { TableShell } from "@/components/ui/table";
import { TextLink } from "@/components/ui/text-link";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { paths } from "@/lib/paths";
import { restorableBackupSets } from "@/lib/restores/plan";
import { wizardHref } from "@/lib/restores/wizard";

/** Step 1: a backup of this tenant, or of another tenant the user also owns. */
export async function ChooseBackupStep({ tenantId, userId }: { tenantId: string; userId: string }) {
  const sets = await restorableBackupSets(getDb(), userId, tenantId);
  if (!sets.length) {
    return (
      <EmptyState className="p-10">
        No backups to restore from. Take one from <TextLink href={paths.policies(tenantId)}>Policies</TextLink>. Backups
        of other tenants are offered when you own both tenants.
      </EmptyState>
    );
  }
  return (
    <TableShell testId="restore-backups" headers={["Backup", "Tenant", "Policies", "Taken", ""]}>
      {sets.map((s) => (
        <tr key={s.id}>
          <td className="px-4 py-2 font-medium">{s.name}</td>
          <td className="px-4 py-2">{s.tenantId === tenantId ? `${s.tenantName} (this tenant)` : s.tenantName}</td>
          <td className="px-4 py-2 tabular-nums">{s.itemCount}</td>
          <td className="px-4 py-2">
            <Time date={s.createdAt} />
          </td>
          <td className="px-4 py-2 text-right">
            <Link
              href={wizardHref(tenantId, { backupSetId: s.id, step: "items" })}
              className={buttonClass("secondary")}
              aria-label={`Choose ${s.name} of ${s.tenantName}`}
            >
              Choose
            </Link>
          </td>
        </tr>
      ))}
    </TableShell>
  );
}
