"use client";

import { useActionState } from "react";
import { ActionFeedback } from "@/components/operations/action-feedback";
import { buttonClass } from "@/components/ui/button";
import { startBackupAction } from "@/lib/backups/actions";
import type { StartState } from "@/lib/operations/start-action";

const MODES = [
  { mode: "selected", label: "Back up selected", variant: "primary" },
  { mode: "all", label: "Back up all policies", variant: "secondary" },
] as const;

/** Wraps the policies table: checked rows (`policyId` checkboxes) are what "Back up selected" takes. */
export function BackupForm({
  tenantId,
  disabledReason,
  children,
}: {
  tenantId: string;
  disabledReason?: string;
  children: React.ReactNode;
}) {
  const [state, action, pending] = useActionState<StartState, FormData>(
    startBackupAction.bind(null, tenantId),
    undefined,
  );
  return (
    <form action={action} className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        {MODES.map(({ mode, label, variant }) => (
          <button
            key={mode}
            type="submit"
            name="mode"
            value={mode}
            className={buttonClass(variant)}
            disabled={pending || Boolean(disabledReason)}
          >
            {label}
          </button>
        ))}
        {disabledReason ? <span className="text-xs text-muted">{disabledReason}</span> : null}
        <ActionFeedback state={state} />
      </div>
      {children}
    </form>
  );
}
