import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/db/client";
import { auditEvents, notifications, operationRuns } from "@/db/schema";
import { InputError, NotFoundError } from "@/lib/errors";
import { markRunning } from "@/lib/operations/runs";
import { startOperation } from "@/lib/operations/start";
import { finish } from "@/workers/lifecycle";
import { actor, addMember, createTestTenant, createUser, databaseUrl, openHarness } from "./support/harness";

/**
 * What a run costs is its round trips (docs/benchmarks.md, "Run spine vs bare pg-boss"): these
 * count the statements of a start and a finish on a pool of their own (BEGIN and COMMIT included),
 * and check that the writes folded into one statement still happen exactly when they should.
 */
let h: Awaited<ReturnType<typeof openHarness>>;
let counted: ReturnType<typeof createDb>;
const sent: string[] = [];
beforeAll(async () => {
  h = await openHarness();
  counted = createDb(databaseUrl, { max: 2 });
  counted.pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      const first = args[0];
      sent.push(typeof first === "string" ? first : String((first as { text?: string }).text));
      return query(...args);
    }) as typeof client.query;
  });
});
afterAll(async () => {
  await counted.pool.end();
  await h.close();
});

/** The statements `work` sends through the counted pool. */
async function statements(work: () => Promise<unknown>): Promise<string[]> {
  sent.length = 0;
  await work();
  return [...sent];
}

async function ownerAndTenant() {
  const owner = await createUser(h.db, "Owner");
  const tenant = await createTestTenant(h.db, owner.id, { displayName: "Contoso" });
  return { owner, tenantId: tenant.id };
}

