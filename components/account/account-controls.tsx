"use client";

import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { useAction } from "@/components/ui/use-action";
import { changePasswordAction, signOutOtherSessionsAction, unlinkIdentityAction } from "@/lib/account/actions";

export function ChangePasswordForm() {
  const { pending, feedback, run, refuse } = useAction();
  const fieldErrors = feedback.fieldErrors;

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const newPassword = String(form.get("newPassword") ?? "");
    if (newPassword !== String(form.get("confirm") ?? "")) {
      refuse({ confirm: ["The passwords differ."] });
      return;
    }
    run(() => changePasswordAction({ currentPassword: String(form.get("currentPassword") ?? ""), newPassword }), {
      done: "Password changed. Your other sessions are signed out.",
      then: () => formElement.reset(),
    });
  }

  return (
    <form onSubmit={onSubmit} className="max-w-sm space-y-4" noValidate aria-label="Change password">
      <Field
        label="Current password"
        name="currentPassword"
        type="password"
        required
        autoComplete="current-password"
        errors={fieldErrors.currentPassword}
      />
      <Field
        label="New password"
        name="newPassword"
        type="password"
        required
        autoComplete="new-password"
        hint="At least 12 characters."
        errors={fieldErrors.newPassword}
      />
      <Field
        label="Repeat the new password"
        name="confirm"
        type="password"
        required
        autoComplete="new-password"
        errors={fieldErrors.confirm}
      />
      <FormMessage {...feedback} />
      <Button type="submit" disabled={pending}>
        {pending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}

export function SignOutOtherSessionsButton() {
  const { pending, feedback, run } = useAction();
  return (
    <div className="space-y-2">
      <Button
        type="button"
        variant="secondary"
        disabled={pending}
        onClick={() => run(() => signOutOtherSessionsAction(), { done: "Every other session is signed out." })}
      >
        {pending ? "Signing out…" : "Sign out other sessions"}
      </Button>
      <FormMessage {...feedback} />
    </div>
  );
}

export function UnlinkButton({ tenantGuid, objectId, label }: { tenantGuid: string; objectId: string; label: string }) {
  const { pending, feedback, run } = useAction();
  return (
    <div className="space-y-1 text-right">
      <Button
        type="button"
        variant="secondary"
        disabled={pending}
        aria-label={`Unlink ${label}`}
        onClick={() => run(() => unlinkIdentityAction({ tenantGuid, objectId }))}
      >
        {pending ? "Unlinking…" : "Unlink"}
      </Button>
      <FormMessage error={feedback.error} />
    </div>
  );
}
