import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { createDb } from "@/db/client";
import { firePrune } from "@/lib/maintenance/schedule";
import { unreadCount } from "@/lib/notifications/queries";
import { countRunsByStatus, getTenantRun, listRuns, runFiltersSchema } from "@/lib/operations/queries";
import { createBoss } from "@/lib/operations/queue";
import { operations } from "@/lib/operations/registry";
import { WORKER_NODE_FLAGS } from "@/workers/node-flags";
import { seededIds, seedRunsAndNotifications } from "./seed-runs";
import { freshDatabase, percentile, table } from "./setup";

/**
 * Retention at scale: the monitoring data set (1,000,000 runs over 90 days, one notification each)
 * plus 100,000 policy versions, pruned to 30 days by the daily `maintenance.prune` — one run per
 * tenant, fired as the schedule fires it, worked by a real worker process — while this process
 * times the monitoring pages' queries. Their p50/p95 before, during and right after the prune, side
 * by side; the prune must not block them.
 */
const RUNS = Number(process.env.BENCH_PRUNE_RUNS ?? 1_000_000);
const TENANTS = 100;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 100);
const RETENTION = { runDays: 30, readNotificationDays: 30, notificationDays: 60, policyVersionsKept: 5 };

const url = await freshDatabase("tenantatlas_bench_prune", operations);
const bare = new pg.Pool({ connectionString: url, max: 2 });
const { db, pool } = createDb(url, { max: 4, statementTimeoutMs: 0 });
await seedRunsAndNotifications(bare, { runs: RUNS, tenants: TENANTS });

// 50 policies per tenant with 20 versions each, a version every 4 days (recorded by a run of that
// day), and a backup per tenant holding every policy's first version: those must stay.
const versionsStart = performance.now();
await bare.query(`
  insert into policy_versions (tenant_id, policy_id, version, content_hash, content, run_id, created_at)
  select t.id, md5(t.id::text || p)::uuid, v, 'h' || v, jsonb_build_object('version', v), r.id, r.created_at
  from tenants t, generate_series(1, 50) p, generate_series(1, 20) v,
  lateral (select id, created_at from operation_runs
           where tenant_id = t.id and created_at < now() - (20 - v) * interval '4 days'
           order by created_at desc limit 1) r;
  insert into backup_sets (tenant_id, name, completed_at) select id, 'Baseline', now() from tenants;
  insert into backup_items (backup_set_id, tenant_id, policy_id, family, name, content, content_hash)
  select s.id, v.tenant_id, v.policy_id, 'device_configuration', 'Policy', v.content, v.content_hash
  from backup_sets s join policy_versions v on v.tenant_id = s.tenant_id and v.version = 1;
`);
await bare.query("vacuum analyze policy_versions");
console.log(`Policy versions seeded in ${((performance.now() - versionsStart) / 1000).toFixed(1)} s.`);

const { tenant, owner, everyone, allTenants } = seededIds(TENANTS);
// A run the prune keeps (one of the tenant's recent ones), for the run page.
const kept = (
  await bare.query(
    "select id from operation_runs where tenant_id = $1 and status = 'completed' order by created_at desc offset 50 limit 1",
    [tenant],
  )
).rows[0].id as string;

const cases: { name: string; call: () => Promise<unknown> }[] = [
  { name: "list, first page", call: () => listRuns(db, { tenantIds: [tenant], filters: runFiltersSchema.parse({}) }) },
  {
    name: "filter outcome = failed",
    call: () => listRuns(db, { tenantIds: [tenant], filters: runFiltersSchema.parse({ outcome: "failed" }) }),
  },
  {
    name: "status counts (chips)",
    call: () => countRunsByStatus(db, { tenantIds: [tenant], filters: runFiltersSchema.parse({}) }),
  },
  {
    name: "all tenants, first page",
    call: () => listRuns(db, { tenantIds: allTenants, filters: runFiltersSchema.parse({}) }),
  },
  { name: "run detail", call: () => getTenantRun(db, tenant, kept) },
  { name: "bell unread count (tenant owner)", call: () => unreadCount(db, owner) },
  { name: "bell unread count (member of all 100 tenants)", call: () => unreadCount(db, everyone) },
];

