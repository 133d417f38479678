"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { type ActionAnswer, useAction } from "@/components/ui/use-action";
import { changeAppIdAction, removeTenantAction, rotateSecretAction } from "@/lib/tenants/settings-actions";

/**
 * Submits a form to one action; on success clears it (a secret never stays in the page) and
 * refreshes the server-rendered dates, on refusal shows why.
 */
function useSettingsForm(send: (form: FormData) => Promise<ActionAnswer>, success: string) {
  const { pending, feedback, run } = useAction({ refresh: true });
  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    run(() => send(new FormData(element)), { done: success, then: () => element.reset() });
  }
  return { onSubmit, pending, errors: feedback.fieldErrors, status: <FormMessage {...feedback} /> };
}

const text = (form: FormData, name: string) => String(form.get(name) ?? "");

export function RotateSecretForm({ tenantId }: { tenantId: string }) {
  const { onSubmit, pending, errors, status } = useSettingsForm(
    (form) => rotateSecretAction({ tenantId, clientSecret: text(form, "clientSecret") }),
    "The new secret signed in and is stored. The old one is gone from the console.",
  );
  return (
    <form onSubmit={onSubmit} className="space-y-3" noValidate aria-label="Rotate client secret">
      <Field
        label="New client secret"
        name="clientSecret"
        type="password"
        autoComplete="off"
        required
        errors={errors.clientSecret}
        hint="The console signs in with it before storing it; a secret that does not sign in changes nothing."
      />
      {status}
      <Button type="submit" disabled={pending}>
        {pending ? "Checking…" : "Rotate secret"}
      </Button>
    </form>
  );
}

export function ChangeAppForm({ tenantId }: { tenantId: string }) {
  const { onSubmit, pending, errors, status } = useSettingsForm(
    (form) =>
      changeAppIdAction({ tenantId, clientId: text(form, "clientId"), clientSecret: text(form, "clientSecret") }),
    "The new app signed in and is stored. Verify the connection to check its permissions.",
  );
  return (
    <form onSubmit={onSubmit} className="space-y-3" noValidate aria-label="Change application">
      <Field label="New application (client) ID" name="clientId" required errors={errors.clientId} />
      <Field
        label="Its client secret"
        name="clientSecret"
        type="password"
        autoComplete="off"
        required
        errors={errors.clientSecret}
      />
      {status}
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? "Checking…" : "Change application"}
      </Button>
    </form>
  );
}

export function RemoveTenantForm({ tenantId, name }: { tenantId: string; name: string }) {
  const { onSubmit, pending, errors, status } = useSettingsForm(
    (form) => removeTenantAction({ tenantId, confirmName: text(form, "confirmName") }),
    "Removed.",
  );
  const [typed, setTyped] = useState("");
  return (
    <Card className="border-red-300 dark:border-red-900">
      <h2 className="text-lg font-semibold">Remove this tenant</h2>
      <p className="mt-1 text-sm text-muted">
        Deletes everything the console holds for it: runs, backups, inventory and versions, cached groups, members and
        invites. Nothing in Microsoft Intune changes. The audit log keeps its history. Refused while a run is active.
      </p>
      <form onSubmit={onSubmit} className="mt-4 space-y-3" noValidate aria-label="Remove tenant">
        <Field
          label={`Type ${name} to confirm`}
          name="confirmName"
          autoComplete="off"
          required
          value={typed}
          onChange={(e) => setTyped(e.currentTarget.value)}
          errors={errors.confirmName}
        />
        {status}
        <Button type="submit" variant="danger" disabled={pending || typed.trim() !== name}>
          {pending ? "Removing…" : "Remove tenant"}
        </Button>
      </form>
    </Card>
  );
}
