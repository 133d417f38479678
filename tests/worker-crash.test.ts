import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OperationRun, operationRuns } from "@/db/schema";
import { cancelRun } from "@/lib/operations/control";
import { startOperation } from "@/lib/operations/start";
import { actor, createTestTenant, createUser, openHarness, waitForCompletion } from "./support/harness";
import { killHard, startWorkerProcess } from "./support/worker-process-control";

// A worker process is killed with SIGKILL in the middle of a run, as when its machine dies: no
// shutdown code runs, nothing is handed back. The run must still end, and soon.
let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => {
  await h.close();
});

async function startWaiting(type: string, inputs: Record<string, unknown>) {
  const owner = await createUser(h.db, "Operator");
  const tenant = await createTestTenant(h.db, owner.id);
  const { run } = await startOperation(h.deps, {
    actor: actor(owner),
    tenantId: tenant.id,
    type,
    inputs: { key: randomUUID(), waitMs: 600_000, ...inputs },
  });
  return { run, owner, tenantId: tenant.id };
}

async function untilRunning(runId: string): Promise<OperationRun> {
  for (;;) {
    const [run] = await h.db.select().from(operationRuns).where(eq(operationRuns.id, runId));
    if (run?.status === "running" && run.summaryCounts.total === 1) return run;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("a worker killed in the middle of a run", () => {
  it("hands the run to another worker within 90 s, and the timeline shows the lost attempt", async () => {
    const doomed = await startWorkerProcess();
    const { run } = await startWaiting("test.wait", { waitAttempts: 1 });
    expect((await untilRunning(run.id)).attempt).toBe(1);
    await killHard(doomed);
    const killedAt = Date.now();

    const survivor = await h.startWorker();
    const done = await waitForCompletion(h.db, run.id, 90_000).finally(() => survivor.stop());
    expect(Date.now() - killedAt).toBeLessThan(90_000);
    expect(done).toMatchObject({ outcome: "succeeded", attempt: 2, summaryCounts: { total: 1, processed: 1 } });
    expect(done.attemptErrors).toEqual([
      expect.objectContaining({ attempt: 1, message: expect.stringMatching(/worker running this attempt stopped/) }),
    ]);
  }, 120_000);

  it("ends a run with no attempt left as failed (worker_lost) within 90 s, and a cancelled one as cancelled", async () => {
    const doomed = await startWorkerProcess({ concurrency: 2 });
    const lost = await startWaiting("test.wait-once", {});
    const cancelled = await startWaiting("test.wait-once", {});
    await untilRunning(lost.run.id);
    await untilRunning(cancelled.run.id);
    await killHard(doomed);
    const killedAt = Date.now();
    // Asked after the worker died: nobody is left to see the request but the reaper.
    await cancelRun(h.deps, { actor: actor(cancelled.owner), tenantId: cancelled.tenantId, runId: cancelled.run.id });

    await h.startWorker({ reaperIntervalMs: 5_000 });
    const [failed, ended] = await Promise.all([
      waitForCompletion(h.db, lost.run.id, 90_000),
      waitForCompletion(h.db, cancelled.run.id, 90_000),
    ]);
    expect(Date.now() - killedAt).toBeLessThan(90_000);
    expect(failed).toMatchObject({ outcome: "failed", failures: [expect.objectContaining({ code: "worker_lost" })] });
    expect(ended.outcome).toBe("cancelled");
  }, 120_000);
});