/** One call of every case, round-robin, into `samples`, while `more()` says so (and at least `min` rounds). */
async function measure(samples: number[][], { min, more }: { min: number; more: () => Promise<boolean> }) {
  for (let round = 0; round < min || (await more()); round++) {
    for (const [i, c] of cases.entries()) {
      const t0 = performance.now();
      await c.call();
      samples[i]!.push(performance.now() - t0);
    }
  }
}
const fresh = () => cases.map(() => [] as number[]);

const before = fresh();
for (const c of cases) for (let i = 0; i < 20; i++) await c.call();
await measure(before, { min: ITERATIONS, more: async () => false });

// The worker, as `npm run worker` starts it (its own schedule set to a date that never comes).
const worker = spawn(
  path.resolve("node_modules/.bin/tsx"),
  [...WORKER_NODE_FLAGS, "--conditions=react-server", "workers/main.ts"],
  {
    env: {
      ...process.env,
      DATABASE_URL: url,
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      PRUNE_CRON: "0 0 1 1 *",
    },
    stdio: ["ignore", "pipe", "inherit"],
  },
);
await new Promise<void>((resolve) =>
  worker.stdout!.on("data", (d: Buffer) => d.includes("[worker] ready") && resolve()),
);

const producer = createBoss(url, "producer");
await producer.start();
const pruneStart = performance.now();
const firing = await firePrune({ db, boss: producer, registry: operations }, RETENTION);
let longestStatementMs = 0;
const active = async () => {
  const { rows } = await bare.query(`
    select (select count(*) from operation_runs where type = 'maintenance.prune' and status <> 'completed')::int as active,
           coalesce((select max(extract(epoch from clock_timestamp() - query_start) * 1000) from pg_stat_activity
                     where application_name = 'tenantatlas-worker' and state = 'active'), 0)::float as longest`);
  longestStatementMs = Math.max(longestStatementMs, rows[0].longest);
  return rows[0].active > 0;
};
const during = fresh();
await measure(during, { min: 1, more: active });
const pruneSeconds = (performance.now() - pruneStart) / 1000;

const after = fresh();
await measure(after, { min: ITERATIONS, more: async () => false });

const { rows: totals } = await bare.query(`
  select coalesce(sum((summary_counts->>'runsDeleted')::int), 0)::int as runs,
         coalesce(sum((summary_counts->>'notificationsDeleted')::int), 0)::int as notifications,
         coalesce(sum((summary_counts->>'policyVersionsDeleted')::int), 0)::int as versions,
         count(*) filter (where outcome <> 'succeeded')::int as unsuccessful
  from operation_runs where type = 'maintenance.prune'`);
const left = (await bare.query("select count(*)::int as n from operation_runs where type <> 'maintenance.prune'"))
  .rows[0].n as number;
const t = totals[0]!;

table(
  `Prune of ${RUNS.toLocaleString("en")} runs (${new Date().toISOString()})`,
  ["measure", "value"],
  [
    ["prune runs started (one per tenant)", firing.started],
    ["prune runs not succeeded", t.unsuccessful],
    ["runs deleted", t.runs.toLocaleString("en")],
    ["runs left", left.toLocaleString("en")],
    ["notifications deleted by their own rule (more went with their runs)", t.notifications.toLocaleString("en")],
    ["policy versions deleted", t.versions.toLocaleString("en")],
    ["prune wall time (s)", pruneSeconds.toFixed(1)],
    ["runs deleted per second", Math.round(t.runs / pruneSeconds).toLocaleString("en")],
    ["longest worker statement seen (ms)", longestStatementMs.toFixed(0)],
    ["monitoring rounds during the prune", during[0]!.length],
  ],
);
const fmt = (xs: number[], p: number) => percentile(xs, p).toFixed(2);
table(
  "Monitoring queries before, during and right after the prune (ms)",
  ["query", "before p50", "before p95", "during p50", "during p95", "during max", "after p95"],
  cases.map((c, i) => [
    c.name,
    fmt(before[i]!, 50),
    fmt(before[i]!, 95),
    fmt(during[i]!, 50),
    fmt(during[i]!, 95),
    fmt(during[i]!, 100),
    fmt(after[i]!, 95),
  ]),
);

worker.kill("SIGTERM");
await new Promise((resolve) => worker.once("exit", resolve));
await producer.stop({ graceful: false });
await bare.end();
await pool.end();
