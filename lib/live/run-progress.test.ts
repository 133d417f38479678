import { describe, expect, it } from "vitest";
import { countsInPlace, countsToShow, parseRunEvent, type RunShown, runEvent } from "./run-progress";
import type { LiveScope, RunChange } from "./scope";

const RUN = "33333333-3333-4333-8333-333333333333";
const TENANT = "11111111-1111-4111-8111-111111111111";

/** A progress change as 0049_live_run_progress.sql and 0050_live_progress_time.sql announce it. */
const progress = (over: Partial<RunChange> = {}): RunChange => ({
  op: "update",
  id: RUN,
  tenantId: TENANT,
  status: "running",
  outcome: "pending",
  type: "inventory.sync",
  initiatorKind: "user",
  initiatorUserId: null,
  progress: true,
  counts: { total: 10, processed: 4 },
  failureCount: 0,
  cancelRequested: false,
  at: 1_000,
  ...over,
});

const runPage: LiveScope = { kind: "run", runId: RUN };

describe("run events for the browser", () => {
  it("carries a run's progress to its own page only; every other page gets ids and states", () => {
    expect(runEvent(runPage, progress())).toEqual({
      id: RUN,
      status: "running",
      outcome: "pending",
      counts: { total: 10, processed: 4 },
      failureCount: 0,
      cancelRequested: false,
      at: 1_000,
    });
    const idsAndStates = { id: RUN, status: "running", outcome: "pending" };
    for (const scope of [{ kind: "runs" }, { kind: "runs", tenantId: TENANT }, { kind: "none" }] as LiveScope[])
      expect(runEvent(scope, progress())).toEqual(idsAndStates);
    // A status change: the page refreshes, so nothing but ids and states either.
    expect(runEvent(runPage, progress({ progress: false }))).toEqual(idsAndStates);
  });

  it("never passes on the change's other fields, and drops progress that is missing or malformed", () => {
    const event = runEvent(runPage, progress());
    for (const field of ["tenantId", "type", "initiatorKind", "initiatorUserId", "op", "progress"])
      expect(event).not.toHaveProperty(field);
    const idsAndStates = { id: RUN, status: "running", outcome: "pending" };
    // Counts too long for NOTIFY are left out by the trigger.
    expect(runEvent(runPage, progress({ counts: undefined }))).toEqual(idsAndStates);
    expect(runEvent(runPage, progress({ counts: { total: "ten" } as never }))).toEqual(idsAndStates);
    expect(runEvent(runPage, progress({ failureCount: null }))).toEqual(idsAndStates);
    // Progress that does not say when it was made cannot be ordered against a render.
    expect(runEvent(runPage, progress({ at: undefined }))).toEqual(idsAndStates);
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`c${i}`, i]));
    expect(runEvent(runPage, progress({ counts: many }))).toEqual(idsAndStates);
  });
});

describe("counts in place", () => {
  const shown: RunShown = { status: "running", outcome: "pending", failureCount: 0, cancelRequested: false };
  const event = (over: Partial<RunChange> = {}) => parseRunEvent(runEvent(runPage, progress(over)))!;

  it("takes counts when nothing else the page shows changed", () => {
    expect(countsInPlace(shown, event())).toEqual({ total: 10, processed: 4 });
  });

  it("refreshes when the run moved on, failed an item, was asked to cancel, or sent no counts", () => {
    expect(countsInPlace(shown, event({ status: "completed" }))).toBeNull();
    expect(countsInPlace({ ...shown, status: "queued" }, event())).toBeNull();
    expect(countsInPlace(shown, event({ outcome: "succeeded" }))).toBeNull();
    expect(countsInPlace(shown, event({ failureCount: 1 }))).toBeNull();
    expect(countsInPlace(shown, event({ cancelRequested: true }))).toBeNull();
    expect(countsInPlace(shown, event({ counts: undefined }))).toBeNull();
    // A page that does not show this run (not registered) refreshes as before.
    expect(countsInPlace(undefined, event())).toBeNull();
  });

  it("reads only well-formed events from the stream", () => {
    expect(parseRunEvent(undefined)).toBeNull();
    expect(parseRunEvent({ id: RUN })).toBeNull();
    expect(parseRunEvent({ id: RUN, status: "running", outcome: null, counts: { a: "1" } })).toBeNull();
  });
});

describe("counts to show", () => {
  const server = { processed: 0 };
  const taken = { counts: { processed: 2 }, at: 2_000 };

  it("shows live counts announced after the render read the run, and the render's own otherwise", () => {
    expect(countsToShow(undefined, 1_000, server)).toBe(server);
    // A refresh requested before a progress write, read before it and arriving after it, keeps the newer counts.
    expect(countsToShow(taken, 1_500, server)).toBe(taken.counts);
    // A refresh that read the run after the announcement shows what it read.
    expect(countsToShow(taken, 2_500, server)).toBe(server);
    expect(countsToShow(taken, 2_000, server)).toBe(server);
  });
});
