import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type OperationRun, operationRuns } from "@/db/schema";
import { cancelRun } from "@/lib/operations/control";
import { createBoss } from "@/lib/operations/queue";
import { markRunning } from "@/lib/operations/runs";
import { startOperation } from "@/lib/operations/start";
import { handBack } from "@/workers/hand-back";
import type { RunJobData } from "@/workers/lifecycle";
import {
  actor,
  createTestTenant,
  createUser,
  databaseUrl,
  openHarness,
  waitForCompletion,
  waitForStatus,
} from "./support/harness";
import { killHard, startWorkerProcess, stopGracefully } from "./support/worker-process-control";

// Worker processes stopped as a deploy stops them (SIGTERM), and the worker-wide limits: one
// concurrency across every operation type, one cancel check per worker.
let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => {
  await h.close();
});

// Every test stops its own worker processes, so no worker of one test takes another's jobs.
const processes: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(processes.splice(0).map(killHard));
});
async function workerProcess(options: { concurrency?: number; drainSeconds?: number }) {
  const child = await startWorkerProcess(options);
  processes.push(child);
  return child;
}

async function owned() {
  const owner = await createUser(h.db, "Operator");
  const tenant = await createTestTenant(h.db, owner.id);
  return { owner, tenantId: tenant.id };
}

async function start(
  { owner, tenantId }: Awaited<ReturnType<typeof owned>>,
  type: string,
  inputs: Record<string, unknown>,
) {
  const { run } = await startOperation(h.deps, {
    actor: actor(owner),
    tenantId,
    type,
    inputs: { key: randomUUID(), ...inputs },
  });
  return run;
}

const jobOf = async (run: OperationRun) =>
  (
    await h.db.execute<{ state: string; retry_count: number; retry_limit: number }>(
      sql`select state, retry_count, retry_limit from pgboss.job where id = ${run.jobId}::uuid`,
    )
  ).rows[0]!;

describe("SIGTERM: a worker drains, then hands back", () => {
  it("hands a run still running after the drain period back without spending an attempt; another worker finishes it", async () => {
    const doomed = await workerProcess({ drainSeconds: 2 });
    const run = await start(await owned(), "test.wait", { waitMs: 600_000, resumeAfterHandBack: true });
    await waitForStatus(h.db, { runId: run.id, status: "running" });
    const before = await jobOf(run);

    const stoppedAt = Date.now();
    expect(await stopGracefully(doomed)).toBe(0);
    const stopSeconds = (Date.now() - stoppedAt) / 1000;
    // It waited out the 2 s drain, then handed back at once (bound generous for a loaded machine).
    expect(stopSeconds).toBeGreaterThanOrEqual(2);
    expect(stopSeconds).toBeLessThan(15);

    const [handedBack] = await h.db.select().from(operationRuns).where(eq(operationRuns.id, run.id));
    expect(handedBack).toMatchObject({ status: "queued", outcome: "pending", attempt: 1 });
    expect(handedBack!.attemptErrors).toEqual([
      expect.objectContaining({
        attempt: 1,
        handedBack: true,
        message: expect.stringMatching(/^Handed back at shutdown/),
      }),
    ]);
    expect((await jobOf(run)).state).toBe("created");

    await workerProcess({});
    const done = await waitForCompletion(h.db, run.id, 30_000);
    // The attempt count is what it would have been without the shutdown.
    expect(done).toMatchObject({ outcome: "succeeded", attempt: 1, summaryCounts: { total: 1, processed: 1 } });
    expect(done.failures).toEqual([]);
    // The run is settled before its pg-boss job is completed (a separate write): wait for both.
    await expect.poll(async () => (await jobOf(run)).state, { timeout: 10_000 }).toBe("completed");
    const after = await jobOf(run);
    // pg-boss counted a second claim, and gave the job one more retry for it: as many retries left as before.
    expect(after.retry_limit - after.retry_count).toBe(before.retry_limit - before.retry_count);
  }, 90_000);

  it("lets a run that ends within the drain period complete normally, and fetches nothing new meanwhile", async () => {
    const doomed = await workerProcess({ drainSeconds: 20 });
    const who = await owned();
    const run = await start(who, "test.wait", { waitMs: 3_000 });
    await waitForStatus(h.db, { runId: run.id, status: "running" });

    const stoppedAt = Date.now();
    const stopping = stopGracefully(doomed);
    await new Promise((r) => setTimeout(r, 300)); // the signal has arrived
    const later = await start(who, "test.noop", {});
    expect(await stopping).toBe(0);
    // It exits once its run is done, not at the end of the drain period.
    expect(Date.now() - stoppedAt).toBeLessThan(15_000);

    const [done] = await h.db.select().from(operationRuns).where(eq(operationRuns.id, run.id));
    expect(done).toMatchObject({ status: "completed", outcome: "succeeded", attempt: 1, attemptErrors: [] });
    expect((await jobOf(run)).state).toBe("completed");
    // Sent after the signal: left for another worker.
    const [waiting] = await h.db.select().from(operationRuns).where(eq(operationRuns.id, later.id));
    expect(waiting!.status).toBe("queued");
    await workerProcess({});
    await waitForCompletion(h.db, later.id, 30_000);
  }, 90_000);
});

