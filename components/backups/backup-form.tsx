"use client";

import { useActionState } from "react";
import { ActionFeedback } from "@/components/operations/action-feedback";
import { buttonClass } from "@/components/ui/button";
import { type BackupState, startBackupAction } from "@/lib/backups/actions";

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
  const [state, action, pending] = useActionState<BackupState, FormData>(
    startBackupAction.bind(null, tenantId),
    undefined,
  );
  return (
    <form action={action} className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="submit"
          name="mode"
          value="selected"
          className={buttonClass("primary")}
          disabled={pending || Boolean(disabledReason)}
        >
          Back up selected
        </button>
        <button
          type="submit"
          name="mode"
          value="all"
          className={buttonClass("secondary")}
          disabled={pending || Boolean(disabledReason)}
        >
          Back up all policies
        </button>
        {disabledReason ? <span className="text-xs text-zinc-600 dark:text-zinc-400">{disabledReason}</span> : null}
        <ActionFeedback
          error={state?.error}
          alreadyRunning={state?.alreadyRunning}
          alreadyText="The same backup is already running."
        />
      </div>
      {children}
    </form>
  );
}
