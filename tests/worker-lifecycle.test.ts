import { randomBytes, randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { JobWithMetadata } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notifications, operationRuns, tenants } from "@/db/schema";
import { startOperation } from "@/lib/operations/start";
import { sealClientSecret } from "@/lib/tenants/secret";
import { type RunJobData, runJob } from "@/workers/lifecycle";
import { reapLostRuns } from "@/workers/reaper";
import {
  actor,
  addMember,
  createTestTenant,
  createUser,
  emulatedCredentials,
  emulatorAdmin,
  openHarness,
  waitForCompletion,
} from "./support/harness";
import { claimEmulatedTenants } from "./support/tenants";

let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
  await h.startWorker();
});
afterAll(async () => {
  await h.close();
});

async function start(type: string, inputs: Record<string, unknown> = {}, tenantOverrides = {}) {
  const owner = await createUser(h.db, "Initiator");
  const tenant = await createTestTenant(h.db, owner.id, tenantOverrides);
  const { run } = await startOperation(h.deps, { actor: actor(owner), tenantId: tenant.id, type, inputs });
  return { owner, tenantId: tenant.id, run };
}

describe("the lifecycle wrapper", () => {
  it("runs a job to succeeded with its counts, and notifies only the initiator (queued, completed)", async () => {
    const owner = await createUser(h.db, "Initiator");
    const colleague = await createUser(h.db, "Colleague");
    const tenant = await createTestTenant(h.db, owner.id);
    await addMember(h.db, { userId: colleague.id, tenantId: tenant.id, role: "operator" });
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId: tenant.id,
      type: "test.noop",
      inputs: {},
    });
    const done = await waitForCompletion(h.db, run.id);
    expect(done).toMatchObject({
      outcome: "succeeded",
      attempt: 1,
      summaryCounts: { total: 1, processed: 1, succeeded: 1 },
    });
    expect(done.startedAt).toBeTruthy();
    expect(done.completedAt!.getTime()).toBeGreaterThanOrEqual(done.startedAt!.getTime());

    const mine = await h.db.select().from(notifications).where(eq(notifications.userId, owner.id));
    expect(mine.map((n) => n.kind).sort()).toEqual(["run_completed", "run_queued"]);
    expect(mine.every((n) => n.runId === run.id)).toBe(true);
    expect(mine.find((n) => n.kind === "run_completed")!.title).toBe("No-op succeeded");
    expect(await h.db.select().from(notifications).where(eq(notifications.userId, colleague.id))).toHaveLength(0);
  });

  it("ends the run and its job in one commit, the job's output naming the worker", async () => {
    // now() is the transaction's start: equal times mean one transaction wrote both. A worker dying
    // between two commits used to leave the job active for a completed run until its heartbeat lapsed.
    for (const type of ["test.noop", "test.fatal"]) {
      const { run } = await start(type);
      const done = await waitForCompletion(h.db, run.id);
      const { rows } = await h.db.execute<{ state: string; completed_on: Date; output: { pid?: number } }>(
        sql`select state, completed_on, output from pgboss.job where id = ${done.jobId}::uuid`,
      );
      expect(rows[0]).toMatchObject({ state: "completed", output: { pid: process.pid } });
      expect(new Date(rows[0]!.completed_on).getTime()).toBe(done.completedAt!.getTime());
    }
  });

  it("ends partially_succeeded when items failed but the work was done", async () => {
    const { run } = await start("test.partial");
    const done = await waitForCompletion(h.db, run.id);
    expect(done.outcome).toBe("partially_succeeded");
    expect(done.failures).toEqual([{ code: "item_rejected", message: "Graph refused this item.", item: "policy-b" }]);
    expect(done.summaryCounts).toMatchObject({ total: 3, processed: 3, succeeded: 2, failed: 1 });
  });

  it("retries a transient error and succeeds on a later attempt", async () => {
    const { run } = await start("test.flaky", { failAttempts: 1 });
    const done = await waitForCompletion(h.db, run.id);
    expect(done).toMatchObject({ outcome: "succeeded", attempt: 2, failures: [] });
    expect(done.attemptErrors.map((a) => a.attempt)).toEqual([1]);
  });

  it("fails with a readable reason after the last retry", async () => {
    const { run } = await start("test.flaky", { failAttempts: 10 });
    const done = await waitForCompletion(h.db, run.id);
    expect(done.outcome).toBe("failed");
    expect(done.attempt).toBe(3); // retryLimit 2 → three attempts
    expect(done.attemptErrors).toHaveLength(3);
    expect(done.failures).toHaveLength(1);
    // An unknown error's own text stays in the log; each attempt has its own reference to it there.
    expect(done.failures[0]!.message).toMatch(
      /^An unexpected error stopped the work\..* \(gave up after 3 attempts\)$/,
    );
    expect(done.failures[0]!.reference).toBe(done.attemptErrors[2]!.reference);
    expect(new Set(done.attemptErrors.map((e) => e.reference)).size).toBe(3);
    expect(JSON.stringify(done)).not.toContain("transient trouble");
  });

  it("fails at once, without retries, on a non-retryable error", async () => {
    const { run } = await start("test.fatal");
    const done = await waitForCompletion(h.db, run.id);
    expect(done).toMatchObject({ outcome: "failed", attempt: 1 });
    expect(done.failures).toEqual([{ code: "bad_configuration", message: "The tenant is not set up for this." }]);
  });

  it("acknowledges a job redelivered for a completed run and changes nothing", async () => {
    const { run, owner } = await start("test.noop");
    const done = await waitForCompletion(h.db, run.id);
    const job = {
      id: done.jobId!,
      name: "test.noop",
      data: { runId: run.id },
      retryCount: 0,
      retryLimit: 2,
      signal: new AbortController().signal,
    };
    await runJob(h.workerDeps, job as unknown as JobWithMetadata<RunJobData>);
    const [again] = await h.db.select().from(operationRuns).where(eq(operationRuns.id, run.id));
    expect(again).toEqual(done);
    expect(await h.db.select().from(notifications).where(eq(notifications.userId, owner.id))).toHaveLength(2);
  });

  it("ends a run whose job is gone as failed (worker_lost), so no run stays active forever", async () => {
    // A run enqueued, then its job cancelled behind the worker's back (as if lost for good).
    const owner = await createUser(h.db);
    const tenant = await createTestTenant(h.db, owner.id);
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId: tenant.id,
      type: "test.unqueued",
      inputs: {},
    });
    expect(run.outcome).toBe("failed"); // dispatch failed: nothing for the reaper to do
    const [orphan] = await h.db
      .insert(operationRuns)
      .values({
        tenantId: tenant.id,
        type: "test.noop",
        runIdentityHash: randomUUID(),
        initiatorUserId: owner.id,
        initiatorName: owner.name,
        jobId: randomUUID(),
        status: "running",
        attempt: 1,
      })
      .returning();
    expect(await reapLostRuns(h.workerDeps, 0)).toBeGreaterThanOrEqual(1);
    const [reaped] = await h.db.select().from(operationRuns).where(eq(operationRuns.id, orphan!.id));
    expect(reaped).toMatchObject({ status: "completed", outcome: "failed" });
    expect(reaped!.failures[0]!.code).toBe("worker_lost");
  });
});

