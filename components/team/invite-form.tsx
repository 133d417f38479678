"use client";

import { useState } from "react";
import { ROLE_CHOICES, RoleSelect } from "@/components/team/role-select";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { ShownOnce } from "@/components/ui/shown-once";
import { paths } from "@/lib/paths";
import { inviteMemberAction } from "@/lib/team/actions";

type Result = Awaited<ReturnType<typeof inviteMemberAction>>;

/** Invites by email; the link is shown here once (there is no mail server) for the owner to pass on. */
export function InviteForm({ tenantId }: { tenantId: string }) {
  const [result, setResult] = useState<Result>();
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    const answer = await inviteMemberAction({
      tenantId,
      email: String(form.get("email") ?? ""),
      role: String(form.get("role") ?? "") as (typeof ROLE_CHOICES)[number],
    });
    setResult(answer);
    setPending(false);
    if ("token" in answer) event.currentTarget?.reset();
  }

  const link = result && "token" in result ? `${window.location.origin}${paths.invite(result.token)}` : undefined;
  const failure = result && "error" in result ? result : undefined;
  return (
    <Card>
      <h2 className="mb-3 text-lg font-semibold">Invite a colleague</h2>
      <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" noValidate>
        <Field
          label="Email"
          name="email"
          type="email"
          required
          className="min-w-64 flex-1"
          errors={failure?.fieldErrors?.email}
        />
        <RoleSelect name="role" defaultValue="viewer" label="Role" />
        <Button type="submit" disabled={pending}>
          {pending ? "Inviting…" : "Create invite link"}
        </Button>
      </form>
      <FormMessage error={failure?.error} className="mt-3" />
      {link && result && "token" in result ? (
        <ShownOnce value={link} label="Invite link" testId="invite-link">
          Send this link to {result.email}. It is shown only now, works once and expires in 7 days.
        </ShownOnce>
      ) : null}
    </Card>
  );
}
