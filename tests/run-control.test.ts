import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notifications } from "@/db/schema";
import { ForbiddenError, InputError, NotFoundError } from "@/lib/errors";
import { cancelRun, rerunRun } from "@/lib/operations/control";
import { startOperation } from "@/lib/operations/start";
import {
  actor,
  addMember,
  createTestTenant,
  createUser,
  openHarness,
  waitForCompletion,
  waitForStatus,
} from "./support/harness";

let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => {
  await h.close();
});

async function setup() {
  const owner = await createUser(h.db, "Initiator");
  const tenant = await createTestTenant(h.db, owner.id);
  return { owner, tenantId: tenant.id };
}

describe("cancel", () => {
  // Before any worker runs in this file: the run stays queued until cancelled.
  it("ends a queued run cancelled at once and cancels its job", async () => {
    const { owner, tenantId } = await setup();
    const colleague = await createUser(h.db, "Colleague");
    await addMember(h.db, { userId: colleague.id, tenantId, role: "operator" });
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId,
      type: "test.wait",
      inputs: { waitMs: 60_000 },
    });
    const cancelled = await cancelRun(h.deps, { actor: actor(colleague), tenantId, runId: run.id });
    expect(cancelled).toMatchObject({ status: "completed", outcome: "cancelled", cancelRequestedBy: "Colleague" });
    const job = await h.db.execute<{ state: string }>(sql`select state from pgboss.job where id = ${run.jobId}::uuid`);
    expect(job.rows[0]!.state).toBe("cancelled");
    // The initiator hears about it; the colleague who cancelled does not get the run's notifications.
    const notes = await h.db.select().from(notifications).where(eq(notifications.runId, run.id));
    expect(notes.map((n) => [n.userId, n.kind, n.outcome]).sort()).toEqual([
      [owner.id, "run_completed", "cancelled"],
      [owner.id, "run_queued", "pending"],
    ]);
    await expect(cancelRun(h.deps, { actor: actor(owner), tenantId, runId: run.id })).rejects.toBeInstanceOf(
      InputError,
    );
  });

  it("aborts a running run's handler through its signal and ends it cancelled", async () => {
    await h.startWorker();
    const { owner, tenantId } = await setup();
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId,
      type: "test.wait",
      inputs: { waitMs: 60_000 },
    });
    await waitForStatus(h.db, { runId: run.id, status: "running" });
    const requested = await cancelRun(h.deps, { actor: actor(owner), tenantId, runId: run.id });
    expect(requested.status).toBe("running");
    expect(requested.cancelRequestedAt).toBeTruthy();
    const done = await waitForCompletion(h.db, run.id, 10_000);
    expect(done.outcome).toBe("cancelled");
    expect(done.summaryCounts).toEqual({ total: 1, processed: 0 });
  });

  it("is refused to viewers and invisible to other tenants", async () => {
    const { owner, tenantId } = await setup();
    const viewer = await createUser(h.db, "Viewer");
    await addMember(h.db, { userId: viewer.id, tenantId, role: "viewer" });
    const outsider = await setup();
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId,
      type: "test.wait",
      inputs: { waitMs: 2_000 },
    });
    await expect(cancelRun(h.deps, { actor: actor(viewer), tenantId, runId: run.id })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(cancelRun(h.deps, { actor: actor(outsider.owner), tenantId, runId: run.id })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      cancelRun(h.deps, { actor: actor(outsider.owner), tenantId: outsider.tenantId, runId: run.id }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect((await waitForCompletion(h.db, run.id)).outcome).toBe("succeeded");
  });
});

describe("re-run", () => {
  it("starts a new run with the same type and inputs once the first has finished", async () => {
    const { owner, tenantId } = await setup();
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId,
      type: "test.noop",
      inputs: { key: "again" },
    });
    await waitForCompletion(h.db, run.id);
    const again = await rerunRun(h.deps, { actor: actor(owner), tenantId, runId: run.id });
    expect(again.created).toBe(true);
    expect(again.run.id).not.toBe(run.id);
    expect(again.run).toMatchObject({ type: "test.noop", inputs: run.inputs, runIdentityHash: run.runIdentityHash });
  });

  it("is refused to viewers and to members of other tenants", async () => {
    const { owner, tenantId } = await setup();
    const viewer = await createUser(h.db, "Viewer");
    await addMember(h.db, { userId: viewer.id, tenantId, role: "viewer" });
    const outsider = await setup();
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId,
      type: "test.noop",
      inputs: { key: "viewer" },
    });
    await waitForCompletion(h.db, run.id);
    await expect(rerunRun(h.deps, { actor: actor(viewer), tenantId, runId: run.id })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(rerunRun(h.deps, { actor: actor(outsider.owner), tenantId, runId: run.id })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      rerunRun(h.deps, { actor: actor(outsider.owner), tenantId: outsider.tenantId, runId: run.id }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses an active run and returns an equal active run instead of a duplicate", async () => {
    const { owner, tenantId } = await setup();
    const { run: first } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId,
      type: "test.wait",
      inputs: { key: "x", waitMs: 0 },
    });
    await waitForCompletion(h.db, first.id);
    const { run: active } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId,
      type: "test.wait",
      inputs: {
        key: "x",
        waitMs: 60_000,
      },
    });
    await expect(rerunRun(h.deps, { actor: actor(owner), tenantId, runId: active.id })).rejects.toBeInstanceOf(
      InputError,
    );
    const again = await rerunRun(h.deps, { actor: actor(owner), tenantId, runId: first.id });
    expect(again).toMatchObject({ created: false, run: { id: active.id } });
    await cancelRun(h.deps, { actor: actor(owner), tenantId, runId: active.id });
    expect((await waitForCompletion(h.db, active.id, 10_000)).outcome).toBe("cancelled");
  });
});
