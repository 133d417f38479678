import type { Metadata } from "next";
import { RunsView } from "@/components/operations/runs-view";
import { tenantPageAccess } from "@/lib/auth/guards";
import { paths } from "@/lib/paths";

export const metadata: Metadata = { title: "Operations" };

export default async function TenantOperationsPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenantId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { tenantId } = await params;
  const { tenant } = await tenantPageAccess(tenantId);
  return <RunsView tenantIds={[tenant.id]} basePath={paths.tenantRuns(tenant.id)} searchParams={await searchParams} />;
}
