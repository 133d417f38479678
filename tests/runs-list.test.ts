import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operationRuns, type RunOutcome, type RunStatus } from "@/db/schema";
import { countRunsByStatus, listRuns, runFiltersSchema } from "@/lib/operations/queries";
import { createTestTenant, createUser, openHarness } from "./support/harness";

let h: Awaited<ReturnType<typeof openHarness>>;
let tenantA: string;
let tenantB: string;
let alice: { id: string; name: string };
let bob: { id: string; name: string };
const ids: string[] = [];

/** 30 runs in A (alternating initiators, statuses and days) and 5 in B, inserted with known times. */
beforeAll(async () => {
  h = await openHarness();
  alice = await createUser(h.db, "Alice");
  bob = await createUser(h.db, "Bob");
  tenantA = (await createTestTenant(h.db, alice.id)).id;
  tenantB = (await createTestTenant(h.db, alice.id)).id;
  const base = Date.UTC(2026, 0, 10, 12);
  const rows = Array.from({ length: 35 }, (_, i) => {
    const status: RunStatus = i % 5 === 0 ? "running" : i % 7 === 0 ? "queued" : "completed";
    const outcome: RunOutcome = status !== "completed" ? "pending" : i % 3 === 0 ? "failed" : "succeeded";
    const who = i % 2 === 0 ? alice : bob;
    return {
      id: randomUUID(),
      tenantId: i < 30 ? tenantA : tenantB,
      type: i % 4 === 0 ? "test.partial" : "test.noop",
      status,
      outcome,
      runIdentityHash: randomUUID(),
      initiatorUserId: who.id,
      initiatorName: who.name,
      // One run a day apart at the same instant for a few, to exercise ties on created_at.
      createdAt: new Date(base + Math.floor(i / 2) * 86_400_000),
    };
  });
  await h.db.insert(operationRuns).values(rows);
  ids.push(...rows.slice(0, 30).map((r) => r.id));
});
afterAll(async () => {
  await h.close();
});

const parse = (params: Record<string, string>) => runFiltersSchema.parse(params);

async function allPages(tenantIds: string[], params: Record<string, string>, pageSize = 7) {
  const seen: Awaited<ReturnType<typeof listRuns>>["runs"] = [];
  let cursor: string | undefined;
  do {
    const page = await listRuns(h.db, {
      tenantIds,
      filters: parse({ ...params, ...(cursor ? { cursor } : {}) }),
      pageSize,
    });
    seen.push(...page.runs);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return seen;
}

describe("runs list queries", () => {
  it("keyset-pages every run exactly once, newest first, including ties on created_at", async () => {
    const seen = await allPages([tenantA], {});
    expect(seen).toHaveLength(30);
    expect(new Set(seen.map((r) => r.id))).toEqual(new Set(ids));
    const times = seen.map((r) => r.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const oldest = await allPages([tenantA], { sort: "oldest" });
    expect(oldest.map((r) => r.id)).toEqual(seen.map((r) => r.id).reverse());
  });

  it("combines filters: status, outcome, type, initiator, date range", async () => {
    const check = async (
      params: Record<string, string>,
      predicate: (r: Awaited<ReturnType<typeof listRuns>>["runs"][number]) => boolean,
    ) => {
      const all = await allPages([tenantA], {});
      const filtered = await allPages([tenantA], params);
      expect(filtered.map((r) => r.id).sort()).toEqual(
        all
          .filter(predicate as never)
          .map((r) => r.id)
          .sort(),
      );
      expect(filtered.length).toBeGreaterThan(0);
    };
    await check({ status: "running" }, (r) => r.status === "running");
    await check({ outcome: "failed", type: "test.noop" }, (r) => r.outcome === "failed" && r.type === "test.noop");
    await check(
      { initiator: bob.id, status: "completed" },
      (r) => r.initiatorName === "Bob" && r.status === "completed",
    );
    await check(
      { from: "2026-01-12", to: "2026-01-14" },
      (r) => r.createdAt >= new Date("2026-01-12") && r.createdAt < new Date("2026-01-15"),
    );
  });

  it("finds a run by its id or the start of it, with or without dashes", async () => {
    const target = ids[17]!;
    for (const q of [
      target,
      target.slice(0, 8),
      target.slice(0, 13).toUpperCase(),
      target.replace(/-/g, "").slice(0, 10),
    ]) {
      const { runs } = await listRuns(h.db, { tenantIds: [tenantA], filters: parse({ q }) });
      expect(runs.map((r) => r.id)).toContain(target);
      expect(runs.every((r) => r.id.replace(/-/g, "").startsWith(q.toLowerCase().replace(/-/g, "")))).toBe(true);
    }
    expect(
      (await listRuns(h.db, { tenantIds: [tenantA], filters: parse({ q: "zzz" }), pageSize: 100 })).runs,
    ).toHaveLength(30); // not hex: ignored
  });

  it("never returns runs of tenants outside the scope", async () => {
    const onlyB = await allPages([tenantB], {});
    expect(onlyB).toHaveLength(5);
    const both = await allPages([tenantA, tenantB], {});
    expect(both).toHaveLength(35);
    expect(await listRuns(h.db, { tenantIds: [], filters: parse({}) })).toEqual({ runs: [], nextCursor: null });
  });

  it("counts runs per status under the other filters", async () => {
    const counts = await countRunsByStatus(h.db, {
      tenantIds: [tenantA],
      filters: parse({ initiator: alice.id, status: "queued" }),
    });
    const mine = (await allPages([tenantA], { initiator: alice.id })).map((r) => r.status);
    expect(counts).toEqual({
      queued: mine.filter((s) => s === "queued").length,
      running: mine.filter((s) => s === "running").length,
      completed: mine.filter((s) => s === "completed").length,
    });
  });
});