describe("the run spine's statements", () => {
  it("starts a run in four: BEGIN, the run with its notification and audit event, the job, COMMIT", async () => {
    const { owner, tenantId } = await ownerAndTenant();
    const deps = { ...h.deps, db: counted.db };
    // The queue's own reads (its cache of queues) are not the start's.
    await startOperation(deps, { actor: actor(owner), tenantId, type: "test.noop", inputs: { key: "warm" } });

    let runId = "";
    const start = await statements(async () => {
      const { run, created } = await startOperation(deps, {
        actor: actor(owner),
        tenantId,
        type: "test.noop",
        inputs: { key: "counted" },
      });
      expect(created).toBe(true);
      runId = run.id;
    });
    expect(start).toHaveLength(4);
    expect(start[0]).toMatch(/^begin/i);
    expect(start[3]).toMatch(/^commit/i);

    const notes = await h.db.select().from(notifications).where(eq(notifications.runId, runId));
    expect(
      notes.map(({ userId, tenantId: t, kind, outcome, title, body }) => ({ userId, t, kind, outcome, title, body })),
    ).toEqual([
      { userId: owner.id, t: tenantId, kind: "run_queued", outcome: "pending", title: "No-op queued", body: "Contoso" },
    ]);
    const audit = await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, runId));
    expect(audit).toEqual([
      expect.objectContaining({
        actorKind: "user",
        actorUserId: owner.id,
        actorName: "Owner",
        tenantId,
        action: "run.start",
        targetType: "run",
        targetLabel: "test.noop",
        outcome: "success",
        details: {},
      }),
    ]);
  });

  it("writes neither notification nor start event for a start that joins an active run", async () => {
    const { owner, tenantId } = await ownerAndTenant();
    const first = await startOperation(h.deps, { actor: actor(owner), tenantId, type: "test.noop", inputs: {} });
    const again = await startOperation(h.deps, { actor: actor(owner), tenantId, type: "test.noop", inputs: {} });
    expect(again).toMatchObject({ created: false, run: { id: first.run.id } });
    const notes = await h.db.select().from(notifications).where(eq(notifications.runId, first.run.id));
    expect(notes).toHaveLength(1);
    const audit = await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, first.run.id));
    expect(audit.map((e) => e.details)).toEqual([{}, { joined: true }]);
  });

  it("checks membership within the insert: a non-member neither joins an active run nor learns of it", async () => {
    const { owner, tenantId } = await ownerAndTenant();
    const stranger = await createUser(h.db, "Stranger");
    const viewer = await createUser(h.db, "Viewer");
    await addMember(h.db, { userId: viewer.id, tenantId, role: "viewer" });
    const { run } = await startOperation(h.deps, { actor: actor(owner), tenantId, type: "test.noop", inputs: {} });

    // The same identity as the active run: without the check, the start would join it.
    await expect(
      startOperation(h.deps, { actor: actor(stranger), tenantId, type: "test.noop", inputs: {} }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      startOperation(h.deps, { actor: actor(viewer), tenantId, type: "test.noop", inputs: { key: "new" } }),
    ).rejects.toThrow(/needs the operator role/);
    // Invalid inputs from a non-member: "not found" first, as when the check was a read of its own.
    await expect(
      startOperation(h.deps, { actor: actor(stranger), tenantId, type: "test.noop", inputs: { key: 42 } }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      startOperation(h.deps, { actor: actor(owner), tenantId, type: "test.noop", inputs: { key: 42 } }),
    ).rejects.toBeInstanceOf(InputError);
    // Inputs the schema allows but PostgreSQL refuses (NUL in JSON) are read before the insert's check:
    // a non-member still hears "not found", not the database's error.
    await expect(
      startOperation(h.deps, { actor: actor(stranger), tenantId, type: "test.noop", inputs: { key: "a\u0000b" } }),
    ).rejects.toBeInstanceOf(NotFoundError);

    const runs = await h.db.select().from(operationRuns).where(eq(operationRuns.tenantId, tenantId));
    expect(runs.map((r) => r.id)).toEqual([run.id]);
    const audit = await h.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.targetType, "run")));
    expect(audit.map((e) => [e.actorName, e.action])).toEqual([["Owner", "run.start"]]);
  });

  it("finishes a run in three: BEGIN, the completion with its notification, COMMIT; a second finish notifies nobody", async () => {
    const { owner, tenantId } = await ownerAndTenant();
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId,
      type: "test.noop",
      inputs: { key: "finish" },
    });
    await markRunning(h.db, { runId: run.id, attempt: 1 });
    const deps = { db: counted.db, registry: h.workerDeps.registry, boss: h.workerDeps.boss };
    const failures = [{ code: "boom", message: "It broke." }];

    const finished = await statements(() =>
      finish(deps, { runId: run.id, type: run.type, attempt: 1, outcome: "succeeded" }),
    );
    expect(finished).toHaveLength(3);
    expect(finished[0]).toMatch(/^begin/i);
    expect(finished[2]).toMatch(/^commit/i);
    // Already completed: no change, no second notification (the title would say "failed").
    await finish(deps, { runId: run.id, type: run.type, attempt: 1, outcome: "failed", failures });

    const [after] = await h.db.select().from(operationRuns).where(eq(operationRuns.id, run.id));
    expect(after).toMatchObject({ status: "completed", outcome: "succeeded", failures: [] });
    const notes = await h.db.select().from(notifications).where(eq(notifications.runId, run.id));
    expect(
      notes
        .map(({ kind, outcome, title, body }) => ({ kind, outcome, title, body }))
        .sort((a, b) => a.kind.localeCompare(b.kind)),
    ).toEqual([
      { kind: "run_completed", outcome: "succeeded", title: "No-op succeeded", body: "Contoso" },
      { kind: "run_queued", outcome: "pending", title: "No-op queued", body: "Contoso" },
    ]);
  });

  it("tells the run's first failure in the completion's notification", async () => {
    const { owner, tenantId } = await ownerAndTenant();
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId,
      type: "test.noop",
      inputs: { key: "fails" },
    });
    await markRunning(h.db, { runId: run.id, attempt: 1 });
    await finish(h.workerDeps, {
      runId: run.id,
      type: run.type,
      attempt: 1,
      outcome: "failed",
      failures: [
        { code: "first", message: "The first problem." },
        { code: "second", message: "The second problem." },
      ],
    });
    const [note] = await h.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.runId, run.id), eq(notifications.kind, "run_completed")));
    expect(note).toMatchObject({ kind: "run_completed", outcome: "failed", title: "No-op failed" });
    expect(note!.body).toBe("Contoso — The first problem.");
  });
});
