"use client";

import { useActionState } from "react";
import { buttonClass } from "@/components/ui/button";
import { startOperationAction, type StartState } from "@/lib/operations/actions";
import { ActionFeedback } from "./action-feedback";

/**
 * A start surface: submits to the server action, which enqueues and redirects to the run. When an
 * equal run is already active it says so and links to it; `disabledReason` explains a disabled start.
 */
export function StartOperationButton({
  tenantId,
  type,
  label,
  disabledReason,
}: {
  tenantId: string;
  type: string;
  label: string;
  disabledReason?: string;
}) {
  const [state, formAction, pending] = useActionState<StartState, FormData>(
    startOperationAction.bind(null, tenantId, type),
    undefined,
  );
  return (
    <form action={formAction} className="space-y-2">
      <button type="submit" className={buttonClass("primary")} disabled={pending || Boolean(disabledReason)}>
        {pending ? "Starting…" : label}
      </button>
      {disabledReason ? <p className="text-xs text-zinc-500">{disabledReason}</p> : null}
      <ActionFeedback error={state?.error} alreadyRunning={state?.alreadyRunning} />
    </form>
  );
}
