import type { Metadata } from "next";
import { ChooseBackupStep } from "@/components/restores/wizard/choose-backup-step";
import { ChooseItemsStep } from "@/components/restores/wizard/choose-items-step";
import { MapGroupsStep } from "@/components/restores/wizard/map-groups-step";
import { PreviewStep } from "@/components/restores/wizard/preview-step";
import { WizardHeader } from "@/components/restores/wizard/wizard-header";
import { EmptyState } from "@/components/ui/empty-state";
import { getDb } from "@/db/client";
import { orNotFound, tenantPageAccess } from "@/lib/auth/guards";
import { requireRestoreSource } from "@/lib/restores/plan";
import { wizardState } from "@/lib/restores/wizard";
import { roleShortfall } from "@/lib/tenants/roles";

export const metadata: Metadata = { title: "Restore policies" };

/**
 * The restore wizard. Every step renders from the database: backups, their items, the target
 * tenant's directory cache. Nothing here calls Microsoft Graph; the run does that after the start.
 */
export default async function NewRestorePage({
  params,
  searchParams,
}: {
  params: Promise<{ tenantId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { tenantId } = await params;
  const { tenant, user, role } = await tenantPageAccess(tenantId);
  const denied = roleShortfall(role, "operator", "Restoring");
  if (denied) {
    return (
      <EmptyState role="alert" className="p-10">
        {denied}
      </EmptyState>
    );
  }
  const query = await searchParams;
  const state = wizardState(query);
  const source = state.backupSetId
    ? await orNotFound(() =>
        requireRestoreSource(getDb(), { userId: user.id, targetTenantId: tenant.id, backupSetId: state.backupSetId! }),
      )
    : null;
  const step = { tenantId: tenant.id, state };

  return (
    <div className="space-y-6" data-testid="restore-wizard">
      <WizardHeader tenantId={tenant.id} tenantName={tenant.displayName} step={state.step} source={source} />
      {state.step === "backup" ? <ChooseBackupStep tenantId={tenant.id} userId={user.id} /> : null}
      {state.step === "items" && source ? (
        <ChooseItemsStep {...step} noItems={query.step === "map" && !state.itemIds.length} />
      ) : null}
      {state.step === "map" && source ? <MapGroupsStep {...step} sourceTenantId={source.tenantId} role={role} /> : null}
      {state.step === "preview" && source ? <PreviewStep {...step} sourceTenantId={source.tenantId} /> : null}
    </div>
  );
}
