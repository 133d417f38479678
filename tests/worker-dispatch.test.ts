import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operationRuns } from "@/db/schema";
import { startOperation } from "@/lib/operations/start";
import { sleep } from "@/lib/sleep";
import { actor, createTestTenant, createUser, openHarness, waitForCompletion } from "./support/harness";

let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
  // Polling far away: only NOTIFY and the lanes' own hand-offs can start the jobs in time.
  await h.startWorker({ concurrency: 4, notifyPollingIntervalSeconds: 120 });
});
afterAll(async () => {
  await h.close();
});

describe("the dispatcher", () => {
  it("runs a backlog on every lane at once when its jobs came with a single NOTIFY", async () => {
    // Jobs queued in one transaction share one notification (PostgreSQL folds equal NOTIFYs of a
    // transaction): a NOTIFY wakes one lane, and each lane that finds a job wakes the next.
    const owner = await createUser(h.db, "Scheduler");
    const runs = await h.db.transaction(async (tx) => {
      const started = [];
      for (let i = 0; i < 4; i++) {
        const tenant = await createTestTenant(tx, owner.id);
        const { run } = await startOperation(
          { ...h.deps, db: tx },
          { actor: actor(owner), tenantId: tenant.id, type: "test.wait", inputs: { waitMs: 6_000 } },
        );
        started.push(run.id);
      }
      return started;
    });
    let running = 0;
    for (let waited = 0; waited < 4_000 && running < 4; waited += 100) {
      await sleep(100);
      const rows = await h.db
        .select({ status: operationRuns.status })
        .from(operationRuns)
        .where(inArray(operationRuns.id, runs));
      running = rows.filter((r) => r.status === "running").length;
    }
    expect(running).toBe(4);
    for (const id of runs) expect((await waitForCompletion(h.db, id)).outcome).toBe("succeeded");
  });
});
