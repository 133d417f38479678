import { randomUUID } from "node:crypto";
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notifications, operationRuns, tenants } from "@/db/schema";
import { ForbiddenError, InputError, NotFoundError } from "@/lib/errors";
import { getTenantRun } from "@/lib/operations/queries";
import { appendFailures, completeRun, markRunning, recordProgress } from "@/lib/operations/runs";
import { startOperation } from "@/lib/operations/start";
import { requireTenantAccess } from "@/lib/tenants/access";
import { createTenant } from "@/lib/tenants/service";
import { actor, addMember, createTestTenant, createUser, encryptionKey, openHarness } from "./support/harness";

let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => {
  await h.close();
});

async function ownerAndTenant(name = "Owner") {
  const owner = await createUser(h.db, name);
  const tenant = await createTestTenant(h.db, owner.id);
  return { owner, tenantId: tenant.id };
}

async function jobCount(runIds: string[]) {
  const rows = await h.db.execute<{ n: number }>(sql`
    select count(*)::int as n from pgboss.job where data->>'runId' in (${sql.join(
      runIds.map((id) => sql`${id}`),
      sql`, `,
    )})`);
  return rows.rows[0]!.n;
}

/** The database's own error message for a statement that must be refused. */
async function databaseError(statement: SQL): Promise<string> {
  const err = await h.db.execute(statement).then(
    () => null,
    (e: unknown) => e,
  );
  if (!err) return "statement succeeded";
  const cause = (err as { cause?: unknown }).cause;
  return String((cause instanceof Error ? cause : (err as Error)).message);
}

