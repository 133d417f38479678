import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OperationRun } from "@/db/schema";
import { startOperation } from "@/lib/operations/start";
import { actor, createTestTenant, createUser, openHarness, waitForCompletion } from "./support/harness";
import { LEAKED_SECRET } from "./support/test-operations";
import { killHard, startWorkerProcess } from "./support/worker-process-control";

/**
 * A handler that dies on a real PostgreSQL error whose text quotes the SQL and a bound secret: every
 * viewer of the run must see a fixed message and a reference, and only the worker's log the error.
 */
type LogLine = { msg?: string; reference?: string; err?: { message?: string; stack?: string }; runId?: string };

let h: Awaited<ReturnType<typeof openHarness>>;
let worker: ChildProcess;
const logLines: LogLine[] = [];
let run: OperationRun;

beforeAll(async () => {
  h = await openHarness();
  worker = await startWorkerProcess();
  let pending = "";
  worker.stdout!.on("data", (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) if (line.startsWith("{")) logLines.push(JSON.parse(line) as LogLine);
  });
  const owner = await createUser(h.db, "Leak Watcher");
  const tenant = await createTestTenant(h.db, owner.id);
  const started = await startOperation(h.deps, {
    actor: actor(owner),
    tenantId: tenant.id,
    type: "test.leaky",
    inputs: {},
  });
  run = await waitForCompletion(h.db, started.run.id, 30_000);
});
afterAll(async () => {
  if (worker) await killHard(worker);
  await h.close();
});

describe("a run that fails on an unexpected error", () => {
  it("stores a fixed message and a reference, with neither the SQL nor the bound value", () => {
    expect(run.outcome).toBe("failed");
    expect(run.failures).toEqual([
      {
        code: "unexpected_error",
        message: "An unexpected error stopped the work. Its details are in the server log.",
        reference: expect.stringMatching(/^[0-9a-f]{12}$/),
      },
    ]);
    expect(run.attemptErrors).toHaveLength(1);
    expect(run.attemptErrors[0]!.reference).toBe(run.failures[0]!.reference);
    const stored = JSON.stringify({ failures: run.failures, attemptErrors: run.attemptErrors });
    expect(stored).not.toContain(LEAKED_SECRET);
    expect(stored).not.toMatch(/select|Failed query|invalid input syntax/i);
  });

  it("logs the full error under the same reference in the worker's log", async () => {
    const reference = run.failures[0]!.reference!;
    await expect.poll(() => logLines.find((l) => l.reference === reference), { timeout: 10_000 }).toBeDefined();
    const line = logLines.find((l) => l.reference === reference)!;
    expect(line).toMatchObject({ msg: "attempt failed", runId: run.id });
    // The driver's own words, the query and its bound value, are there for whoever reads the log.
    const logged = JSON.stringify(line.err);
    expect(logged).toContain(LEAKED_SECRET);
    expect(logged).toMatch(/Failed query: select/);
  });
});
