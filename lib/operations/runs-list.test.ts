import { describe, expect, it } from "vitest";
import { runFiltersSchema } from "./queries";
import { runsListView } from "./runs-list";

const BASE = "/t/tenant-1/operations";
const NO_RUNS: Parameters<typeof runsListView>[0]["loaded"] = {
  runs: [],
  nextCursor: null,
  counts: { queued: 2, running: 1, completed: 12_000 },
  names: new Map<string, string>(),
};
const view = (query: Record<string, string>, loaded = NO_RUNS) =>
  runsListView({ state: runFiltersSchema.parse(query), basePath: BASE, loaded });

describe("the runs list's URL state", () => {
  it("drops malformed or hostile values instead of failing the page", () => {
    const state = runFiltersSchema.parse({
      status: "deleted",
      outcome: "failed",
      type: "x'; drop table operation_runs; --",
      initiator: "not-a-uuid",
      from: "2026-02-30x",
      q: "A1B2-C3",
      sort: "sideways",
      cursor: "1_2",
      hide: "id,__proto__,duration,nonsense",
    });
    expect(state).toEqual({
      status: undefined,
      outcome: "failed",
      type: undefined,
      initiator: undefined,
      from: undefined,
      to: undefined,
      q: "a1b2c3",
      sort: undefined,
      cursor: undefined,
      hide: ["id", "duration"],
    });
  });
});

describe("runsListView", () => {
  it("builds every link from the changed state, starting again from the first page", () => {
    const v = view({
      outcome: "failed",
      cursor: `1700000000000000_${"a".repeat(8)}-0000-4000-8000-000000000000`,
      hide: "id",
    });
    const chip = (label: string) => v.chips.find((c) => c.label === label)!;
    expect(chip("Running").href).toBe(`${BASE}?status=running&outcome=failed&hide=id`);
    expect(chip("All").active).toBe(true);
    expect(v.firstPageHref).toBe(`${BASE}?outcome=failed&hide=id`);
    expect(v.clearHref).toBe(`${BASE}?hide=id`);
    expect(v.holdNewRuns).toBe(false);
  });

  it("marks the chosen status chip and caps counts it cannot afford to count exactly", () => {
    const v = view({ status: "completed" });
    expect(v.chips.map((c) => [c.label, c.count, c.active])).toEqual([
      ["All", "10,000+", false],
      ["Queued", "2", false],
      ["Running", "1", false],
      ["Completed", "10,000+", true],
    ]);
  });

  it("says whether nothing ran or nothing matched", () => {
    expect(view({}).empty.title).toBe("No operations yet");
    expect(view({}).filtered).toBe(false);
    // Order and hidden columns are not filters.
    expect(view({ sort: "oldest", hide: "id" }).filtered).toBe(false);
    expect(view({ q: "abc" }).empty.title).toBe("No runs match these filters");
    expect(view({ sort: "oldest" }).holdNewRuns).toBe(false);
    expect(view({}).holdNewRuns).toBe(true);
  });

  it("links each row to its run and pages on with the cursor", () => {
    const row = {
      id: "0a0a0a0a-0000-4000-8000-000000000001",
      tenantId: "0b0b0b0b-0000-4000-8000-000000000001",
      type: "tenant.verify",
      status: "completed" as const,
      outcome: "succeeded" as const,
      summaryCounts: {},
      initiatorName: "Alex",
      initiatorKind: "user" as const,
      createdAt: new Date(),
      startedAt: null,
      completedAt: null,
      cursor: "1",
    };
    const v = view({}, { ...NO_RUNS, runs: [row], nextCursor: "next-1", names: new Map([[row.tenantId, "Contoso"]]) });
    expect(v.rows[0]).toMatchObject({
      href: `/t/${row.tenantId}/operations/${row.id}`,
      label: "Verify connection",
      tenantName: "Contoso",
    });
    expect(v.nextPageHref).toBe(`${BASE}?cursor=next-1`);
    expect(v.firstPageHref).toBeNull();
  });
});
