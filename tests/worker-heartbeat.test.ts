import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workerHeartbeats } from "@/db/schema";
import { onlineWorkers, workerFleetView } from "@/lib/operations/worker-fleet";
import { startHeartbeat } from "@/workers/heartbeat";
import { openHarness } from "./support/harness";
import { startWorkerMain, type WorkerMain } from "./support/worker-main";
import { killHard } from "./support/worker-process-control";

let h: Awaited<ReturnType<typeof openHarness>>;
const started: WorkerMain[] = [];
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => {
  for (const worker of started) await killHard(worker.child);
  await h.close();
});

const rowOf = async (pid: number) =>
  (await h.db.select().from(workerHeartbeats).where(eq(workerHeartbeats.pid, pid)))[0];

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("worker heartbeat rows", () => {
  it("a running worker has a row that it refreshes, and removes it when stopped with SIGTERM", async () => {
    const worker = await startWorkerMain();
    started.push(worker);
    const pid = worker.child.pid!;
    const first = await rowOf(pid);
    expect(first).toMatchObject({ pid, jobsInFlight: 0 });
    expect(first!.host).toBeTruthy();
    expect(first!.version).toMatch(/^\d+\.\d+\.\d+/);
    // Beats every 5 s: within 12 s the row has been refreshed.
    const refreshed = await until(async () => {
      const row = await rowOf(pid);
      return row && row.lastSeenAt > first!.lastSeenAt ? row : undefined;
    }, 12_000);
    expect(refreshed.startedAt).toEqual(first!.startedAt);
    expect((await onlineWorkers(h.db)).map((w) => w.pid)).toContain(pid);

    expect(await worker.stop()).toBe(0);
    expect(await rowOf(pid)).toBeUndefined();
  });

  it("a SIGKILLed worker's row stops being refreshed, drops out of the online count, and is cleaned once stale", async () => {
    const worker = await startWorkerMain();
    started.push(worker);
    const pid = worker.child.pid!;
    await until(() => rowOf(pid), 5_000);
    await killHard(worker.child);
    const last = (await rowOf(pid))!;
    await new Promise((r) => setTimeout(r, 3_000));
    // Nobody refreshes it any more; with a 2 s window it is no longer online.
    expect((await rowOf(pid))!.lastSeenAt).toEqual(last.lastSeenAt);
    expect((await onlineWorkers(h.db, 2)).map((w) => w.pid)).not.toContain(pid);

    // Any other worker's beat deletes rows older than its stale limit (here 2 s).
    const other = await startHeartbeat(h.db, { staleAfterSeconds: 2 });
    expect(await rowOf(pid)).toBeUndefined();
    expect((await onlineWorkers(h.db)).map((w) => w.id)).toContain(other.id);
    await other.stop();
  });

  it("counts jobs in flight while they run", async () => {
    const heartbeat = await startHeartbeat(h.db, { intervalMs: 100 });
    let release = () => {};
    const job = heartbeat.track(() => new Promise<void>((r) => (release = r)));
    const busy = await until(async () => {
      const [row] = await h.db.select().from(workerHeartbeats).where(eq(workerHeartbeats.id, heartbeat.id));
      return row && row.jobsInFlight === 1 ? row : undefined;
    }, 5_000);
    expect(busy.jobsInFlight).toBe(1);
    release();
    await job;
    await until(async () => {
      const [row] = await h.db.select().from(workerHeartbeats).where(eq(workerHeartbeats.id, heartbeat.id));
      return row && row.jobsInFlight === 0 ? row : undefined;
    }, 5_000);
    await heartbeat.stop();
  });
});

describe("dashboard: workers online", () => {
  it("says how many workers are online and warns when none is", async () => {
    // Only this test's worker: earlier files' workers are gone, and a 1 h window would still count
    // their rows if any were left, so count within a window just long enough for this worker.
    const heartbeat = await startHeartbeat(h.db);
    const others = (await onlineWorkers(h.db, 2)).filter((w) => w.id !== heartbeat.id).length;
    const up = await workerFleetView(h.db, 2);
    expect(up.online).toBe(others + 1);
    expect(up.label).toBe(`${others + 1} ${others + 1 === 1 ? "worker" : "workers"} online`);
    expect(up.warning).toBeNull();

    await heartbeat.stop();
    await new Promise((r) => setTimeout(r, 2_500));
    const none = await workerFleetView(h.db, 2);
    expect(none).toMatchObject({ online: 0, label: "0 workers online" });
    expect(none.warning).toMatch(/queued runs will not start/);
  });
});
