import { useEffect, useSyncExternalStore } from "react";
import { countsInPlace, type LiveCounts, parseRunEvent, type ShownRun } from "@/lib/live/run-progress";

/**
 * The browser's side of progress in place (lib/live/run-progress.ts): run pages say what they show
 * of their run (`useRunCounts`), LiveUpdates hands each run event here first (`takeRunEvent`), and
 * the counts it takes replace the server's on that page without a refresh.
 *
 * A live value belongs to the server render it was taken over (`renderedAt`, the database's clock
 * when the page read the run): a later render — a refresh for a status change — shows its own
 * counts, never older live ones; the next event then applies over it.
 */
const shown = new Map<string, ShownRun>();
const live = new Map<string, { counts: LiveCounts; over: number }>();
const listeners = new Set<() => void>();

/** Takes a run event in place; false when the page must refresh (it is not this run's page, or more than counts changed). */
export function takeRunEvent(data: unknown): boolean {
  const event = parseRunEvent(data);
  const page = event ? shown.get(event.id) : undefined;
  const counts = page && event ? countsInPlace(page, event) : null;
  if (!page || !counts) return false;
  live.set(page.id, { counts, over: page.renderedAt });
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
      if (shown.get(id)?.renderedAt !== renderedAt) return;
      shown.delete(id);
      live.delete(id);
    };
  }, [id, status, outcome, failureCount, cancelRequested, renderedAt]);
  const value = useSyncExternalStore(
    subscribe,
    () => live.get(id),
    () => undefined,
  );
  return value && value.over === renderedAt ? value.counts : serverCounts;
}
