"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { signInErrorMessage } from "@/lib/auth/sign-in-error";

export function SignInForm({ callbackUrl, microsoft }: { callbackUrl: string; microsoft: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    if (result?.ok && !result.error) {
      router.replace(callbackUrl);
      router.refresh();
      return;
    }
    setPending(false);
    setError(signInErrorMessage(result?.error ?? ""));
  }

  return (
    <Card>
      <form onSubmit={onSubmit} className="space-y-4">
        <Field label="Email" name="email" type="email" autoComplete="username" required autoFocus />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required />
        <FormMessage error={error} />
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {microsoft ? (
        <div className="mt-4 border-t border-zinc-200 pt-4 dark:border-zinc-800">
          <Button
            type="button"
            variant="secondary"
            className="w-full"
            onClick={() => signIn("azure-ad", { callbackUrl })}
          >
            Sign in with Microsoft
          </Button>
          <p className="mt-2 text-xs text-muted">Needed to search Entra groups with your own permissions.</p>
        </div>
      ) : null}
    </Card>
  );
}