describe("tenant.verify against the Graph emulator", () => {
  const [contoso, fabrikam, northwind] = claimEmulatedTenants(import.meta.url, 3);

  it("reads the organization with an app-only token and stores it on the tenant", async () => {
    await emulatorAdmin("/faults", { method: "DELETE" });
    // One 503 on the way: Graph's Retry-After is honoured inside the call, the run still succeeds.
    await emulatorAdmin("/faults", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ route: "GET /v1.0/organization", status: 503, retryAfter: { seconds: 0 }, times: 1 }),
    });
    const { run, tenantId } = await start("tenant.verify", {}, emulatedCredentials(contoso));
    const done = await waitForCompletion(h.db, run.id);
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { total: 1, processed: 1, succeeded: 1 } });
    const [tenant] = await h.db.select().from(tenants).where(eq(tenants.id, tenantId));
    expect(tenant).toMatchObject({
      verificationStatus: "verified",
      organizationName: contoso.displayName,
      defaultDomain: contoso.defaultDomain,
    });
  });

  it("fails with the identity platform's reason in plain words for a wrong secret", async () => {
    const app = fabrikam.apps[0]!;
    const { run, tenantId } = await start(
      "tenant.verify",
      {},
      { tenantGuid: fabrikam.tenantId, clientId: app.clientId, clientSecret: "wrong" },
    );
    const done = await waitForCompletion(h.db, run.id);
    expect(done).toMatchObject({ outcome: "failed", attempt: 1 });
    expect(done.failures[0]!.message).toMatch(/client secret is wrong.*AADSTS7000215/);
    const [tenant] = await h.db.select().from(tenants).where(eq(tenants.id, tenantId));
    expect(tenant!.verificationStatus).toBe("failed");
    expect(tenant!.verificationError).toMatch(/client secret is wrong/);
  });

  it("fails at once, naming the fix, when the tenant's secret cannot be opened (the key changed)", async () => {
    const owner = await createUser(h.db, "Owner of a re-keyed install");
    const tenant = await createTestTenant(h.db, owner.id, emulatedCredentials(contoso));
    // What a changed ENCRYPTION_KEY looks like to the worker: a secret sealed under another key.
    await h.db
      .update(tenants)
      .set({ clientSecretEnc: sealClientSecret("a secret", randomBytes(32), tenant.id) })
      .where(eq(tenants.id, tenant.id));
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId: tenant.id,
      type: "tenant.verify",
      inputs: {},
    });
    const done = await waitForCompletion(h.db, run.id);
    expect(done).toMatchObject({ outcome: "failed", attempt: 1 });
    expect(done.failures[0]).toMatchObject({ code: "secret_unreadable" });
    expect(done.failures[0]!.message).toMatch(/enter the client secret again/);
  });

  it("fails plainly for an unknown tenant and for an app that is not in the tenant", async () => {
    const unknown = await start("tenant.verify", {}, { tenantGuid: randomUUID() });
    const wrongApp = await start("tenant.verify", {}, { tenantGuid: northwind.tenantId, clientId: randomUUID() });
    const [a, b] = await Promise.all([
      waitForCompletion(h.db, unknown.run.id),
      waitForCompletion(h.db, wrongApp.run.id),
    ]);
    expect(a.outcome).toBe("failed");
    expect(a.failures[0]!.message).toMatch(/does not know this tenant ID.*AADSTS90002/);
    expect(b.outcome).toBe("failed");
    expect(b.failures[0]!.message).toMatch(/client\) ID was not found in this tenant.*AADSTS700016/);
  });
});
