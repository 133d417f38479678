"use client";

import { useActionState } from "react";
import { buttonClass } from "@/components/ui/button";
import { startOperationAction } from "@/lib/operations/actions";
import type { StartState } from "@/lib/operations/start-action";
import { ActionFeedback } from "./action-feedback";

/**
 * A start surface: submits to the server action, which enqueues and goes to the run's page (also
 * when an equal run is already active). `disabledReason` explains a disabled start. With `stay`
 * (inside a wizard) the page stays and the run is linked instead.
 */
export function StartOperationButton({
  tenantId,
  type,
  label,
  disabledReason,
  stay = false,
  variant = "primary",
}: {
  tenantId: string;
  type: string;
  label: string;
  disabledReason?: string;
  stay?: boolean;
  variant?: "primary" | "secondary";
}) {
  const [state, formAction, pending] = useActionState<StartState, FormData>(
    startOperationAction.bind(null, tenantId),
    undefined,
  );
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="type" value={type} />
      {stay ? <input type="hidden" name="stay" value="1" /> : null}
      <button type="submit" className={buttonClass(variant)} disabled={pending || Boolean(disabledReason)}>
        {pending ? "Starting…" : label}
      </button>
      {disabledReason ? <p className="text-xs text-muted">{disabledReason}</p> : null}
      <ActionFeedback state={state} />
    </form>
  );
}
