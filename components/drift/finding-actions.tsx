"use client";

import { useActionState } from "react";
import { ActionFeedback } from "@/components/operations/action-feedback";
import { buttonClass } from "@/components/ui/button";
import { startDriftAction } from "@/lib/drift/actions";
import type { StartState } from "@/lib/operations/start-action";

/** Accept and (where there is a baseline version) Revert of one finding; each starts a run. */
export function FindingActions({
  tenantId,
  findingId,
  policyName,
  accept,
  revert,
}: {
  tenantId: string;
  findingId: string;
  /** Names each button for assistive technology: a page lists many findings. */
  policyName: string;
  /** Why the viewer may not use it, or null when they may; undefined hides it. */
  accept?: string | null;
  revert?: string | null;
}) {
  const [state, action, pending] = useActionState<StartState, FormData>(
    startDriftAction.bind(null, tenantId),
    undefined,
  );
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="findingId" value={findingId} />
      {revert !== undefined ? (
        <button
          type="submit"
          name="type"
          value="drift.revert"
          aria-label={`Revert ${policyName}`}
          className={buttonClass("secondary")}
          disabled={pending || Boolean(revert)}
          title={revert ?? undefined}
        >
          Revert
        </button>
      ) : null}
      {accept !== undefined ? (
        <button
          type="submit"
          name="type"
          value="drift.accept"
          aria-label={`Accept ${policyName}`}
          className={buttonClass("secondary")}
          disabled={pending || Boolean(accept)}
          title={accept ?? undefined}
        >
          Accept
        </button>
      ) : null}
      <ActionFeedback state={state} />
    </form>
  );
}
