"use client";

import { useActionState } from "react";
import { ActionFeedback } from "@/components/operations/action-feedback";
import { buttonClass } from "@/components/ui/button";
import type { StartState } from "@/lib/operations/start-action";
import { startRestoreAction } from "@/lib/restores/actions";

/** The preview's start: the wizard's choices as form fields, checked again by the server. */
export function StartRestoreForm({
  tenantId,
  fields,
  blockedReason,
}: {
  tenantId: string;
  fields: [string, string][];
  blockedReason?: string;
}) {
  const [state, formAction, pending] = useActionState<StartState, FormData>(
    startRestoreAction.bind(null, tenantId),
    undefined,
  );
  return (
    <form action={formAction} className="space-y-2">
      {fields.map(([name, value], i) => (
        <input key={i} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className={buttonClass("primary")} disabled={pending || Boolean(blockedReason)}>
        {pending ? "Starting…" : "Start restore"}
      </button>
      {blockedReason ? <p className="text-sm text-amber-700 dark:text-amber-400">{blockedReason}</p> : null}
      <ActionFeedback state={state} />
    </form>
  );
}
