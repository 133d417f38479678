"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { beginMicrosoftLinkAction } from "@/lib/auth/link-actions";

/**
 * Confirm your password, then sign in with Microsoft: the identity is linked to this account
 * (never a switch to another one). The confirmation holds for five minutes, on the server.
 */
export function LinkMicrosoftForm({ callbackUrl, label }: { callbackUrl: string; label: string }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(undefined);
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    const answer = await beginMicrosoftLinkAction({ password });
    if ("error" in answer) {
      setPending(false);
      setError(answer.error);
      return;
    }
    await signIn("azure-ad", { callbackUrl });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-3" data-testid="link-microsoft" noValidate>
      <Field
        label="Your console password"
        name="password"
        type="password"
        required
        autoComplete="current-password"
        hint="Linking needs your password again."
        errors={error ? [error] : undefined}
      />
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? "Opening Microsoft sign-in…" : label}
      </Button>
    </form>
  );
}
