import type { Metadata } from "next";
import { RunsView } from "@/components/operations/runs-view";
import { PageHeader } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { paths } from "@/lib/paths";
import { listTenantsForUser } from "@/lib/tenants/service";

export const metadata: Metadata = { title: "All operations" };

/** Runs of every tenant the user belongs to — and of no other. */
export default async function AllOperationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const tenantIds = (await listTenantsForUser(getDb(), user.id)).map((row) => row.tenant.id);
  return (
    <>
      <PageHeader title="Operations" description="Runs across all your tenants." />
      <RunsView tenantIds={tenantIds} basePath={paths.operations()} searchParams={await searchParams} showTenant />
    </>
  );
}
