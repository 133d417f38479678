import type { Metadata } from "next";
import { PinButton, RetentionForm } from "@/components/backups/backup-controls";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { TableShell } from "@/components/ui/table";
import { TextLink } from "@/components/ui/text-link";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { tenantPageAccess } from "@/lib/auth/guards";
import { listBackupSets } from "@/lib/backups/backups";
import { paths } from "@/lib/paths";
import { pinsOf } from "@/lib/retention/pins";
import { retentionPolicyOf } from "@/lib/retention/policy";

export const metadata: Metadata = { title: "Backups" };

/** The tenant's backup sets, newest first. Database only. */
export default async function BackupsPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const { tenant, role } = await tenantPageAccess(tenantId);
  const db = getDb();
  const [sets, pins, retention] = await Promise.all([
    listBackupSets(db, tenant.id),
    pinsOf(db, tenant.id),
    retentionPolicyOf(db, tenant.id),
  ]);
  const owner = role === "owner";
  return (
    <div className="space-y-4">
      <p className="text-sm text-muted">
        Backups snapshot chosen policies — settings and assignments included — as Intune had them when the backup ran.
        Start one from <TextLink href={paths.policies(tenant.id)}>Policies</TextLink>.
      </p>
      <Card className="space-y-3">
        <h2 className="font-semibold">Retention</h2>
        <p className="text-sm text-muted" data-testid="retention-policy">
          {describeRetention(retention)} The newest complete backup and pinned backups are always kept; deleting is a
          run that names what it deleted.
        </p>
        {owner ? (
          <RetentionForm
            tenantId={tenant.id}
            keepDays={retention?.keepDays ?? null}
            keepCount={retention?.keepCount ?? null}
          />
        ) : null}
      </Card>
      {sets.length === 0 ? (
        <EmptyState className="p-10">No backups yet.</EmptyState>
      ) : (
        <TableShell
          testId="backups-table"
          headers={["Backup", "Taken", "Policies", "State", "Pinned", "Run", ...(owner ? ["Pin"] : [])]}
        >
          {sets.map((s) => {
            const pin = pins.get(s.id);
            return (
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
                  {pin ? (
                    <span data-testid="pinned-by">
                      Pinned by {pin.pinnedByName}, <Time date={pin.pinnedAt} />
                    </span>
                  ) : (
                    "—"
                  )}
                </td>
                <td className="px-4 py-2">
                  {s.runId ? <TextLink href={paths.run(tenant.id, s.runId)}>run</TextLink> : "—"}
                </td>
                {owner ? (
                  <td className="px-4 py-2">
                    {s.completedAt ? (
                      <PinButton tenantId={tenant.id} backupSetId={s.id} name={s.name} pinned={Boolean(pin)} />
                    ) : null}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </TableShell>
      )}
    </div>
  );
}

function describeRetention(policy: { keepDays: number | null; keepCount: number | null } | null): string {
  const days = policy?.keepDays ? `for ${policy.keepDays} days` : null;
  const count = policy?.keepCount ? `the last ${policy.keepCount}` : null;
  if (days && count) return `Backups are kept ${days}, and only the last ${policy!.keepCount} (past either, they go).`;
  if (days) return `Backups are kept ${days}.`;
  if (count) return `Only ${count} backups are kept.`;
  return "Every backup is kept (no retention set).";
}
