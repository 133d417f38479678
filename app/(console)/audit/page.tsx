import type { Metadata } from "next";
import { AuditView } from "@/components/audit/audit-view";
import { PageHeader } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { userAuditScope } from "@/lib/audit/access";
import { requireUser } from "@/lib/auth/session";
import { paths } from "@/lib/paths";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const { scope, tenantNames } = await userAuditScope(getDb(), user.id);
  return (
    <>
      <PageHeader
        title="Audit log"
        description="What happened in the tenants you own or operate, and the sign-ins to your account."
      />
      <AuditView
        scope={scope}
        basePath={paths.audit()}
        exportPath={paths.auditExport()}
        searchParams={await searchParams}
        tenantNames={tenantNames}
      />
    </>
  );
}
