import { readFileSync } from "node:fs";
import pg from "pg";
import type { JobWithMetadata, PgBoss } from "pg-boss";
import { z } from "zod";
import { createDb } from "@/db/client";
import { users } from "@/db/schema";
import { createBoss } from "@/lib/operations/queue";
import { defineOperation, type OperationRegistry, operations } from "@/lib/operations/registry";
import { startOperation } from "@/lib/operations/start";
import { createTenant } from "@/lib/tenants/service";
import { startWorker } from "@/workers/worker";
import { freshDatabase, percentile, table, treeCpuSeconds } from "./setup";

/**
 * `npm run bench`: the run spine against bare pg-boss, in one process on one database.
 *  1. pickup latency queued → running of a no-op run, one at a time on an idle worker
 *     (operation_runs.started_at − created_at), beside bare pg-boss (job started_on − created_on);
 *  2. end-to-end no-op runs per second at concurrency 8 (start → completed with notifications),
 *     beside bare pg-boss send → work with the same worker loop.
 */
const PICKUPS = Number(process.env.BENCH_PICKUPS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 2000);
const CONCURRENCY = 8;
const BARE = "bench.bare";

const registry: OperationRegistry = {
  ...operations,
  "bench.noop": defineOperation({
    label: "Benchmark no-op",
    inputSchema: z.object({ n: z.number().int() }),
    identity: (i) => i,
    queue: { retryLimit: 0, retryDelay: 0, retryBackoff: false, expireInSeconds: 60 },
    minRole: "operator",
  }),
};

const databaseUrl = await freshDatabase("tenantatlas_bench", registry);

const { db, pool } = createDb(databaseUrl, { max: 20 });
const producer = createBoss(databaseUrl, "producer");
await producer.start();
const workerBoss = createBoss(databaseUrl, "worker");
await workerBoss.start();
// Bare pg-boss with its own LISTEN and work() slots, each re-fetching right after a job.
const bareBoss = createBoss(databaseUrl, "worker", { useListenNotify: true, supervise: false });
await bareBoss.start();
await bareBoss.createQueue(BARE, { notify: true, retryLimit: 0 });

const [user] = await db.insert(users).values({ email: "bench@example.test", name: "Bench" }).returning();
const tenant = await createTenant(db, {
  encryptionKey: Buffer.alloc(32, 1),
  ownerUserId: user!.id,
  input: {
    tenantGuid: "00000000-0000-4000-8000-000000000001",
    displayName: "Bench",
    clientId: "00000000-0000-4000-8000-000000000002",
    clientSecret: "unused",
  },
});
const deps = { db, boss: producer, registry };
const actor = { userId: user!.id, name: "Bench" };

await startWorker(
  workerBoss,
  {
    db,
    boss: workerBoss,
    registry: { "bench.noop": registry["bench.noop"]! },
    handlers: { "bench.noop": async () => {} },
    graph: { graphUrl: "https://invalid", loginUrl: "https://invalid" },
    encryptionKey: Buffer.alloc(32, 1),
  },
  { concurrency: CONCURRENCY, notifyPollingIntervalSeconds: 30 },
);
for (let i = 0; i < CONCURRENCY; i++)
  await workWhileFound(bareBoss, { queue: BARE, notifyPollingIntervalSeconds: 30, handle: async () => {} });
await new Promise((r) => setTimeout(r, 1000)); // listeners up, workers idle

let n = 0;
const runDone = async (id: string) => {
  for (;;) {
    const r = await pool.query("select status from operation_runs where id = $1", [id]);
    if (r.rows[0]?.status === "completed") return;
    await new Promise((res) => setTimeout(res, 5));
  }
};
const jobDone = async (id: string) => {
  for (;;) {
    const r = await pool.query("select state from pgboss.job where name = $1 and id = $2", [BARE, id]);
    if (r.rows[0]?.state === "completed") return;
    await new Promise((res) => setTimeout(res, 5));
  }
};

// 1. Pickup latency, alternating spine and bare so drift hits both alike.
const runIds: string[] = [];
const jobIds: string[] = [];
for (let i = 0; i < PICKUPS; i++) {
  const { run } = await startOperation(deps, { actor, tenantId: tenant.id, type: "bench.noop", inputs: { n: n++ } });
  runIds.push(run.id);
  await runDone(run.id);
  const jobId = (await producer.send(BARE, { i }))!;
  jobIds.push(jobId);
  await jobDone(jobId);
}
const spinePickup = (
  await pool.query(
    "select extract(epoch from started_at - created_at) * 1000 as ms from operation_runs where id = any($1::uuid[])",
    [runIds],
  )
).rows.map((r) => Number(r.ms));
const barePickup = (
  await pool.query(
    "select extract(epoch from started_on - created_on) * 1000 as ms from pgboss.job where name = $1 and id = any($2::uuid[])",
    [BARE, jobIds],
  )
).rows.map((r) => Number(r.ms));

