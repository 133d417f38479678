"use client";

import { useActionState, useState } from "react";
import { ActionFeedback } from "@/components/operations/action-feedback";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { useAction } from "@/components/ui/use-action";
import type { StartState } from "@/lib/operations/start-action";
import { deleteBackupAction, setBackupPinAction, setRetentionAction } from "@/lib/retention/actions";

/** An owner's pin / unpin of one sealed backup set (pinned sets are never pruned nor deleted). */
export function PinButton({
  tenantId,
  backupSetId,
  name,
  pinned,
}: {
  tenantId: string;
  backupSetId: string;
  name: string;
  pinned: boolean;
}) {
  const { pending, feedback, run } = useAction({ refresh: true });
  return (
    <div className="space-y-1">
      <Button
        type="button"
        variant="secondary"
        disabled={pending}
        aria-label={`${pinned ? "Unpin" : "Pin"} ${name}`}
        onClick={() => run(() => setBackupPinAction({ tenantId, backupSetId, pinned: !pinned }))}
      >
        {pinned ? "Unpin" : "Pin"}
      </Button>
      <FormMessage error={feedback.error} />
    </div>
  );
}

/** The tenant's backup retention (owners): days, last N sets, either, both, or neither. */
export function RetentionForm({
  tenantId,
  keepDays,
  keepCount,
}: {
  tenantId: string;
  keepDays: number | null;
  keepCount: number | null;
}) {
  const { pending, feedback, run } = useAction({ refresh: true });
  const errors = feedback.fieldErrors;
  return (
    <form
      aria-label="Backup retention"
      noValidate
      className="flex flex-wrap items-end gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        run(() => setRetentionAction(tenantId, form), {
          done: "Saved. Retention runs now and every day; pinned backups and the newest one always stay.",
        });
      }}
    >
      <Field
        label="Keep backups for (days)"
        name="keepDays"
        inputMode="numeric"
        defaultValue={keepDays ?? ""}
        hint="Empty: no age limit."
        errors={errors.keepDays}
        className="w-48"
      />
      <Field
        label="Keep the last (backups)"
        name="keepCount"
        inputMode="numeric"
        defaultValue={keepCount ?? ""}
        hint="Empty: no count limit."
        errors={errors.keepCount}
        className="w-48"
      />
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save retention"}
      </Button>
      <FormMessage {...feedback} className="w-full" />
    </form>
  );
}

/** Deleting a sealed set is a run; the owner types "delete" to confirm (the server checks it too). */
export function DeleteBackupForm({ tenantId, backupSetId }: { tenantId: string; backupSetId: string }) {
  const [state, action, pending] = useActionState<StartState, FormData>(
    deleteBackupAction.bind(null, tenantId),
    undefined,
  );
  const [typed, setTyped] = useState("");
  return (
    <form action={action} className="space-y-3" aria-label="Delete backup" noValidate>
      <input type="hidden" name="backupSetId" value={backupSetId} />
      <Field
        label="Type delete to confirm"
        name="confirm"
        autoComplete="off"
        value={typed}
        onChange={(e) => setTyped(e.currentTarget.value)}
        errors={state?.fieldErrors?.confirm}
      />
      <ActionFeedback state={state} />
      <Button type="submit" variant="danger" disabled={pending || typed.trim().toLowerCase() !== "delete"}>
        {pending ? "Starting…" : "Delete backup"}
      </Button>
    </form>
  );
}
