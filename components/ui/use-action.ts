"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { FieldErrors } from "@/lib/errors";

/** What a server action answers: a refusal carries `error` (and maybe field errors); anything else is success. */
export type ActionAnswer = { error?: string; fieldErrors?: FieldErrors } | object | undefined | void;

export type ActionFeedback = { error?: string; done?: string; fieldErrors: FieldErrors };

function refusal(answer: ActionAnswer): { error: string; fieldErrors?: FieldErrors } | undefined {
  return answer && "error" in answer && typeof answer.error === "string" ? (answer as { error: string }) : undefined;
}

/**
 * Runs one server action at a time for a form or button: `pending` while it runs, its refusal
 * (with field errors) or the success message in `feedback` for <FormMessage>. With `refresh`,
 * success re-renders the server components (dates, lists) the action changed.
 */
export function useAction({ refresh = false }: { refresh?: boolean } = {}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [feedback, setFeedback] = useState<ActionFeedback>({ fieldErrors: {} });

  function run(action: () => Promise<ActionAnswer>, onSuccess?: { done?: string; then?: () => void }) {
    start(async () => {
      setFeedback({ fieldErrors: {} });
      const answer = await action();
      const refused = refusal(answer);
      if (refused) {
        setFeedback({ error: refused.error, fieldErrors: refused.fieldErrors ?? {} });
        return;
      }
      onSuccess?.then?.();
      setFeedback({ done: onSuccess?.done, fieldErrors: {} });
      if (refresh) router.refresh();
    });
  }

  /** A refusal found in the browser before anything is sent (e.g. two passwords that differ). */
  const refuse = (fieldErrors: FieldErrors, error?: string) => setFeedback({ error, fieldErrors });

  return { pending, feedback, run, refuse };
}
