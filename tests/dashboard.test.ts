import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operationRuns, type RunOutcome, type RunStatus } from "@/db/schema";
import { activeRuns, queueBacklog, recentFailures, runsPerDay, runWindows } from "@/lib/operations/dashboard";
import { latestRunsOfTypes } from "@/lib/operations/queries";
import { startOperation } from "@/lib/operations/start";
import { actor, createTestTenant, createUser, openHarness } from "./support/harness";

let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => {
  await h.close();
});

describe("tenant dashboard", () => {
  it("counts runs by window, outcome and day, and computes the failure rate", async () => {
    const owner = await createUser(h.db);
    const tenantId = (await createTestTenant(h.db, owner.id)).id;
    // An aggregate without grouping: one row, the database's clock, even for a tenant with no runs.
    const empty = await activeRuns(h.db, tenantId);
    expect(empty).toMatchObject({ queued: 0, running: 0, oldestQueuedAt: null });
    const now = empty.observedAt;
    expect(Math.abs(now.getTime() - Date.now())).toBeLessThan(60_000);
    const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
    const run = (hours: number, status: RunStatus, outcome: RunOutcome) => ({
      tenantId,
      type: "test.noop",
      status,
      outcome,
      runIdentityHash: randomUUID(),
      initiatorName: "x",
      createdAt: hoursAgo(hours),
      completedAt: status === "completed" ? new Date(hoursAgo(hours).getTime() + 60_000) : null,
    });
    await h.db.insert(operationRuns).values([
      run(1, "completed", "succeeded"),
      run(2, "completed", "failed"),
      run(3, "queued", "pending"),
      run(30, "completed", "succeeded"),
      run(50, "completed", "failed"),
      run(60, "completed", "partially_succeeded"),
      run(24 * 10, "completed", "failed"), // outside the week
    ]);
    const { day, week } = await runWindows(h.db, tenantId);
    expect(day).toMatchObject({ total: 3, active: 1, byOutcome: { succeeded: 1, failed: 1 } });
    expect(day.failureRate).toBe(0.5);
    expect(week).toMatchObject({ total: 6, active: 1, byOutcome: { succeeded: 2, failed: 2, partially_succeeded: 1 } });
    expect(week.failureRate).toBe(2 / 5);

    const days = await runsPerDay(h.db, tenantId, 14);
    expect(days).toHaveLength(14);
    expect(days.at(-1)!.day).toBe(now.toISOString().slice(0, 10));
    const sum = (o: RunOutcome) => days.reduce((n, d) => n + d.counts[o], 0);
    expect([sum("succeeded"), sum("failed"), sum("partially_succeeded"), sum("pending")]).toEqual([2, 3, 1, 1]);

    const active = await activeRuns(h.db, tenantId);
    expect(active).toMatchObject({ queued: 1, running: 0 });
    expect(Math.round((now.getTime() - active.oldestQueuedAt!.getTime()) / 3_600_000)).toBe(3);
    expect(
      (await recentFailures(h.db, tenantId)).map((f) =>
        Math.round((now.getTime() - f.createdAt.getTime()) / 3_600_000),
      ),
    ).toEqual([2, 50, 240]);
  });

  it("reads the queue backlog from pg-boss", async () => {
    const owner = await createUser(h.db);
    const tenantId = (await createTestTenant(h.db, owner.id)).id;
    const before = (await queueBacklog(h.db, ["test.wait"]))[0]!.waiting;
    await startOperation(h.deps, { actor: actor(owner), tenantId, type: "test.wait", inputs: { key: randomUUID() } });
    await startOperation(h.deps, { actor: actor(owner), tenantId, type: "test.wait", inputs: { key: randomUUID() } });
    const [after] = await queueBacklog(h.db, ["test.wait"]);
    expect(after!.waiting).toBe(before + 2);
    expect(after!.oldest).toBeInstanceOf(Date);
  });

  it("reads the latest run of several types in one statement, each of its tenant only", async () => {
    const owner = await createUser(h.db);
    const [tenantId, otherId] = [
      (await createTestTenant(h.db, owner.id)).id,
      (await createTestTenant(h.db, owner.id)).id,
    ];
    const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes));
    const run = (tenant: string, type: string, minutes: number, status: RunStatus = "completed") => ({
      tenantId: tenant,
      type,
      status,
      outcome: (status === "completed" ? "succeeded" : "pending") as RunOutcome,
      runIdentityHash: randomUUID(),
      initiatorName: "x",
      createdAt: at(minutes),
    });
    const inserted = await h.db
      .insert(operationRuns)
      .values([
        run(tenantId, "test.noop", 1),
        run(tenantId, "test.noop", 5, "running"),
        run(tenantId, "test.wait", 3),
        run(otherId, "test.noop", 9), // newer, but another tenant's
        run(otherId, "test.fail", 9),
      ])
      .returning({ id: operationRuns.id });
    const latest = await latestRunsOfTypes(h.db, tenantId, ["test.noop", "test.wait", "test.fail"]);
    expect(Object.keys(latest).sort()).toEqual(["test.noop", "test.wait"]);
    expect(latest["test.noop"]).toMatchObject({ id: inserted[1]!.id, status: "running", createdAt: at(5) });
    expect(latest["test.wait"]).toMatchObject({ id: inserted[2]!.id, outcome: "succeeded" });
    expect(await latestRunsOfTypes(h.db, tenantId, [])).toEqual({});
  });
});
