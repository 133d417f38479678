import { Card } from "@/components/ui/card";
import type { MembershipRole } from "@/db/schema/enums";
import { type OperationType, operations } from "@/lib/operations/registry";
import { roleShortfall } from "@/lib/tenants/roles";
import { type LastRun, LastRunLink } from "./last-run-link";
import { StartOperationButton } from "./start-operation-button";

/** The head of a page whose data a sync operation fills: what it holds, its last run, the start button. */
export function SyncCard({
  tenantId,
  role,
  type,
  title,
  lastRun,
  children,
}: {
  tenantId: string;
  role: MembershipRole;
  type: OperationType;
  title: string;
  lastRun: LastRun;
  children: React.ReactNode;
}) {
  const definition = operations[type];
  return (
    <Card className="flex flex-wrap items-start justify-between gap-4">
      <div className="space-y-1 text-sm">
        <h2 className="text-lg font-semibold">{title}</h2>
        {children}
        <p>
          <LastRunLink tenantId={tenantId} run={lastRun} />
        </p>
      </div>
      <StartOperationButton
        tenantId={tenantId}
        type={type}
        label={definition.label}
        disabledReason={roleShortfall(role, definition.minRole)}
      />
    </Card>
  );
}
