import { AUDIT_MIN_ROLE } from "@/lib/audit/queries";
import { tenantPageAccess } from "@/lib/auth/guards";
import { roleAtLeast } from "@/lib/tenants/roles";
import { TenantTabs } from "./tenant-tabs";

export default async function TenantLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ tenantId: string }>;
}) {
  const { tenantId } = await params;
  const { tenant, role } = await tenantPageAccess(tenantId);
  return (
    <div>
      <div className="mb-6 border-b border-zinc-200 dark:border-zinc-800">
        <p className="text-xs uppercase tracking-wide text-muted">
          Tenant · <span className="capitalize">{role}</span>
        </p>
        <h1 className="text-2xl font-semibold tracking-tight" data-testid="tenant-name">
          {tenant.displayName}
        </h1>
        <TenantTabs tenantId={tenant.id} audit={roleAtLeast(role, AUDIT_MIN_ROLE)} settings={role === "owner"} />
      </div>
      {children}
    </div>
  );
}
