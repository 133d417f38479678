"use client";

import { signIn } from "next-auth/react";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { beginMicrosoftLinkAction } from "@/lib/auth/link-actions";

/**
 * Confirm your password, then sign in with Microsoft: the identity is linked to this account
 * (never a switch to another one). The confirmation holds for five minutes, on the server.
 * Not a <form>: the RBAC wizard shows it inside its own form, and forms do not nest.
 */
export function LinkMicrosoftForm({ callbackUrl, label }: { callbackUrl: string; label: string }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const [password, setPassword] = useState("");
  // The wizard shows this once per group picker: each needs its own field id.
  const field = `link-password-${useId().replace(/[^a-zA-Z0-9]/g, "")}`;

  async function link() {
    setPending(true);
    setError(undefined);
    const answer = await beginMicrosoftLinkAction({ password });
    if ("error" in answer) {
      setPending(false);
      setError(answer.error);
      return;
    }
    await signIn("azure-ad", { callbackUrl });
  }

  return (
    <div className="space-y-3" data-testid="link-microsoft">
      <Field
        label="Your console password"
        name={field}
        type="password"
        required
        autoComplete="current-password"
        hint="Linking needs your password again."
        errors={error ? [error] : undefined}
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            void link();
          }
        }}
      />
      <Button type="button" variant="secondary" disabled={pending} onClick={link}>
        {pending ? "Opening Microsoft sign-in…" : label}
      </Button>
    </div>
  );
}
