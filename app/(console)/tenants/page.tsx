import type { Metadata } from "next";
import Link from "next/link";
import { PendingInvitesBanner } from "@/components/team/pending-invites-banner";
import { buttonClass } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { paths } from "@/lib/paths";
import { openInvitesForEmail } from "@/lib/team/invites";
import { listTenantsForUser } from "@/lib/tenants/service";
import { VerificationBadge } from "./verification-badge";

export const metadata: Metadata = { title: "Tenants" };

export default async function TenantsPage() {
  const user = await requireUser();
  const [rows, invites] = await Promise.all([
    listTenantsForUser(getDb(), user.id),
    openInvitesForEmail(getDb(), user.email),
  ]);
  return (
    <>
      <PendingInvitesBanner invites={invites} />
      <PageHeader
        title="Tenants"
        description="Microsoft Intune tenants you can see, with your role in each."
        actions={
          <Link href={paths.newTenant()} className={buttonClass("primary")}>
            Add tenant
          </Link>
        }
      />
      {rows.length === 0 ? (
        <EmptyState title="No tenants yet" className="p-10">
          Add a tenant with the app registration the console should use, then verify the connection.
        </EmptyState>
      ) : (
        <ul className="divide-y divide-zinc-200 overflow-hidden rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
          {rows.map(({ tenant, role }) => (
            <li key={tenant.id}>
              <Link
                href={paths.tenant(tenant.id)}
                className="flex flex-wrap items-center justify-between gap-3 px-5 py-4 hover:bg-zinc-50 dark:hover:bg-zinc-800/50"
              >
                <div>
                  <p className="font-medium">{tenant.displayName}</p>
                  <p className="font-mono text-xs text-muted">{tenant.tenantGuid}</p>
                </div>
                <div className="flex items-center gap-4 text-sm text-muted">
                  <span className="capitalize">{role}</span>
                  <VerificationBadge status={tenant.verificationStatus} />
                  <span className="hidden md:inline">
                    Verified <Time date={tenant.verifiedAt} />
                  </span>
                </div>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
