"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import type { AlertRules } from "@/db/schema/alerts";
import {
  deleteAlertChannelAction,
  rotateAlertSecretAction,
  sendTestAlertAction,
  updateAlertChannelAction,
} from "@/lib/alerts/actions";
import { type OperationChoice, RulesFields, readRules } from "./rules-fields";
import { SecretOnce } from "./secret-once";

type Answer = { error?: string } | object | undefined;

/** Runs one action; shows its refusal (or what `onDone` makes of the answer) and refreshes the page. */
function useAction() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string>();
  const run = <A extends Answer>(action: () => Promise<A>, onDone?: (answer: A) => void) =>
    start(async () => {
      setError(undefined);
      const answer = await action();
      if (answer && "error" in answer && answer.error) setError(answer.error);
      else {
        onDone?.(answer);
        router.refresh();
      }
    });
  return { pending, error, run };
}

function ErrorText({ error }: { error?: string }) {
  return error ? (
    <p role="alert" className="text-sm text-red-600 dark:text-red-400">
      {error}
    </p>
  ) : null;
}

/** Send test, rotate the signing secret, delete: an owner's buttons on a channel's page. */
export function ChannelActions({ tenantId, channelId, name }: { tenantId: string; channelId: string; name: string }) {
  const { pending, error, run } = useAction();
  const [secret, setSecret] = useState<string>();
  const [sent, setSent] = useState(false);
  const ref = { tenantId, channelId };
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        <Button
          type="button"
          disabled={pending}
          data-testid="send-test-alert"
          onClick={() =>
            run(
              () => sendTestAlertAction(ref),
              () => setSent(true),
            )
          }
        >
          Send test
        </Button>
        <Button
          type="button"
          variant="secondary"
          disabled={pending}
          onClick={() => {
            if (!window.confirm("Make a new signing secret? Receivers must be given it: the old one stops verifying."))
              return;
            run(
              () => rotateAlertSecretAction(ref),
              (answer) => {
                if ("signingSecret" in answer) setSecret(answer.signingSecret);
              },
            );
          }}
        >
          Rotate signing secret
        </Button>
        <Button
          type="button"
          variant="danger"
          disabled={pending}
          onClick={() => {
            if (!window.confirm(`Delete the channel "${name}" and its delivery history?`)) return;
            run(() => deleteAlertChannelAction(ref));
          }}
        >
          Delete
        </Button>
      </div>
      {sent ? (
        <p role="status" className="text-sm">
          Test alert queued: it appears under Deliveries below.
        </p>
      ) : null}
      <ErrorText error={error} />
      {secret ? <SecretOnce secret={secret} intro="The signing secret was replaced." /> : null}
    </div>
  );
}

/** An owner renames the channel, changes its rules or pauses it. */
export function EditChannelForm(props: {
  tenantId: string;
  channelId: string;
  name: string;
  enabled: boolean;
  rules: AlertRules;
  operationChoices: OperationChoice[];
}) {
  const { pending, error, run } = useAction();
  const [saved, setSaved] = useState(false);
  return (
    <Card>
      <h2 className="mb-3 text-lg font-semibold">Edit channel</h2>
      <form
        className="space-y-4"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          setSaved(false);
          run(
            () =>
              updateAlertChannelAction({
                tenantId: props.tenantId,
                channelId: props.channelId,
                name: String(form.get("name") ?? ""),
                enabled: form.get("enabled") === "on",
                rules: readRules(form),
              }),
            () => setSaved(true),
          );
        }}
      >
        <Field label="Name" name="name" defaultValue={props.name} required />
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            name="enabled"
            defaultChecked={props.enabled}
            className="h-4 w-4 rounded border-zinc-300 dark:border-zinc-700"
          />
          Active (a paused channel gets no alerts; Send test still works)
        </label>
        <RulesFields rules={props.rules} operationChoices={props.operationChoices} />
        <Button type="submit" variant="secondary" disabled={pending}>
          Save
        </Button>
        {saved ? (
          <p role="status" className="text-sm">
            Saved.
          </p>
        ) : null}
        <ErrorText error={error} />
      </form>
    </Card>
  );
}