// Statements sent to PostgreSQL by every client of this process (each one a round trip, with
// BEGIN and COMMIT counted): a figure the shared machine's noise cannot move.
let statements = 0;
const sendQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements += 1;
  return (sendQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof sendQuery;

// 2. Throughput at concurrency 8: ROUNDS alternating rounds of spine and bare runs, each enqueued
// by 8 concurrent starters and timed until all are completed, so a shared machine's drift hits both.
const ROUNDS = 4;
// CPU the runs cost, this process's and the database server's (its postmaster and every backend):
// unlike throughput, what a shared machine's load cannot stretch (Linux /proc; 0 elsewhere).
const backendPid = (await pool.query("select pg_backend_pid() as pid")).rows[0].pid as number;
const postmaster = (() => {
  try {
    return Number(readFileSync(`/proc/${backendPid}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
  } catch {
    return 0;
  }
})();
const serverCpuSeconds = () => {
  try {
    return postmaster ? treeCpuSeconds(postmaster) : 0;
  } catch {
    return 0;
  }
};
const cpuSeconds = () => {
  const own = process.cpuUsage();
  return { bench: (own.user + own.system) / 1e6, server: serverCpuSeconds() };
};

/** Seconds, statements (less the bench's own polling) and CPU seconds for `count` runs. */
async function timed(count: number, enqueue: () => Promise<unknown>, completed: () => Promise<number>) {
  const before = await completed();
  const t0 = performance.now();
  const cpu0 = cpuSeconds();
  const statementsBefore = statements;
  let polls = 0;
  let left = count;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (left-- > 0) await enqueue();
    }),
  );
  while ((polls++, await completed()) - before < count) await new Promise((r) => setTimeout(r, 10));
  return {
    seconds: (performance.now() - t0) / 1000,
    statements: statements - statementsBefore - polls,
    cpu: cpuSeconds().bench - cpu0.bench,
    serverCpu: cpuSeconds().server - cpu0.server,
  };
}
const spineCompleted = async () =>
  Number((await pool.query("select count(*) from operation_runs where status = 'completed'")).rows[0].count);
const bareCompleted = async () =>
  Number(
    (await pool.query("select count(*) from pgboss.job where name = $1 and state = 'completed'", [BARE])).rows[0].count,
  );
const spine = { seconds: 0, statements: 0, cpu: 0, serverCpu: 0 };
const bare = { seconds: 0, statements: 0, cpu: 0, serverCpu: 0 };
const add = (total: typeof spine, round: typeof spine) => {
  total.seconds += round.seconds;
  total.statements += round.statements;
  total.cpu += round.cpu;
  total.serverCpu += round.serverCpu;
};
const perRound = Math.ceil(RUNS / ROUNDS);
for (let round = 0; round < ROUNDS; round++) {
  add(
    spine,
    await timed(
      perRound,
      () => startOperation(deps, { actor, tenantId: tenant.id, type: "bench.noop", inputs: { n: n++ } }),
      spineCompleted,
    ),
  );
  add(bare, await timed(perRound, () => producer.send(BARE, { n: n++ }), bareCompleted));
}
const done = perRound * ROUNDS;
const spineRate = done / spine.seconds;
const bareRate = done / bare.seconds;

const pct = percentile;
const f = (x: number) => x.toFixed(1);
const rows = [
  [
    "pickup p50 (ms)",
    f(pct(spinePickup, 50)),
    f(pct(barePickup, 50)),
    f(pct(spinePickup, 50) / pct(barePickup, 50)) + "×",
    "≤ 15",
  ],
  [
    "pickup p95 (ms)",
    f(pct(spinePickup, 95)),
    f(pct(barePickup, 95)),
    f(pct(spinePickup, 95) / pct(barePickup, 95)) + "×",
    "≤ 50",
  ],
  [`no-op runs/s @${CONCURRENCY}`, f(spineRate), f(bareRate), (spineRate / bareRate).toFixed(2) + "×", "≥ 0.60× bare"],
  [
    "statements per run",
    f(spine.statements / done),
    f(bare.statements / done),
    (spine.statements / bare.statements).toFixed(1) + "×",
    "—",
  ],
  [
    "CPU ms per run, bench process",
    f((spine.cpu / done) * 1000),
    f((bare.cpu / done) * 1000),
    (spine.cpu / bare.cpu).toFixed(2) + "×",
    "—",
  ],
  [
    "CPU ms per run, PostgreSQL",
    f((spine.serverCpu / done) * 1000),
    f((bare.serverCpu / done) * 1000),
    (spine.serverCpu / bare.serverCpu).toFixed(2) + "×",
    "—",
  ],
];
table(
  `Run spine vs bare pg-boss (${PICKUPS} pickups, ${RUNS} runs; ${new Date().toISOString()})`,
  ["measure", "run spine", "bare pg-boss", "ratio", "target"],
  rows,
);

await workerBoss.stop({ graceful: false });
await bareBoss.stop({ graceful: false });
await producer.stop({ graceful: false });
await pool.end();

/** One single-job pg-boss worker slot on `queue` that re-fetches right after each job it ran. */
async function workWhileFound<T extends object>(
  boss: PgBoss,
  {
    queue,
    notifyPollingIntervalSeconds,
    handle,
  }: { queue: string; notifyPollingIntervalSeconds: number; handle: (job: JobWithMetadata<T>) => Promise<void> },
): Promise<string> {
  // The id is known only once work() returns; a job claimed before that simply skips the re-fetch.
  const slot: { id?: string } = {};
  slot.id = await boss.work(
    queue,
    {
      includeMetadata: true,
      batchSize: 1,
      pollingIntervalSeconds: Math.min(2, notifyPollingIntervalSeconds),
      notifyPollingIntervalSeconds,
    },
    async ([job]: JobWithMetadata<T>[]) => {
      try {
        if (job) await handle(job);
      } finally {
        if (slot.id) boss.notifyWorker(slot.id);
      }
    },
  );
  return slot.id;
}
