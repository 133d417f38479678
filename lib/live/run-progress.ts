import { z } from "zod";
import type { LiveScope, RunChange } from "./scope";

/**
 * Progress in place on a run's own page (issue 15 §3). A change that is only progress carries the
 * run's new summary counts (db/migrations/0049_live_run_progress.sql); /api/live passes them on to that
 * run's page alone (`runEvent`), and the page swaps its counts and progress bar for them without a
 * server render — unless the event says something else the page shows changed (`countsInPlace`).
 */

/** Summary counts as a run page shows them: named numbers, a handful of them. */
export const liveCountsSchema = z
  .record(z.string().max(100), z.number().finite())
  .refine((c) => Object.keys(c).length <= 50);
export type LiveCounts = z.infer<typeof liveCountsSchema>;

const progressSchema = z.object({
  counts: liveCountsSchema,
  failureCount: z.number().int().nonnegative(),
  cancelRequested: z.boolean(),
  /** When the progress was announced (the database's clock, ms): orders it against a page's render. */
  at: z.number().finite(),
});
type Progress = z.infer<typeof progressSchema>;

/** What a browser hears of a run change: ids and states; on the run's own page, its progress too. */
export type RunEvent = { id: string; status: string; outcome: string | null } & Partial<Progress>;

export function runEvent(scope: LiveScope, change: RunChange): RunEvent {
  const event = { id: change.id, status: change.status, outcome: change.outcome };
  // Other pages show no run's counts: they get ids and states only (they refresh on status changes).
  if (scope.kind !== "run" || !change.progress) return event;
  // Counts left out by the trigger (too long) or malformed: nothing extra, and the page refreshes.
  const progress = progressSchema.safeParse(change);
  return progress.success ? { ...event, ...progress.data } : event;
}

/** What a run page rendered of the run, besides its counts: a change to any of it needs a server render. */
export type RunShown = { status: string; outcome: string | null; failureCount: number; cancelRequested: boolean };

/** The run page's run as rendered: `renderedAt` (the database's clock when the page read it) tells renders apart. */
export type ShownRun = RunShown & { id: string; renderedAt: number };

const runEventSchema = z.object({
  id: z.string(),
  status: z.string(),
  outcome: z.string().nullable(),
  counts: liveCountsSchema.optional(),
  failureCount: z.number().int().nonnegative().optional(),
  cancelRequested: z.boolean().optional(),
  at: z.number().finite().optional(),
});

/** A run event as the browser receives it (JSON from the stream), or null if it is not one. */
export function parseRunEvent(data: unknown): RunEvent | null {
  const event = runEventSchema.safeParse(data);
  return event.success ? event.data : null;
}

/**
 * The counts a page that shows `shown` of the event's run can show in place, or null when it must
 * refresh: the event carries no counts, or it says the status, the outcome, the failures (listed by
 * the server) or a cancel request (which changes the actions) differ from what the page shows.
 */
export function countsInPlace(shown: RunShown | undefined, event: RunEvent): LiveCounts | null {
  if (!shown || !event.counts) return null;
  const same =
    event.status === shown.status &&
    event.outcome === shown.outcome &&
    event.failureCount === shown.failureCount &&
    event.cancelRequested === shown.cancelRequested;
  return same ? event.counts : null;
}

/** Counts a run page took from the stream, with when they were announced. */
export type TakenCounts = { counts: LiveCounts; at: number };

/**
 * What a run page shows: live counts announced after its render read the run, else the render's own.
 * A refresh that read the run before a progress write, and arrived after it, keeps the newer live
 * counts; a refresh that read it later shows what it read.
 */
export function countsToShow(taken: TakenCounts | undefined, renderedAt: number, serverCounts: LiveCounts): LiveCounts {
  return taken && taken.at > renderedAt ? taken.counts : serverCounts;
}
