"use client";

import { useActionState } from "react";
import { buttonClass } from "@/components/ui/button";
import { setDriftBaselineAction } from "@/lib/drift/actions";
import type { ActionState } from "@/lib/safe-action";

export type BaselineCandidate = { id: string; label: string };

/** An owner picks the baseline among the sealed backups of the tenants they can read. */
export function BaselineForm({ tenantId, candidates }: { tenantId: string; candidates: BaselineCandidate[] }) {
  const [state, action, pending] = useActionState<ActionState<{ done?: string }>, FormData>(
    setDriftBaselineAction.bind(null, tenantId),
    undefined,
  );
  return (
    <form action={action} className="flex flex-wrap items-end gap-3" data-testid="baseline-form">
      {/* A long option must not widen the page on a phone: the select stays within its row. */}
      <div className="min-w-0 max-w-full space-y-1">
        <label htmlFor="baseline-set" className="block text-sm font-medium">
          Baseline backup
        </label>
        <select
          id="baseline-set"
          name="backupSetId"
          required
          className="block w-full max-w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-950"
        >
          {candidates.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className={buttonClass("secondary")} disabled={pending || candidates.length === 0}>
        {pending ? "Saving…" : "Use as baseline"}
      </button>
      {state?.error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {state.error}
        </p>
      ) : null}
      {state && "done" in state && state.done ? (
        <p role="status" className="text-sm text-green-700 dark:text-green-400">
          {state.done}
        </p>
      ) : null}
    </form>
  );
}
