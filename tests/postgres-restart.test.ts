import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { notifications, operationRuns } from "@/db/schema";
import { createBoss, HEARTBEAT_SECONDS } from "@/lib/operations/queue";
import { startOperation } from "@/lib/operations/start";
import { actor, createTestTenant, createUser } from "./support/harness";
import { startOwnPostgres } from "./support/own-postgres";
import { queuedRegistry, testRegistry } from "./support/test-operations";
import { startWorkerProcess } from "./support/worker-process-control";

// PostgreSQL restarted under load, as an operator or a failover would: every session is ended
// while worker processes are in the middle of runs, and the server is gone for a while. The
// workers must live through it, and every run must still end — truthfully and notified once.
// Longer than a job's heartbeat (JOB_HEARTBEAT_SECONDS, 10 s in tests): pg-boss fails the jobs in
// flight while their workers live on.
const DOWN_MS = (HEARTBEAT_SECONDS + 5) * 1000;
const AFTER_RETURN_MS = 120_000;

let postgres: Awaited<ReturnType<typeof startOwnPostgres>>;
let client: ReturnType<typeof createDb>;
let producer: ReturnType<typeof createBoss>;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  postgres = await startOwnPostgres("postgres-restart");
  await migrateDatabase(postgres.url, queuedRegistry);
  client = createDb(postgres.url, { max: 4, application: "tenantatlas-test-restart" });
  producer = createBoss(postgres.url, "producer");
  await producer.start();
  for (let i = 0; i < 2; i++) workers.push(await startWorkerProcess({ concurrency: 4, database: postgres.url }));
}, 180_000);

afterAll(async () => {
  for (const worker of workers) worker.kill("SIGKILL");
  await producer?.stop({ graceful: false }).catch(() => {});
  await client?.pool.end().catch(() => {});
  await postgres?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("PostgreSQL restarted under load", () => {
  it("keeps every worker alive, ends every run truthfully within 2 minutes of the database's return, notifies each once", async () => {
    const { db } = client;
    const owner = await createUser(db, "Operator");
    const tenant = await createTestTenant(db, owner.id);
    const start = (type: string, inputs: Record<string, unknown>) =>
      startOperation(
        { db, boss: producer, registry: testRegistry },
        { actor: actor(owner), tenantId: tenant.id, type, inputs: { key: randomUUID(), ...inputs } },
      ).then(({ run }) => run.id);

    // Runs in every phase when the database goes: mid-wait (with and without retries left), queued, quick.
    const runIds = await Promise.all([
      ...Array.from({ length: 16 }, () => start("test.wait", { waitMs: 4_000 })),
      ...Array.from({ length: 8 }, () => start("test.wait-once", { waitMs: 4_000 })),
      ...Array.from({ length: 16 }, () => start("test.noop", {})),
    ]);
    await sleep(1_500);
    expect(await db.$count(operationRuns, inArray(operationRuns.status, ["running"]))).toBeGreaterThan(0);

    await postgres.stop();
    await sleep(DOWN_MS);
    await postgres.start();
    const returnedAt = Date.now();

    const active = async () => {
      try {
        return await db.$count(
          operationRuns,
          sql`${inArray(operationRuns.id, runIds)} and ${inArray(operationRuns.status, ["queued", "running"])}`,
        );
      } catch {
        return Number.NaN; // the pool is still finding its feet
      }
    };
    let left = await active();
    while (left !== 0 && Date.now() - returnedAt < AFTER_RETURN_MS) {
      await sleep(1_000);
      left = await active();
    }
    const allTerminalAfterMs = Date.now() - returnedAt;
    console.log(`[postgres-restart] all runs terminal ${allTerminalAfterMs} ms after the database returned`);
    expect(left).toBe(0);
    expect(allTerminalAfterMs).toBeLessThan(AFTER_RETURN_MS);

    for (const worker of workers) {
      expect({ exitCode: worker.exitCode, signal: worker.signalCode }).toEqual({ exitCode: null, signal: null });
    }

    // Truthful ends: the workers lived, so no run may say its worker was lost. A run with retries
    // left finished on a later attempt; one without either finished in time or says the database went.
    const ended = await db
      .select({ type: operationRuns.type, outcome: operationRuns.outcome, failures: operationRuns.failures })
      .from(operationRuns)
      .where(inArray(operationRuns.id, runIds));
    for (const run of ended) {
      if (run.type === "test.wait-once" && run.outcome === "failed") {
        expect(run.failures).toEqual([expect.objectContaining({ code: "database_unreachable" })]);
      } else expect(run).toMatchObject({ outcome: "succeeded", failures: [] });
    }
    const failed = ended.filter((run) => run.outcome === "failed").length;
    console.log(`[postgres-restart] ${failed} of ${ended.length} runs failed for the outage, the rest succeeded`);

    // One "queued" and one terminal notification per run: nothing lost, nothing twice.
    const sent = await db
      .select({ runId: notifications.runId, kind: notifications.kind, count: sql<number>`count(*)::int` })
      .from(notifications)
      .where(inArray(notifications.runId, runIds))
      .groupBy(notifications.runId, notifications.kind);
    expect(sent).toHaveLength(runIds.length * 2);
    for (const row of sent) expect(row.count).toBe(1);
  }, 300_000);
});
