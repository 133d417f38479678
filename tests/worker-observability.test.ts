import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OperationRun } from "@/db/schema";
import { metricsResponse } from "@/lib/metrics/endpoint";
import { operations } from "@/lib/operations/registry";
import { startOperation } from "@/lib/operations/start";
import { actor, emulatedTenantFixture, emulatorAdmin, openHarness, waitForCompletion } from "./support/harness";
import { claimEmulatedTenants } from "./support/tenants";
import { startWorkerMain, type WorkerMain } from "./support/worker-main";
import { killHard } from "./support/worker-process-control";

/**
 * What an operator sees of a real worker process (workers/main.ts, configured from its environment):
 * its JSON log lines and the fleet's Prometheus metrics, after a tenant.verify whose first Graph call
 * the emulator throttles (429).
 */
const [messenger] = claimEmulatedTenants(import.meta.url, 1);
const TOKEN = "metrics-token-for-the-test-0123456789";

let h: Awaited<ReturnType<typeof openHarness>>;
let worker: WorkerMain;
let run: OperationRun;
let tenantId: string;

beforeAll(async () => {
  h = await openHarness();
  worker = await startWorkerMain();
  const fixture = await emulatedTenantFixture(h.db, messenger);
  tenantId = fixture.tenantId;
  await emulatorAdmin("/faults", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ route: "GET /v1.0/organization", status: 429, retryAfter: { seconds: 0 }, times: 1 }),
  });
  const started = await startOperation(h.deps, {
    actor: actor(fixture.owner),
    tenantId,
    type: "tenant.verify",
    inputs: {},
  });
  run = await waitForCompletion(h.db, started.run.id, 60_000);
});
afterAll(async () => {
  await emulatorAdmin("/faults", { method: "DELETE" });
  if (worker) await killHard(worker.child);
  await h.close();
});

const scrape = (authorization?: string, { token }: { token: string | undefined } = { token: TOKEN }) =>
  metricsResponse(new Request("http://console.test/api/metrics", { headers: authorization ? { authorization } : {} }), {
    db: h.db,
    token,
    types: Object.keys(operations),
  });

/** The value of the sample of `name` whose labels include all of `labels`, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.lastIndexOf("}"));
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) {
      return Number(line.slice(line.lastIndexOf("}") + 1));
    }
  }
  return undefined;
}

describe("metrics", () => {
  it("do not exist without METRICS_TOKEN, and refuse a missing or wrong bearer token", async () => {
    expect((await scrape(`Bearer ${TOKEN}`, { token: undefined })).status).toBe(404);
    const missing = await scrape();
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await scrape("Bearer not-the-token")).status).toBe(401);
    expect((await scrape(`Basic ${TOKEN}`)).status).toBe(401);
  });

  it("report the worker's runs and Graph requests, the 429 among them, and the fleet's queues and workers", async () => {
    const process = `worker@`;
    const pid = `:${worker.child.pid}`;
    // The worker publishes its metrics with its heartbeat (every 5 s).
    let text = "";
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const response = await scrape(`Bearer ${TOKEN}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      text = await response.text();
      if (sample(text, "tenantatlas_runs_completed_total", { type: "tenant.verify" })) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const workerLine = (name: string, labels: Record<string, string>) => {
      const line = text
        .split("\n")
        .find(
          (l) =>
            l.startsWith(`${name}{`) &&
            l.includes(`process="${process}`) &&
            l.includes(`${pid}"`) &&
            Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
        );
      return line === undefined ? undefined : Number(line.slice(line.lastIndexOf("}") + 1));
    };

    expect(workerLine("tenantatlas_runs_started_total", { type: "tenant.verify" })).toBe(1);
    expect(workerLine("tenantatlas_runs_completed_total", { type: "tenant.verify", outcome: run.outcome })).toBe(1);
    expect(workerLine("tenantatlas_run_duration_seconds_count", { type: "tenant.verify", outcome: run.outcome })).toBe(
      1,
    );
    expect(workerLine("tenantatlas_run_pickup_latency_seconds_count", { type: "tenant.verify" })).toBe(1);
    expect(workerLine("tenantatlas_run_pickup_latency_seconds_bucket", { type: "tenant.verify", le: "+Inf" })).toBe(1);
    // The throttled attempt and the retry that succeeded are both requests; the 429 is a throttle.
    expect(
      workerLine("tenantatlas_graph_requests_total", { family: "organization", method: "GET", status: "429" }),
    ).toBe(1);
    expect(
      workerLine("tenantatlas_graph_requests_total", { family: "organization", method: "GET", status: "200" }),
    ).toBeGreaterThanOrEqual(1);
    expect(workerLine("tenantatlas_graph_throttled_total", { family: "organization", status: "429" })).toBe(1);

    // Read from the database at scrape time, the same from any web server.
    expect(sample(text, "tenantatlas_queue_depth", { type: "tenant.verify" })).toBe(0);
    expect(sample(text, "tenantatlas_runs_active", { type: "tenant.verify", status: "running" })).toBe(0);
    expect(text).toMatch(/^tenantatlas_workers_online [1-9]\d*$/m);
    expect(text).toMatch(/^# TYPE tenantatlas_run_duration_seconds histogram$/m);
    // This (web) process's own series.
    expect(text).toMatch(/^tenantatlas_live_stream_clients\{process="web@[^"]+"\} 0$/m);
  });
});

describe("worker logs", () => {
  it("are JSON lines, and every line about the run carries its runId, tenantId and jobId", async () => {
    expect(worker.raw.filter((line) => line.trim() && !line.startsWith("{"))).toEqual([]);
    const ofRun = worker.lines.filter((line) => line.runId === run.id);
    expect(ofRun.map((line) => line.msg)).toEqual(expect.arrayContaining(["attempt started", "run completed"]));
    for (const line of ofRun) {
      expect(line).toMatchObject({
        component: "worker",
        runId: run.id,
        tenantId,
        jobId: run.jobId,
        type: "tenant.verify",
      });
    }
    // And no worker line that speaks of a run leaves out its tenant or job.
    for (const line of worker.lines.filter((l) => l.runId)) {
      expect(line.tenantId).toBeTruthy();
      expect(line.jobId).toBeTruthy();
    }
    expect(ofRun.find((line) => line.msg === "run completed")).toMatchObject({ outcome: run.outcome, attempt: 1 });
  });
});
