"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { useAction } from "@/components/ui/use-action";
import { beginMicrosoftInviteSignInAction } from "@/lib/auth/link-actions";
import { paths } from "@/lib/paths";
import { acceptInviteAction, createAccountFromInviteAction } from "@/lib/team/actions";

export function AcceptInviteButton({ token }: { token: string }) {
  const { pending, feedback, run } = useAction();
  return (
    <div className="space-y-2">
      <Button
        type="button"
        disabled={pending}
        // Success navigates to the tenant; only a refusal comes back.
        onClick={() => run(() => acceptInviteAction({ token }))}
      >
        {pending ? "Joining…" : "Accept invite"}
      </Button>
      <FormMessage error={feedback.error} />
    </div>
  );
}

/** A password account for the invite's email (fixed: the inviter vouched for it), then a sign-in. */
export function CreateAccountForm({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const { pending, feedback, run, refuse } = useAction();
  const fieldErrors = feedback.fieldErrors;

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    if (password !== String(form.get("confirm") ?? "")) {
      refuse({ confirm: ["The passwords differ."] });
      return;
    }
    // One action from the browser's side: create the account, then sign in with it and go to the tenant.
    run(async () => {
      const answer = await createAccountFromInviteAction({ token, name: String(form.get("name") ?? ""), password });
      if ("error" in answer) return answer;
      const signedIn = await signIn("credentials", { email: answer.email, password, redirect: false });
      if (!signedIn?.ok || signedIn.error)
        return { error: "Your account is ready, but signing in failed: sign in with your new password." };
      router.replace(paths.tenant(answer.tenantId));
      router.refresh();
    });
  }

  return (
    <Card>
      <h2 className="mb-3 font-semibold">Create your account</h2>
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <Field label="Email" name="email" type="email" value={email} readOnly autoComplete="username" />
        <Field label="Your name" name="name" required autoComplete="name" errors={fieldErrors.name} />
        <Field
          label="Password"
          name="password"
          type="password"
          required
          autoComplete="new-password"
          hint="At least 12 characters."
          errors={fieldErrors.password}
        />
        <Field
          label="Repeat the password"
          name="confirm"
          type="password"
          required
          autoComplete="new-password"
          errors={fieldErrors.confirm}
        />
        <FormMessage error={feedback.error} />
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? "Creating…" : "Create account and join"}
        </Button>
      </form>
    </Card>
  );
}

/**
 * Signs in with Microsoft carrying this invite: a Microsoft account without a console account gets
 * one (with the invite's email) and joins; one already linked signs in and comes back here to accept.
 */
export function MicrosoftInviteSignIn({ token, callbackUrl }: { token: string; callbackUrl: string }) {
  const { pending, feedback, run } = useAction();
  return (
    <div className="space-y-2">
      <Button
        type="button"
        variant="secondary"
        disabled={pending}
        onClick={() =>
          run(async () => {
            const answer = await beginMicrosoftInviteSignInAction({ token });
            if ("error" in answer) return answer;
            await signIn("azure-ad", { callbackUrl });
          })
        }
      >
        Sign in with Microsoft
      </Button>
      <FormMessage error={feedback.error} />
    </div>
  );
}