describe("the hand-back", () => {
  it("keeps the stopping worker's late settle off the next worker's claim of the same job", async () => {
    const boss = createBoss(databaseUrl, "worker", { supervise: false });
    await boss.start();
    try {
      const run = await start(await owned(), "test.noop", {});
      const [first] = await boss.fetch<RunJobData>("test.noop", { includeMetadata: true });
      expect(first!.id).toBe(run.jobId);
      await markRunning(h.db, { runId: run.id, attempt: 1 });
      expect(await handBack(h.db, { run: { runId: run.id, attempt: 1 }, job: first! })).toBe(true);

      const [second] = await boss.fetch<RunJobData>("test.noop", { includeMetadata: true });
      expect(second).toMatchObject({ id: first!.id, retryCount: first!.retryCount + 1, data: { handedBack: 1 } });
      // The old claim settles late: pg-boss's fence (id + retry count) leaves the new claim alone.
      const late = await boss.complete("test.noop", { id: first!.id, retryCount: first!.retryCount });
      expect((late as { affected: number }).affected).toBe(0);
      expect((await jobOf(run)).state).toBe("active");
      expect(await handBack(h.db, { run: { runId: run.id, attempt: 1 }, job: first! })).toBe(false);
      await boss.complete("test.noop", { id: second!.id, retryCount: second!.retryCount });
    } finally {
      await boss.stop({ graceful: false });
    }
  });
});

describe("one worker-wide concurrency", () => {
  it("runs at most WORKER_CONCURRENCY jobs at once across types, taking both types from the start", async () => {
    const who = await owned();
    // A backlog of one type, sent first, waits for the worker; the other type must not wait for all of it.
    const waits = [];
    for (let i = 0; i < 4; i++) waits.push(await start(who, "test.wait", { waitMs: 1_500 }));
    const onces = [];
    for (let i = 0; i < 2; i++) onces.push(await start(who, "test.wait-once", { waitMs: 1_500 }));
    const ids = [...waits, ...onces].map((r) => r.id);
    await workerProcess({ concurrency: 2 });

    let most = 0;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      const runs = await h.db
        .select({ status: operationRuns.status })
        .from(operationRuns)
        .where(inArray(operationRuns.id, ids));
      most = Math.max(most, runs.filter((r) => r.status === "running").length);
      if (runs.every((r) => r.status === "completed")) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(most).toBe(2);

    const runs = await h.db.select().from(operationRuns).where(inArray(operationRuns.id, ids));
    expect(runs.map((r) => r.outcome)).toEqual(Array(6).fill("succeeded"));
    const started = runs.sort((a, b) => a.startedAt!.getTime() - b.startedAt!.getTime()).map((r) => r.type);
    // Round robin over the types with work: one of each first, and the backlog's last one after the other type.
    expect(new Set(started.slice(0, 2))).toEqual(new Set(["test.wait", "test.wait-once"]));
    expect(started.at(-1)).toBe("test.wait");
  }, 90_000);
});

describe("one batched cancel check per worker", () => {
  it("cancels many concurrent runs with one query per tick, not one per run", async () => {
    const worker = await h.startWorker({ concurrency: 8 });
    const who = await owned();
    const runs = [];
    for (let i = 0; i < 8; i++) runs.push(await start(who, "test.wait", { waitMs: 600_000 }));
    for (const run of runs) await waitForStatus(h.db, { runId: run.id, status: "running" });

    const checksBefore = worker.cancellations.checks;
    const since = Date.now();
    for (const run of runs) await cancelRun(h.deps, { actor: actor(who.owner), tenantId: who.tenantId, runId: run.id });
    const done = await Promise.all(runs.map((run) => waitForCompletion(h.db, run.id, 20_000)));
    const ticks = (Date.now() - since) / 100; // the harness checks every 100 ms
    expect(done.map((r) => r.outcome)).toEqual(Array(8).fill("cancelled"));
    // A poll per run would have made about 8 queries a tick.
    expect(worker.cancellations.checks - checksBefore).toBeLessThanOrEqual(Math.ceil(ticks) + 1);
    await worker.stop();
  }, 60_000);
});
