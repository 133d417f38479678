import { useEffect, useSyncExternalStore } from "react";
import {
  countsInPlace,
  countsToShow,
  type LiveCounts,
  parseRunEvent,
  type ShownRun,
  type TakenCounts,
} from "@/lib/live/run-progress";

/**
 * The browser's side of progress in place (lib/live/run-progress.ts): run pages say what they show
 * of their run (`useRunCounts`), LiveUpdates hands each run event here first (`takeRunEvent`), and
 * the counts it takes replace the server's on that page without a refresh.
 *
 * Live counts and renders are ordered by the database's clock (`at` of the announcement, `renderedAt`
 * when the page read the run): a render shows live counts only if they are newer than what it read
 * (`countsToShow`), so neither a later refresh nor a slow earlier one shows older counts.
 */
const shown = new Map<string, ShownRun>();
const live = new Map<string, TakenCounts>();
const listeners = new Set<() => void>();

/** Takes a run event in place; false when the page must refresh (it is not this run's page, or more than counts changed). */
export function takeRunEvent(data: unknown): boolean {
  const event = parseRunEvent(data);
  const page = event ? shown.get(event.id) : undefined;
  const counts = page && event ? countsInPlace(page, event) : null;
  if (!page || !counts || event?.at === undefined) return false;
  live.set(page.id, { counts, at: event.at });
  for (const listener of listeners) listener();
  return true;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The counts to show for a run page's run: the server's, or newer ones from the live stream. */
export function useRunCounts(run: ShownRun, serverCounts: LiveCounts): LiveCounts {
  const { id, status, outcome, failureCount, cancelRequested, renderedAt } = run;
  useEffect(() => {
    const mine: ShownRun = { id, status, outcome, failureCount, cancelRequested, renderedAt };
    shown.set(id, mine);
    return () => {
      // The page's components register the same run and go together: the first to go forgets it.
      if (shown.get(id)?.renderedAt === renderedAt) shown.delete(id);
    };
  }, [id, status, outcome, failureCount, cancelRequested, renderedAt]);
  // Live counts outlive a new render of the page (`countsToShow` orders the two); they go with the page.
  useEffect(() => () => void live.delete(id), [id]);
  const value = useSyncExternalStore(
    subscribe,
    () => live.get(id),
    () => undefined,
  );
  return countsToShow(value, renderedAt, serverCounts);
}
