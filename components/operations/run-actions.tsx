"use client";

import { Check, Copy } from "lucide-react";
import { useActionState, useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { cancelRunAction, rerunRunAction } from "@/lib/operations/actions";
import type { StartState } from "@/lib/operations/start-action";
import { ActionFeedback } from "./action-feedback";

/**
 * Cancel while the run is active, re-run once it has finished, copy its id. The server checks role
 * and state again; `deniedReason` only explains up front why the buttons are disabled.
 */
export function RunActions({
  tenantId,
  runId,
  active,
  cancelRequested,
  deniedReason,
}: {
  tenantId: string;
  runId: string;
  active: boolean;
  cancelRequested: boolean;
  deniedReason?: string;
}) {
  const [cancelState, cancel, cancelling] = useActionState<StartState>(
    () => cancelRunAction(tenantId, runId),
    undefined,
  );
  const [rerunState, rerun, rerunning] = useActionState<StartState>(() => rerunRunAction(tenantId, runId), undefined);
  const [copied, setCopied] = useState(false);
  const state = active ? cancelState : rerunState;

  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex items-center gap-2">
        <button
          type="button"
          className={buttonClass("ghost")}
          onClick={async () => {
            await navigator.clipboard.writeText(runId);
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          }}
        >
          {copied ? <Check className="size-4" aria-hidden /> : <Copy className="size-4" aria-hidden />}
          {copied ? "Copied" : "Copy run id"}
        </button>
        {active ? (
          <form action={cancel}>
            <button
              type="submit"
              className={buttonClass("secondary")}
              disabled={Boolean(deniedReason) || cancelling || cancelRequested}
            >
              {cancelRequested ? "Cancelling…" : cancelling ? "Cancelling…" : "Cancel run"}
            </button>
          </form>
        ) : (
          <form action={rerun}>
            <button type="submit" className={buttonClass("primary")} disabled={Boolean(deniedReason) || rerunning}>
              {rerunning ? "Starting…" : "Re-run"}
            </button>
          </form>
        )}
      </div>
      {deniedReason ? <p className="text-xs text-muted">{deniedReason}</p> : null}
      <ActionFeedback state={state} />
    </div>
  );
}
