import { Download } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { DeleteBackupForm, PinButton } from "@/components/backups/backup-controls";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DetailHeader } from "@/components/ui/detail-header";
import { TextLink } from "@/components/ui/text-link";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { orNotFound, tenantPageAccess } from "@/lib/auth/guards";
import { getBackupSet } from "@/lib/backups/backups";
import { FAMILY_LABELS } from "@/lib/inventory/queries";
import { paths } from "@/lib/paths";
import { wizardHref } from "@/lib/restores/wizard";
import { pinsOf } from "@/lib/retention/pins";

export const metadata: Metadata = { title: "Backup" };

/** One backup set and the policies it holds, each with its settings and assignments. */
export default async function BackupPage({ params }: { params: Promise<{ tenantId: string; backupId: string }> }) {
  const { tenantId, backupId } = await params;
  const { tenant, role } = await tenantPageAccess(tenantId);
  const { set, items } = await orNotFound(() =>
    getBackupSet(getDb(), { tenantId: tenant.id, backupSetId: backupId, role }),
  );
  const pin = (await pinsOf(getDb(), tenant.id)).get(set.id);
  const owner = role === "owner" && set.completedAt;
  return (
    <div className="space-y-6" data-testid="backup-detail">
      <DetailHeader back={{ href: paths.backups(tenant.id), label: "Backups" }} title={set.name}>
        <p className="text-sm text-muted">
          Taken <Time date={set.createdAt} /> · {items.length} policies ·{" "}
          {set.completedAt ? "complete, immutable" : "incomplete: its run did not finish"}
          {set.runId ? (
            <>
              {" · "}
              <TextLink href={paths.run(tenant.id, set.runId)}>run</TextLink>
            </>
          ) : null}
          {pin ? (
            <span data-testid="pinned-by">
              {" · "}pinned by {pin.pinnedByName}, <Time date={pin.pinnedAt} />
            </span>
          ) : null}
        </p>
        {set.completedAt ? (
          <div className="mt-3 flex flex-wrap gap-2">
            <Link
              href={wizardHref(tenant.id, { backupSetId: set.id, step: "items" })}
              className={buttonClass("secondary")}
            >
              Restore from this backup
            </Link>
            {/* A file, not a page: a plain link the browser downloads (the route streams the zip). */}
            <a
              href={paths.backupDownload(tenant.id, set.id)}
              download
              className={buttonClass("secondary")}
              data-testid="backup-download"
            >
              <Download aria-hidden className="size-4" />
              Download as zip
            </a>
          </div>
        ) : null}
        {owner ? (
          <div className="mt-3">
            <PinButton tenantId={tenant.id} backupSetId={set.id} name={set.name} pinned={Boolean(pin)} />
          </div>
        ) : null}
      </DetailHeader>
      <Card>
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="backup-items">
          {items.map((item) => {
            const assignments = (item.content.assignments as unknown[] | undefined)?.length ?? 0;
            const settings = (item.content.settings as unknown[] | undefined)?.length;
            return (
              <li key={item.id} className="py-3 text-sm">
                <details>
                  <summary className="cursor-pointer">
                    <span className="font-medium">{item.name}</span>{" "}
                    <span className="text-muted">
                      · {FAMILY_LABELS[item.family]} · {assignments} assignment{assignments === 1 ? "" : "s"}
                      {settings !== undefined ? ` · ${settings} settings` : ""} ·{" "}
                      <code className="text-xs">{item.contentHash.slice(0, 12)}</code>
                    </span>
                  </summary>
                  <pre className="mt-2 max-h-96 overflow-auto rounded-md bg-zinc-50 p-3 text-xs dark:bg-zinc-800/50">
                    {JSON.stringify(item.content, null, 2)}
                  </pre>
                </details>
              </li>
            );
          })}
        </ul>
      </Card>
      {owner ? (
        <Card className="border-red-300 dark:border-red-900">
          <h2 className="text-lg font-semibold">Delete this backup</h2>
          <p className="mt-1 mb-4 text-sm text-muted">
            Deletes the backup and every policy it holds from the console; nothing in Intune changes. A run does it, and
            names what it deleted. Refused for a pinned backup (unpin it first), for the newest complete backup, and
            while a restore reads it.
          </p>
          <DeleteBackupForm tenantId={tenant.id} backupSetId={set.id} />
        </Card>
      ) : null}
    </div>
  );
}
