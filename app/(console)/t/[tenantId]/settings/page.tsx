import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ChangeAppForm, RemoveTenantForm, RotateSecretForm } from "@/components/tenants/settings-forms";
import { Card } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { tenantPageAccess } from "@/lib/auth/guards";
import { tenantSettings } from "@/lib/tenants/settings-view";

export const metadata: Metadata = { title: "Tenant settings" };

/** Owners only: the app's credentials and the tenant's removal. Everyone else gets a 404. */
export default async function TenantSettingsPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const { user, role } = await tenantPageAccess(tenantId);
  if (role !== "owner") notFound();
  const settings = await tenantSettings(getDb(), { userId: user.id, tenantId });
  return (
    <div className="space-y-6">
      <Card>
        <h2 className="text-lg font-semibold">App registration</h2>
        <dl className="mt-3 grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-muted">Application (client) ID</dt>
            <dd className="font-mono text-xs leading-5" data-testid="client-id">
              {settings.clientId}
            </dd>
          </div>
          <div>
            <dt className="text-muted">Client secret</dt>
            <dd data-testid="secret-set-at">
              Set on <Time date={settings.clientSecretSetAt} /> · never displayed
            </dd>
          </div>
          <div>
            <dt className="text-muted">Tenant ID</dt>
            <dd className="font-mono text-xs leading-5">{settings.tenantGuid}</dd>
          </div>
          <div>
            <dt className="text-muted">Tenant ID claimed</dt>
            <dd>
              {settings.guidClaimedAt ? (
                <>
                  <Time date={settings.guidClaimedAt} />, by the first successful verification
                </>
              ) : (
                "Not yet: a successful verification claims it"
              )}
            </dd>
          </div>
        </dl>
        <div className="mt-6 grid grid-cols-1 gap-8 border-t border-zinc-100 pt-4 md:grid-cols-2 dark:border-zinc-800">
          <section>
            <h3 className="mb-2 font-medium">Rotate the client secret</h3>
            <RotateSecretForm tenantId={tenantId} />
          </section>
          <section>
            <h3 className="mb-2 font-medium">Use another app registration</h3>
            <ChangeAppForm tenantId={tenantId} />
          </section>
        </div>
      </Card>
      <RemoveTenantForm tenantId={tenantId} name={settings.displayName} />
    </div>
  );
}
