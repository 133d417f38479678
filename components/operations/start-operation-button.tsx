"use client";

import Link from "next/link";
import { useActionState } from "react";
import { buttonClass } from "@/components/ui/button";
import { type StartState, startOperationAction } from "@/lib/operations/actions";
import { ActionFeedback } from "./action-feedback";

/**
 * A start surface: submits to the server action, which enqueues and redirects to the run. When an
 * equal run is already active it says so and links to it; `disabledReason` explains a disabled start.
 * With `stay` (inside a wizard) the page stays and the started run is linked instead.
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
    startOperationAction.bind(null, tenantId, type),
    undefined,
  );
  return (
    <form action={formAction} className="space-y-2">
      {stay ? <input type="hidden" name="stay" value="1" /> : null}
      <button type="submit" className={buttonClass(variant)} disabled={pending || Boolean(disabledReason)}>
        {pending ? "Starting…" : label}
      </button>
      {disabledReason ? <p className="text-xs text-zinc-600 dark:text-zinc-400">{disabledReason}</p> : null}
      <ActionFeedback error={state?.error} alreadyRunning={state?.alreadyRunning} />
      {state?.started ? (
        <p role="status" className="text-sm text-green-700 dark:text-green-400">
          Started.{" "}
          <Link href={state.started} className="font-medium underline" target="_blank">
            View its run
          </Link>
        </p>
      ) : null}
    </form>
  );
}
