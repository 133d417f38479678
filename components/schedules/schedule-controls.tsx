"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { deleteScheduleAction, runScheduleNowAction, setSchedulePausedAction } from "@/lib/schedules/actions";

/** An operator's buttons for one schedule: Run now, pause or resume, delete. */
export function ScheduleControls({
  tenantId,
  scheduleId,
  name,
  paused,
}: {
  tenantId: string;
  scheduleId: string;
  name: string;
  paused: boolean;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string>();
  const [started, setStarted] = useState<{ href: string; created: boolean }>();
  const ids = { tenantId, scheduleId };
  const run = (action: () => Promise<{ error?: string } | object>) =>
    start(async () => {
      setError(undefined);
      const answer = await action();
      if ("error" in answer && answer.error) setError(answer.error);
      else router.refresh();
    });
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button
        type="button"
        variant="secondary"
        disabled={pending}
        aria-label={`Run ${name} now`}
        onClick={() =>
          run(async () => {
            const answer = await runScheduleNowAction(ids);
            if ("href" in answer) setStarted({ href: answer.href, created: answer.created });
            return answer;
          })
        }
      >
        Run now
      </Button>
      <Button
        type="button"
        variant="secondary"
        disabled={pending}
        aria-label={`${paused ? "Resume" : "Pause"} ${name}`}
        onClick={() => run(() => setSchedulePausedAction({ ...ids, paused: !paused }))}
      >
        {paused ? "Resume" : "Pause"}
      </Button>
      <Button
        type="button"
        variant="ghost"
        disabled={pending}
        aria-label={`Delete ${name}`}
        onClick={() => {
          if (!window.confirm(`Delete the schedule "${name}"? Its runs stay.`)) return;
          run(() => deleteScheduleAction(ids));
        }}
      >
        Delete
      </Button>
      {started ? (
        <p role="status" className="w-full text-sm">
          <Link href={started.href} className="underline" data-testid="run-now-link">
            {started.created ? "Run started" : "An equal run is already active"}: open it
          </Link>
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="w-full text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}
