import type { Metadata } from "next";
import { AuditView } from "@/components/audit/audit-view";
import { EmptyState } from "@/components/ui/empty-state";
import { AUDIT_MIN_ROLE } from "@/lib/audit/queries";
import { tenantPageAccess } from "@/lib/auth/guards";
import { paths } from "@/lib/paths";
import { roleAtLeast } from "@/lib/tenants/roles";

export const metadata: Metadata = { title: "Audit log" };

export default async function TenantAuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenantId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { tenantId } = await params;
  const { tenant, role } = await tenantPageAccess(tenantId);
  if (!roleAtLeast(role, AUDIT_MIN_ROLE)) {
    return <EmptyState className="p-10">The audit log is for this tenant&apos;s owners and operators.</EmptyState>;
  }
  return (
    <AuditView
      scope={{ tenantId: tenant.id }}
      basePath={paths.tenantAudit(tenant.id)}
      exportPath={paths.tenantAuditExport(tenant.id)}
      searchParams={await searchParams}
    />
  );
}
