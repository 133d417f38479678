import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunChange } from "@/lib/live/scope";
import { startOperation } from "@/lib/operations/start";
import { actor, createTestTenant, createUser, databaseUrl, openHarness, waitForCompletion } from "./support/harness";

// A run reporting progress for every item must not announce every report: each announcement is a
// render of every open page that shows the run. Real worker, real PostgreSQL NOTIFY, heard by a
// real LISTEN connection like the web servers' hub.
let h: Awaited<ReturnType<typeof openHarness>>;
let listener: pg.Client;
const heard: RunChange[] = [];
beforeAll(async () => {
  h = await openHarness();
  await h.startWorker();
  listener = new pg.Client({ connectionString: databaseUrl });
  listener.on("error", () => {});
  await listener.connect();
  listener.on("notification", (msg) => heard.push(JSON.parse(msg.payload!) as RunChange));
  await listener.query("LISTEN tenantatlas_runs");
});
afterAll(async () => {
  await listener?.end();
  await h.close();
});

describe("live announcements of a run", () => {
  it("announces status changes at once and progress at most about once a second, ending with the final counts", async () => {
    const owner = await createUser(h.db, "Petra Progress");
    const tenant = await createTestTenant(h.db, owner.id);
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId: tenant.id,
      type: "test.progress",
      inputs: { key: "coalesced" },
    });
    const done = await waitForCompletion(h.db, run.id, 60_000);
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { total: 200, processed: 200 } });
    // NOTIFY is delivered after commit: give the last one a moment to arrive.
    await new Promise((r) => setTimeout(r, 500));

    const ofRun = heard.filter((c) => c.id === run.id);
    const statuses = ofRun.filter((c) => !c.progress).map((c) => c.status);
    expect(statuses).toEqual(["queued", "running", "completed"]);
    expect(ofRun.at(-1)).toMatchObject({
      type: "test.progress",
      initiatorKind: "user",
      initiatorUserId: owner.id,
      outcome: "succeeded",
    });
    // 200 reports over about two seconds (more under load): one written at once, then one a second.
    const progress = ofRun.filter((c) => c.progress);
    const seconds = (done.completedAt!.getTime() - done.startedAt!.getTime()) / 1000;
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(seconds) + 2);
  }, 90_000);
});
