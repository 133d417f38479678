import type { Metadata } from "next";
import Link from "next/link";
import { FleetTable } from "@/components/fleet/fleet-table";
import { PendingInvitesBanner } from "@/components/team/pending-invites-banner";
import { buttonClass } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { fleetView } from "@/lib/fleet/view";
import { paths } from "@/lib/paths";
import { openInvitesForEmail } from "@/lib/team/invites";

export const metadata: Metadata = { title: "Fleet" };

/**
 * The console's home: every tenant the user is a member of, worst health first, from the database
 * only. One tenant is a one-row fleet (its health in words); none, the way to add one.
 */
export default async function FleetPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const [{ rows, sort, dir }, invites] = await Promise.all([
    fleetView(getDb(), user.id, await searchParams),
    openInvitesForEmail(getDb(), user.email),
  ]);
  const count = (level: string) => rows.filter((r) => r.health.level === level).length;
  return (
    <>
      <PendingInvitesBanner invites={invites} />
      <PageHeader
        title="Fleet"
        description={
          rows.length
            ? `${rows.length.toLocaleString("en")} ${rows.length === 1 ? "tenant" : "tenants"}: ${count("red")} red, ${count("amber")} amber, ${count("green")} green.`
            : "The health of every tenant you are a member of."
        }
        actions={
          <Link href={paths.tenants()} className={buttonClass("secondary")}>
            All tenants
          </Link>
        }
      />
      {rows.length === 0 ? (
        <EmptyState title="No tenants yet" className="p-10">
          <Link href={paths.newTenant()} className={buttonClass("primary", "mt-3")}>
            Add tenant
          </Link>
        </EmptyState>
      ) : (
        <FleetTable rows={rows} sort={sort} dir={dir} />
      )}
    </>
  );
}
