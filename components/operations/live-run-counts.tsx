"use client";

import { useRunCounts } from "@/components/live/run-progress-store";
import type { LiveCounts, ShownRun } from "@/lib/live/run-progress";
import { RunProgress } from "./progress-bar";

/**
 * A run page's progress bar and counts grid: rendered from the server's counts, then from the live
 * stream's while the run reports progress (components/live/run-progress-store.ts), with no refresh.
 */
export function LiveRunProgress({ run, counts, active }: { run: ShownRun; counts: LiveCounts; active: boolean }) {
  return <RunProgress counts={useRunCounts(run, counts)} active={active} />;
}

export function LiveRunCounts({ run, counts, empty }: { run: ShownRun; counts: LiveCounts; empty: string }) {
  const entries = Object.entries(useRunCounts(run, counts));
  if (entries.length === 0) return <p className="text-sm text-muted">{empty}</p>;
  return (
    <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4" data-testid="run-counts" data-rendered-at={run.renderedAt}>
      {entries.map(([name, value]) => (
        <div key={name} className="rounded-md bg-zinc-50 p-3 dark:bg-zinc-800/50">
          <dt className="text-xs uppercase tracking-wide text-muted">{name}</dt>
          <dd className="text-2xl font-semibold tabular-nums" data-count={name}>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
