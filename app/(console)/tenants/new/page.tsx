import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { NewTenantForm } from "./new-tenant-form";

export const metadata: Metadata = { title: "Add tenant" };

export default async function NewTenantPage() {
  await requireUser();
  return (
    <>
      <PageHeader
        title="Add tenant"
        description="The console signs in to Microsoft Graph as this app registration (client credentials). The secret is encrypted at rest and never shown again. The tenant ID is yours once Verify connection succeeds."
      />
      <NewTenantForm />
    </>
  );
}
