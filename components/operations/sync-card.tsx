import Link from "next/link";
import { Card } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import type { MembershipRole, RunOutcome, RunStatus } from "@/db/schema/enums";
import { runUrl } from "@/lib/operations/links";
import { operations, type OperationType } from "@/lib/operations/registry";
import { roleAtLeast } from "@/lib/tenants/roles";
import { StartOperationButton } from "./start-operation-button";
import { RunStatusBadge } from "./status-badge";

type LastRun = { id: string; status: RunStatus; outcome: RunOutcome; createdAt: Date } | null;

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
          Last run:{" "}
          {lastRun ? (
            <Link href={runUrl(tenantId, lastRun.id)} className="inline-flex items-center gap-2 hover:underline">
              <RunStatusBadge status={lastRun.status} outcome={lastRun.outcome} /> <Time date={lastRun.createdAt} />
            </Link>
          ) : (
            "never"
          )}
        </p>
      </div>
      <StartOperationButton
        tenantId={tenantId}
        type={type}
        label={definition.label}
        disabledReason={roleAtLeast(role, definition.minRole) ? undefined : `Needs the ${definition.minRole} role; you are a ${role}.`}
      />
    </Card>
  );
}
