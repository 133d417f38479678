"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { changePasswordAction, signOutOtherSessionsAction, unlinkIdentityAction } from "@/lib/account/actions";

function Feedback({ error, done }: { error?: string; done?: string }) {
  if (error)
    return (
      <p role="alert" className="text-sm text-red-600 dark:text-red-400">
        {error}
      </p>
    );
  return done ? (
    <p role="status" className="text-sm text-green-700 dark:text-green-400">
      {done}
    </p>
  ) : null;
}

export function ChangePasswordForm() {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[] | undefined>>({});

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const newPassword = String(form.get("newPassword") ?? "");
    setDone(undefined);
    if (newPassword !== String(form.get("confirm") ?? "")) {
      setFieldErrors({ confirm: ["The passwords differ."] });
      return;
    }
    start(async () => {
      const answer = await changePasswordAction({
        currentPassword: String(form.get("currentPassword") ?? ""),
        newPassword,
      });
      if ("error" in answer) {
        setError(answer.error);
        setFieldErrors(answer.fieldErrors ?? {});
        return;
      }
      setError(undefined);
      setFieldErrors({});
      formElement.reset();
      setDone("Password changed. Your other sessions are signed out.");
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
      <Feedback error={error} done={done} />
      <Button type="submit" disabled={pending}>
        {pending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}

export function SignOutOtherSessionsButton() {
  const [pending, start] = useTransition();
  const [answer, setAnswer] = useState<{ error?: string; done?: string }>({});
  return (
    <div className="space-y-2">
      <Button
        type="button"
        variant="secondary"
        disabled={pending}
        onClick={() =>
          start(async () => {
            const result = await signOutOtherSessionsAction();
            setAnswer("error" in result ? { error: result.error } : { done: "Every other session is signed out." });
          })
        }
      >
        {pending ? "Signing out…" : "Sign out other sessions"}
      </Button>
      <Feedback {...answer} />
    </div>
  );
}

export function UnlinkButton({ tenantGuid, objectId, label }: { tenantGuid: string; objectId: string; label: string }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string>();
  return (
    <div className="space-y-1 text-right">
      <Button
        type="button"
        variant="secondary"
        disabled={pending}
        aria-label={`Unlink ${label}`}
        onClick={() =>
          start(async () => {
            const result = await unlinkIdentityAction({ tenantGuid, objectId });
            setError("error" in result ? result.error : undefined);
          })
        }
      >
        {pending ? "Unlinking…" : "Unlink"}
      </Button>
      <Feedback error={error} />
    </div>
  );
}
