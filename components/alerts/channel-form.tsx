"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { createAlertChannelAction } from "@/lib/alerts/actions";
import { type OperationChoice, RulesFields, readRules } from "./rules-fields";
import { SecretOnce } from "./secret-once";

type Result = Awaited<ReturnType<typeof createAlertChannelAction>>;

const KINDS = [
  ["webhook", "Signed webhook (JSON)"],
  ["slack", "Slack incoming webhook"],
  ["teams", "Teams Workflows webhook"],
] as const;

/** An owner adds a channel; its signing secret is shown here once. */
export function NewChannelForm({
  tenantId,
  operationChoices,
}: {
  tenantId: string;
  operationChoices: OperationChoice[];
}) {
  const router = useRouter();
  const [result, setResult] = useState<Result>();
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setPending(true);
    const answer = await createAlertChannelAction({
      tenantId,
      name: String(form.get("name") ?? ""),
      kind: String(form.get("kind") ?? ""),
      url: String(form.get("url") ?? ""),
      rules: readRules(form),
    });
    setResult(answer);
    setPending(false);
    if ("signingSecret" in answer) {
      formElement.reset();
      router.refresh();
    }
  }

  const failure = result && "error" in result ? result : undefined;
  return (
    <Card>
      <h2 className="mb-3 text-lg font-semibold">Add a channel</h2>
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <div className="flex flex-wrap items-end gap-3">
          <Field label="Name" name="name" required className="min-w-48 flex-1" errors={failure?.fieldErrors?.name} />
          <div className="space-y-1">
            <label htmlFor="field-kind" className="block text-sm font-medium">
              Kind
            </label>
            <select
              id="field-kind"
              name="kind"
              defaultValue="webhook"
              className="block rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-950"
            >
              {KINDS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
        </div>
        <Field
          label="Webhook URL"
          name="url"
          type="url"
          required
          autoComplete="off"
          hint="https:// only (http:// for localhost). Stored encrypted; only its host is shown again."
          errors={failure?.fieldErrors?.url}
        />
        <RulesFields operationChoices={operationChoices} />
        <Button type="submit" disabled={pending}>
          {pending ? "Adding…" : "Add channel"}
        </Button>
      </form>
      {failure?.error ? (
        <p role="alert" className="mt-3 text-sm text-red-600 dark:text-red-400">
          {failure.error}
        </p>
      ) : null}
      {result && "signingSecret" in result ? (
        <SecretOnce secret={result.signingSecret} intro="The channel was added. This is its signing secret." />
      ) : null}
    </Card>
  );
}
