import { describe, expect, it } from "vitest";
import type { OperationRun } from "@/db/schema";
import { paths } from "@/lib/paths";
import { FAILURES_PER_PAGE, runPageView } from "./run-page";
import { MAX_FAILURES } from "./runs";

const T0 = new Date("2026-11-28T10:00:00.000Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function run(overrides: Partial<OperationRun> = {}): OperationRun & { observedAt: Date } {
  return {
    id: "0a0a0a0a-0000-4000-8000-000000000001",
    tenantId: "0b0b0b0b-0000-4000-8000-000000000001",
    type: "inventory.sync",
    status: "completed",
    outcome: "succeeded",
    runIdentityHash: "hash",
    inputs: {},
    summaryCounts: {},
    failures: [],
    attemptErrors: [],
    initiatorKind: "user",
    initiatorUserId: null,
    initiatorName: "Alex Operator",
    scheduleId: null,
    jobId: "job",
    attempt: 1,
    cancelRequestedAt: null,
    cancelRequestedBy: null,
    createdAt: T0,
    startedAt: at(2),
    completedAt: at(62),
    updatedAt: at(62),
    observedAt: at(100),
    ...overrides,
  };
}

describe("runPageView", () => {
  it("says how long a finished run waited and ran, on the run's own timestamps", () => {
    const view = runPageView({ run: run(), role: "operator", query: {} });
    expect(view.active).toBe(false);
    expect(view.timeline.map((s) => [s.label, s.done, s.note])).toEqual([
      ["Queued", true, "by Alex Operator"],
      ["Started", true, "waited 2.0 s"],
      ["Completed", true, "ran 1 min 0 s"],
    ]);
  });

  it("measures an active run against the database's clock, not the server's", () => {
    const view = runPageView({
      run: run({ status: "queued", outcome: "pending", startedAt: null, completedAt: null }),
      role: "operator",
      query: {},
    });
    expect(view.active).toBe(true);
    expect(view.timeline[1]).toMatchObject({ label: "Started", done: false, note: "waited 1 min 40 s" });
    expect(view.timeline[2]).toMatchObject({ label: "Completed", done: false, note: undefined });
    expect(view.countsEmpty).toBe("Counts appear as the work progresses.");
  });

  it("shows a cancel request in the timeline with who asked", () => {
    const view = runPageView({
      run: run({
        status: "running",
        outcome: "pending",
        completedAt: null,
        cancelRequestedAt: at(50),
        cancelRequestedBy: "Sam",
      }),
      role: "owner",
      query: {},
    });
    expect(view.timeline.map((s) => s.label)).toEqual(["Queued", "Started", "Cancel requested", "Completed"]);
    expect(view.timeline[2]!.note).toBe("by Sam");
    expect(view.timeline[3]!.note).toBe("running for 1 min 38 s");
    expect(view.actions.cancelRequested).toBe(true);
  });

  it("says what it shows of the run besides its counts, as the trigger announces it, so progress can apply in place", () => {
    const view = runPageView({
      run: run({
        status: "running",
        outcome: "pending",
        completedAt: null,
        failures: [{ code: "x", message: "y" }],
        cancelRequestedAt: at(50),
        summaryCounts: { total: 4, processed: 1 },
      }),
      role: "operator",
      query: {},
    });
    expect(view.live).toEqual({
      id: "0a0a0a0a-0000-4000-8000-000000000001",
      status: "running",
      outcome: "pending",
      failureCount: 1,
      cancelRequested: true,
      renderedAt: at(100).getTime(),
    });
    expect(view.counts).toEqual({ total: 4, processed: 1 });
  });

  it("notes hand-backs at shutdown beside the attempt number, which they do not raise", () => {
    expect(runPageView({ run: run(), role: "operator", query: {} }).details.attempt).toBe("1");
    const handedBack = {
      attempt: 1,
      message: "Handed back at shutdown",
      at: at(5).toISOString(),
      handedBack: true as const,
    };
    const view = runPageView({
      run: run({ attemptErrors: [handedBack] }),
      role: "operator",
      query: {},
    });
    expect(view.details.attempt).toBe("1 (handed back at shutdown once)");
    expect(view.attempts[0]).toMatchObject({
      attempt: 1,
      message: "Handed back at shutdown",
      at: "2026-11-28 10:00:05 UTC",
    });
  });

  it("tells a viewer why Cancel and Re-run are disabled, and nobody else", () => {
    expect(runPageView({ run: run(), role: "viewer", query: {} }).actions.deniedReason).toBe(
      "Cancel and re-run needs the operator role; you are a viewer.",
    );
    expect(runPageView({ run: run(), role: "operator", query: {} }).actions.deniedReason).toBeUndefined();
    // An unknown type (removed from the registry) is held to the highest role.
    expect(runPageView({ run: run({ type: "gone.type" }), role: "operator", query: {} }).actions.deniedReason).toMatch(
      /owner role/,
    );
  });

  it("says who started the run and when only after a start that joined it", () => {
    expect(runPageView({ run: run(), role: "operator", query: {} }).joined).toBeNull();
    expect(runPageView({ run: run(), role: "operator", query: { joined: "1" } }).joined).toEqual({
      by: "Alex Operator",
      at: T0,
    });
  });

  it("links the run's results where the registry says they live", () => {
    const restore = run({ type: "restore.execute" });
    expect(runPageView({ run: restore, role: "operator", query: {} }).details.results).toEqual({
      label: "Restore results",
      href: paths.restore(restore.tenantId, restore.id),
    });
    expect(runPageView({ run: run({ type: "gone.type" }), role: "owner", query: {} }).details.results).toBeNull();
  });

  it("pages the kept failures, clamping a page out of range or not a number", () => {
    const failures = Array.from({ length: 45 }, (_, i) => ({ code: "x", message: `failure ${i}` }));
    const page = (failuresParam?: string) =>
      runPageView({ run: run({ failures }), role: "operator", query: { failures: failuresParam } }).failures!;
    expect(page().shown[0]!.message).toBe("failure 0");
    expect(page("3").shown.map((f) => f.message)).toEqual([
      "failure 40",
      "failure 41",
      "failure 42",
      "failure 43",
      "failure 44",
    ]);
    expect(page("99").shown[0]!.message).toBe("failure 40");
    expect(page("-4").shown[0]!.message).toBe("failure 0");
    expect(page("abc").shown).toHaveLength(FAILURES_PER_PAGE);
    expect(page("2").pages.map((p) => [p.number, p.current])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
    expect(page().pages[2]!.href).toBe(`${paths.run(run().tenantId, run().id)}?failures=3`);
    expect(page().keptOnly).toBeNull();
  });

  it("has no failure section without failures, one page without page links, and says when failures were cut", () => {
    expect(runPageView({ run: run(), role: "operator", query: {} }).failures).toBeNull();
    const few = runPageView({ run: run({ failures: [{ code: "a", message: "b" }] }), role: "operator", query: {} });
    expect(few.failures!.pages).toEqual([]);
    const many = Array.from({ length: MAX_FAILURES }, () => ({ code: "a", message: "b" }));
    expect(runPageView({ run: run({ failures: many }), role: "operator", query: {} }).failures!.keptOnly).toBe(
      MAX_FAILURES,
    );
  });
});
