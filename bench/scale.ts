import { performance } from "node:perf_hooks";
import { createDb } from "@/db/client";
import { users } from "@/db/schema";
import type { ManagedProcess } from "@/e2e/support/managed-process";
import { createHttpFetch } from "@/lib/graph/transport";
import { createBoss } from "@/lib/operations/queue";
import { operations } from "@/lib/operations/registry";
import { startOperation } from "@/lib/operations/start";
import { createTenant } from "@/lib/tenants/service";
import { startBenchWorker } from "./console";
import { freshDatabase, startBenchEmulator, table } from "./setup";

/**
 * BENCH=scale (issue 15 §6): I/O-bound runs on 1, 2 and 4 worker processes on one database. Each run
 * is the product's `tenant.verify`, whose Graph call the emulator holds back GRAPH_WAIT_MS (as real
 * Graph calls take time). Every tenant always has one run queued or running (its identity allows no
 * more), with twice as many tenants as slots, so the workers never wait for work. Throughput is
 * counted over a window after a warm-up, beside the ideal (slots / wait) — the floor a worker fleet
 * that spent nothing of its own would reach.
 */
const GRAPH_WAIT_MS = Number(process.env.BENCH_SCALE_WAIT_MS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_SCALE_CONCURRENCY ?? 4);
const WINDOW_SECONDS = Number(process.env.BENCH_SCALE_SECONDS ?? 20);
const WARMUP_SECONDS = 3;
const FLEETS = (process.env.BENCH_SCALE_WORKERS ?? "1,2,4").split(",").map(Number);

const encryptionKey = Buffer.alloc(32, 9);
// A tenant has one verification at a time (its identity), and an Entra tenant belongs to one
// registration: one emulated tenant per slot twice over keeps every slot busy.
const TENANTS = 2 * CONCURRENCY * Math.max(...FLEETS);
const emulator = await startBenchEmulator({
  EMULATOR_TENANTS: String(TENANTS),
  EMULATOR_POLICIES: "1",
  EMULATOR_GROUPS: "1",
});
const { info } = emulator;
const url = await freshDatabase("tenantatlas_bench_scale", operations);
const { db, pool } = createDb(url, { max: 10 });
const producer = createBoss(url, "producer");
await producer.start();
const [user] = await db.insert(users).values({ email: "scale@bench.test", name: "Bench" }).returning();
const actor = { userId: user!.id, name: "Bench" };
const deps = { db, boss: producer, registry: operations };

const tenantIds: string[] = [];
for (const [i, emulated] of info.tenants.entries()) {
  const tenant = await createTenant(db, {
    encryptionKey,
    ownerUserId: user!.id,
    input: {
      tenantGuid: emulated.tenant,
      clientId: emulated.client,
      clientSecret: emulated.secret,
      displayName: `Scale ${i}`,
    },
  });
  tenantIds.push(tenant.id);
}
const http = createHttpFetch(info.caFile);
await http(`${info.url}/_emulator/faults`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ route: "GET /v1.0/organization", delayMs: GRAPH_WAIT_MS }),
});

function startWorkers(count: number): Promise<ManagedProcess[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const worker = startBenchWorker({
        name: `worker-${i}`,
        databaseUrl: url,
        encryptionKey,
        emulator: info,
        concurrency: CONCURRENCY,
        logFile: `.data/bench/scale-worker-${i}.log`,
      });
      await worker.waitFor(/worker ready/);
      return worker;
    }),
  );
}

/** Keeps `tenants` busy until the window ends; answers runs completed within the window per second. */
async function measure(tenants: string[]): Promise<{ rate: number; failed: number }> {
  const start = (tenantId: string) =>
    startOperation(deps, { actor, tenantId, type: "tenant.verify" }).then(({ run }) => run.id);
  const active = new Map(await Promise.all(tenants.map(async (t) => [t, await start(t)] as const)));
  const t0 = performance.now();
  const windowStart = new Date(Date.now() + WARMUP_SECONDS * 1000);
  const end = t0 + (WARMUP_SECONDS + WINDOW_SECONDS) * 1000;
  while (performance.now() < end) {
    const { rows } = await pool.query<{ tenant_id: string }>(
      "select tenant_id from operation_runs where id = any($1::uuid[]) and status = 'completed'",
      [[...active.values()]],
    );
    for (const { tenant_id } of rows) active.set(tenant_id, await start(tenant_id));
    await new Promise((r) => setTimeout(r, 25));
  }
  const windowEnd = new Date();
  const { rows } = await pool.query<{ done: string; failed: string }>(
    `select count(*) as done, count(*) filter (where outcome <> 'succeeded') as failed from operation_runs
     where type = 'tenant.verify' and completed_at >= $1 and completed_at < $2`,
    [windowStart, windowEnd],
  );
  // Let what is in flight end before the next fleet starts.
  for (let i = 0; i < 400; i++) {
    const { rows: left } = await pool.query("select 1 from operation_runs where status <> 'completed' limit 1");
    if (left.length === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    rate: Number(rows[0]!.done) / ((windowEnd.getTime() - windowStart.getTime()) / 1000),
    failed: Number(rows[0]!.failed),
  };
}

const rows: (string | number)[][] = [];
let single = 0;
for (const count of FLEETS) {
  const workers = await startWorkers(count);
  const { rate, failed } = await measure(tenantIds.slice(0, 2 * CONCURRENCY * count));
  await Promise.all(workers.map((w) => w.stop("SIGTERM", 30_000)));
  if (count === 1) single = rate;
  const ideal = (count * CONCURRENCY * 1000) / GRAPH_WAIT_MS;
  rows.push([
    count,
    count * CONCURRENCY,
    rate.toFixed(1),
    single ? `${(rate / single).toFixed(2)}×` : "—",
    ideal.toFixed(1),
    `${Math.round((rate / ideal) * 100)} %`,
    failed,
    count === 2 ? "≥ 1.8×" : count === 4 ? "≥ 3.2×" : "",
  ]);
}
table(
  `Scale-out: tenant.verify runs waiting ${GRAPH_WAIT_MS} ms on Graph, ${CONCURRENCY} slots per worker, ${WINDOW_SECONDS} s window (${new Date().toISOString()})`,
  ["workers", "slots", "runs/s", "vs 1 worker", "ideal runs/s", "share of ideal", "not succeeded", "goal"],
  rows,
);

await producer.stop({ graceful: false });
await pool.end();
emulator.stop();