describe("startOperation", () => {
  it("turns 50 concurrent starts with one identity into one run, one job and one queued notification", async () => {
    const { owner, tenantId } = await ownerAndTenant();
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        startOperation(h.deps, { actor: actor(owner), tenantId, type: "test.noop", inputs: { key: "same" } }),
      ),
    );
    const runIds = new Set(results.map((r) => r.run.id));
    expect(runIds.size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const runs = await h.db.select().from(operationRuns).where(eq(operationRuns.tenantId, tenantId));
    expect(runs).toHaveLength(1);
    expect(runs[0]!.status).toBe("queued");
    expect(runs[0]!.jobId).toBeTruthy();
    expect(await jobCount([...runIds])).toBe(1);
    const notes = await h.db.select().from(notifications).where(eq(notifications.tenantId, tenantId));
    expect(notes.map((n) => n.kind)).toEqual(["run_queued"]);
  });

  it("starts separate runs for different identity inputs", async () => {
    const { owner, tenantId } = await ownerAndTenant();
    const a = await startOperation(h.deps, { actor: actor(owner), tenantId, type: "test.noop", inputs: { key: "a" } });
    const b = await startOperation(h.deps, { actor: actor(owner), tenantId, type: "test.noop", inputs: { key: "b" } });
    expect(a.run.id).not.toBe(b.run.id);
    expect(a.created && b.created).toBe(true);
  });

  it("marks a run failed with dispatch_failed when its job cannot be queued, and tells the initiator", async () => {
    const { owner, tenantId } = await ownerAndTenant();
    const { run, created } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId,
      type: "test.unqueued",
      inputs: {},
    });
    expect(created).toBe(true);
    expect(run.status).toBe("completed");
    expect(run.outcome).toBe("failed");
    // The queue's own error (it may quote SQL) is in the log, under the reference the run keeps.
    expect(run.failures[0]).toEqual({
      code: "dispatch_failed",
      message: "The job could not be queued.",
      reference: expect.stringMatching(/^[0-9a-f]{12}$/),
    });
    expect(run.jobId).toBeNull();
    const queued = await h.db
      .select()
      .from(operationRuns)
      .where(and(eq(operationRuns.tenantId, tenantId), inArray(operationRuns.status, ["queued", "running"])));
    expect(queued).toHaveLength(0);
    const notes = await h.db.select().from(notifications).where(eq(notifications.runId, run.id));
    expect(notes.map((n) => [n.kind, n.outcome])).toEqual([["run_completed", "failed"]]);
    // The identity is free again: a later start creates a new run instead of returning the failed one.
    const again = await startOperation(h.deps, { actor: actor(owner), tenantId, type: "test.unqueued", inputs: {} });
    expect(again.run.id).not.toBe(run.id);
  });

  it("refuses invalid inputs and writes nothing", async () => {
    const { owner, tenantId } = await ownerAndTenant();
    await expect(
      startOperation(h.deps, { actor: actor(owner), tenantId, type: "test.noop", inputs: { key: 42 } }),
    ).rejects.toBeInstanceOf(InputError);
    await expect(
      startOperation(h.deps, { actor: actor(owner), tenantId, type: "tenant.verify", inputs: { extra: true } }),
    ).rejects.toBeInstanceOf(InputError);
    await expect(
      startOperation(h.deps, { actor: actor(owner), tenantId, type: "no.such_type", inputs: {} }),
    ).rejects.toBeInstanceOf(InputError);
    // Names every object inherits are not operation types.
    for (const type of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      await expect(
        startOperation(h.deps, { actor: actor(owner), tenantId, type, inputs: {} }),
        type,
      ).rejects.toBeInstanceOf(InputError);
    }
    const runs = await h.db.select().from(operationRuns).where(eq(operationRuns.tenantId, tenantId));
    expect(runs).toHaveLength(0);
  });

  it("lets a viewer see the tenant but not start operations", async () => {
    const { tenantId } = await ownerAndTenant();
    const viewer = await createUser(h.db, "Viewer");
    await addMember(h.db, { userId: viewer.id, tenantId, role: "viewer" });
    await expect(requireTenantAccess(h.db, { userId: viewer.id, tenantId })).resolves.toMatchObject({ role: "viewer" });
    await expect(
      startOperation(h.deps, { actor: actor(viewer), tenantId, type: "tenant.verify", inputs: {} }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(await h.db.select().from(operationRuns).where(eq(operationRuns.tenantId, tenantId))).toHaveLength(0);
  });

  it("treats another tenant's runs and tenants as not found", async () => {
    const a = await ownerAndTenant("Owner A");
    const b = await ownerAndTenant("Owner B");
    const { run } = await startOperation(h.deps, {
      actor: actor(a.owner),
      tenantId: a.tenantId,
      type: "test.noop",
      inputs: {},
    });
    // B's member cannot open A's tenant, nor reach A's run through B's tenant.
    await expect(requireTenantAccess(h.db, { userId: b.owner.id, tenantId: a.tenantId })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(getTenantRun(h.db, b.tenantId, run.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      startOperation(h.deps, { actor: actor(b.owner), tenantId: a.tenantId, type: "test.noop", inputs: {} }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(getTenantRun(h.db, a.tenantId, run.id)).resolves.toMatchObject({ id: run.id });
  });
});

describe("run transitions", () => {
  it("never changes a completed run again", async () => {
    const { owner, tenantId } = await ownerAndTenant();
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId,
      type: "test.noop",
      inputs: { key: "immutable" },
    });
    expect(await markRunning(h.db, { runId: run.id, attempt: 1 })).toMatchObject({ status: "running", attempt: 1 });
    const done = await completeRun(h.db, { runId: run.id, outcome: "succeeded" });
    expect(done).toMatchObject({ status: "completed", outcome: "succeeded" });

    // A second completion, a late progress write and a redelivered start all change nothing.
    expect(await completeRun(h.db, { runId: run.id, outcome: "failed" })).toBeNull();
    await recordProgress(h.db, { runId: run.id, attempt: 1 }, { processed: 99 });
    expect(await markRunning(h.db, { runId: run.id, attempt: 2 })).toBeNull();
    const [after] = await h.db.select().from(operationRuns).where(eq(operationRuns.id, run.id));
    expect(after).toMatchObject({ status: "completed", outcome: "succeeded", attempt: 1, summaryCounts: {} });

    // Even a hand-written UPDATE is refused by the database.
    expect(await databaseError(sql`update operation_runs set outcome = 'failed' where id = ${run.id}`)).toMatch(
      /completed and cannot change/,
    );
    expect(
      await databaseError(sql`update operation_runs set status = 'queued', outcome = 'pending' where id = ${run.id}`),
    ).toMatch(/completed and cannot change/);
  });

  it("lets only the newest attempt write: a duplicate delivery or a replaced attempt changes nothing", async () => {
    const { owner, tenantId } = await ownerAndTenant();
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId,
      type: "test.noop",
      inputs: { key: "fenced" },
    });
    await markRunning(h.db, { runId: run.id, attempt: 1 });
    await recordProgress(h.db, { runId: run.id, attempt: 1 }, { processed: 5 });
    // Attempt 1's worker went silent and pg-boss retried the job: attempt 2 takes over.
    expect(await markRunning(h.db, { runId: run.id, attempt: 2 })).toMatchObject({ attempt: 2, summaryCounts: {} });
    // The same delivery again, and the old attempt waking up, are refused.
    expect(await markRunning(h.db, { runId: run.id, attempt: 2 })).toBeNull();
    expect(await markRunning(h.db, { runId: run.id, attempt: 1 })).toBeNull();
    await recordProgress(h.db, { runId: run.id, attempt: 1 }, { processed: 99 });
    await appendFailures(h.db, { runId: run.id, attempt: 1 }, [{ code: "late", message: "from attempt 1" }]);
    expect(await completeRun(h.db, { runId: run.id, attempt: 1, outcome: "failed" })).toBeNull();
    await recordProgress(h.db, { runId: run.id, attempt: 2 }, { processed: 1 });

    const [after] = await h.db.select().from(operationRuns).where(eq(operationRuns.id, run.id));
    expect(after).toMatchObject({ status: "running", attempt: 2, summaryCounts: { processed: 1 }, failures: [] });
    // Attempt 1 left no error of its own: the timeline says it was lost.
    expect(after!.attemptErrors).toEqual([
      expect.objectContaining({ attempt: 1, message: expect.stringMatching(/stopped/) }),
    ]);
  });

  it("refuses to move a running run back to queued", async () => {
    const { owner, tenantId } = await ownerAndTenant();
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId,
      type: "test.noop",
      inputs: { key: "back" },
    });
    await markRunning(h.db, { runId: run.id, attempt: 1 });
    expect(await databaseError(sql`update operation_runs set status = 'queued' where id = ${run.id}`)).toMatch(
      /back to queued/,
    );
  });
});

describe("tenants", () => {
  it("rejects a malformed GUID and an empty name with field errors, writing nothing", async () => {
    const owner = await createUser(h.db);
    const before = await h.db.select({ n: sql<number>`count(*)::int` }).from(tenants);
    const error = await createTenant(h.db, {
      encryptionKey,
      ownerUserId: owner.id,
      input: {
        tenantGuid: "not-a-guid",
        displayName: "   ",
        clientId: randomUUID(),
        clientSecret: "s",
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(Object.keys((error as InputError).fieldErrors).sort()).toEqual(["displayName", "tenantGuid"]);
    const after = await h.db.select({ n: sql<number>`count(*)::int` }).from(tenants);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it("stores the client secret encrypted, never as plain text", async () => {
    const owner = await createUser(h.db);
    const secret = `plain-secret-${randomUUID()}`;
    const tenant = await createTestTenant(h.db, owner.id, { clientSecret: secret });
    const [row] = await h.db.select().from(tenants).where(eq(tenants.id, tenant.id));
    expect(row!.clientSecretEnc).not.toContain(secret);
    expect(row!.clientSecretEnc.startsWith("v1.")).toBe(true);
  });
});
