import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operationRuns, type RunOutcome, type RunStatus } from "@/db/schema";
import {
  activeRuns,
  databaseNow,
  queueBacklog,
  recentFailures,
  runsPerDay,
  runWindows,
} from "@/lib/operations/dashboard";
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
    const now = await databaseNow(h.db);
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
});
