import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/db/embedded";
import { operationRuns } from "@/db/schema";
import { createUserGraphClient } from "@/lib/graph/client";
import { cancelRun } from "@/lib/operations/control";
import { createBoss, PGBOSS_SCHEMA } from "@/lib/operations/queue";
import { startOperation } from "@/lib/operations/start";
import { describeError } from "@/workers/describe-error";
import { startWorker } from "@/workers/worker";
import {
  actor,
  createTestTenant,
  createUser,
  databaseUrl,
  emulatorAdmin,
  graphConfig,
  openHarness,
} from "./support/harness";

// Graph (here: the identity platform and Graph at one address) gives no answer at all, as when the
// emulator is stopped or a firewall refuses the worker. Monitoring renders from the database only
// (tests/monitoring-imports.test.ts); a run must say what went wrong and be retried.
let h: Awaited<ReturnType<typeof openHarness>>;
let worker: Awaited<ReturnType<typeof startWorker>>;
let deadUrl: string;
beforeAll(async () => {
  h = await openHarness();
  deadUrl = `https://127.0.0.1:${await freePort()}`; // nothing listens there: connections are refused
  const boss = createBoss(databaseUrl, "worker");
  await boss.start();
  const graph = { ...graphConfig, graphUrl: deadUrl, loginUrl: deadUrl };
  worker = await startWorker(boss, { ...h.workerDeps, graph }, { concurrency: 1, reaperIntervalMs: 3_600_000 });
});
afterAll(async () => {
  await worker?.stop();
  await h.close();
});

describe("Microsoft Graph unreachable", () => {
  it("fails a started run's attempt with a retryable message that names the host and the cause", async () => {
    const owner = await createUser(h.db, "Operator");
    const tenant = await createTestTenant(h.db, owner.id);
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId: tenant.id,
      type: "inventory.sync",
      inputs: {},
    });
    let attemptErrors: { message: string }[] = [];
    for (let i = 0; i < 300 && attemptErrors.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const [row] = await h.db
        .select({ attemptErrors: operationRuns.attemptErrors })
        .from(operationRuns)
        .where(eq(operationRuns.id, run.id));
      attemptErrors = row!.attemptErrors;
    }
    const { port } = new URL(deadUrl);
    // The token is the first request of a run.
    expect(attemptErrors[0]?.message).toBe(
      `The identity platform could not be reached: no answer from 127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port})`,
    );
    // Retryable: pg-boss holds the job for another attempt (once the handler's throw reaches it).
    const jobState = async () =>
      (
        await h.db.execute<{ state: string }>(
          sql`select state from ${sql.identifier(PGBOSS_SCHEMA)}.job where id::text = ${run.jobId}`,
        )
      ).rows[0]?.state;
    await expect.poll(jobState, { timeout: 10_000 }).toBe("retry");
    await cancelRun(h.deps, { actor: actor(owner), tenantId: tenant.id, runId: run.id });
  });

  it("describes a Graph request that got no answer by its host and cause, and retries it", async () => {
    const graph = createUserGraphClient({ ...graphConfig, graphUrl: deadUrl }, "no-token-needed");
    const err = await graph
      .api("/organization")
      .get()
      .catch((e: unknown) => e);
    const { port } = new URL(deadUrl);
    expect(describeError(err)).toEqual({
      code: "graph_unreachable",
      message: `Microsoft Graph could not be reached: no answer from 127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port}). Check that the worker can reach it.`,
      retryable: true,
    });
  });

  it("calls a request cut short by a stopping worker an interruption, not a network error", async () => {
    // The emulator holds the answer; the job's signal aborts meanwhile, as at shutdown or expiry.
    await emulatorAdmin("/faults", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ route: "GET /v1.0/organization", delayMs: 5_000, times: 1 }),
    });
    try {
      const graph = createUserGraphClient(graphConfig, "no-token-needed");
      const err = await graph
        .api("/organization")
        .option("signal", AbortSignal.timeout(300))
        .get()
        .catch((e: unknown) => e);
      expect(describeError(err)).toEqual({
        code: "aborted",
        message: "The work was interrupted (job expired or worker stopping).",
        retryable: true,
      });
    } finally {
      await emulatorAdmin("/faults", { method: "DELETE" });
    }
  });
});
