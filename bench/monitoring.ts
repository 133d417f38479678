import { performance } from "node:perf_hooks";
import pg from "pg";
import { createDb } from "@/db/client";
import { unreadCount } from "@/lib/notifications/queries";
import { countRunsByStatus, getTenantRun, listRuns, runFiltersSchema } from "@/lib/operations/queries";
import { operations } from "@/lib/operations/registry";
import { seededIds, seedRunsAndNotifications } from "./seed-runs";
import { freshDatabase, percentile, table } from "./setup";

/**
 * Monitoring at scale: 1,000,000 runs across 100 tenants and 1,000,000 notifications. Each data
 * query the monitoring pages make is timed (p50/p95 over many calls) beside the hand-written SQL of
 * the same query through the bare driver, and EXPLAIN shows which index serves it.
 */
const RUNS = Number(process.env.BENCH_MONITORING_RUNS ?? 1_000_000);
const TENANTS = 100;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);

const url = await freshDatabase("tenantatlas_bench_monitoring", operations);
const bare = new pg.Pool({ connectionString: url, max: 2 });
const { db, pool } = createDb(url, { max: 2, statementTimeoutMs: 0 });

await seedRunsAndNotifications(bare, { runs: RUNS, tenants: TENANTS });

const { tenant, owner, everyone, allTenants } = seededIds(TENANTS);
const deep = (
  await bare.query(
    `select (extract(epoch from created_at) * 1000000)::bigint::text || '_' || id as cursor, created_at, id
   from operation_runs where tenant_id = $1 order by created_at desc, id desc offset ${Math.floor((RUNS / TENANTS) * 0.9)} limit 1`,
    [tenant],
  )
).rows[0] as { cursor: string; created_at: Date; id: string };
const sample = (
  await bare.query(
    `select id from operation_runs where tenant_id = $1 order by created_at desc offset ${Math.floor((RUNS / TENANTS) * 0.43)} limit 1`,
    [tenant],
  )
).rows[0].id as string;
const weekFrom = new Date(Date.now() - 14 * 86_400_000).toISOString().slice(0, 10);
const weekTo = new Date(Date.now() - 8 * 86_400_000).toISOString().slice(0, 10);

const columns =
  "id, tenant_id, type, status, outcome, summary_counts, initiator_name, created_at, started_at, completed_at";
const page = (where: string) =>
  `select ${columns} from operation_runs where ${where} order by created_at desc, id desc limit 26`;
const cases: { name: string; ours: () => Promise<unknown>; sql: string; params: unknown[]; target: number }[] = [
  {
    name: "list, first page",
    ours: () => listRuns(db, { tenantIds: [tenant], filters: runFiltersSchema.parse({}) }),
    sql: page("tenant_id = $1"),
    params: [tenant],
    target: 50,
  },
  {
    name: `list, deep page (row ${Math.floor((RUNS / TENANTS) * 0.9).toLocaleString("en")} of the tenant)`,
    ours: () => listRuns(db, { tenantIds: [tenant], filters: runFiltersSchema.parse({ cursor: deep.cursor }) }),
    sql: page("tenant_id = $1 and (created_at, id) < ($2, $3)"),
    params: [tenant, deep.created_at, deep.id],
    target: 50,
  },
  {
    name: "filter status = running",
    ours: () => listRuns(db, { tenantIds: [tenant], filters: runFiltersSchema.parse({ status: "running" }) }),
    sql: page("tenant_id = $1 and status = 'running'"),
    params: [tenant],
    target: 50,
  },
  {
    name: "filter outcome = failed",
    ours: () => listRuns(db, { tenantIds: [tenant], filters: runFiltersSchema.parse({ outcome: "failed" }) }),
    sql: page("tenant_id = $1 and outcome = 'failed'"),
    params: [tenant],
    target: 50,
  },
  {
    name: "filter type",
    ours: () => listRuns(db, { tenantIds: [tenant], filters: runFiltersSchema.parse({ type: "inventory.sync" }) }),
    sql: page("tenant_id = $1 and type = 'inventory.sync'"),
    params: [tenant],
    target: 50,
  },
  {
    name: "filter initiator",
    ours: () => listRuns(db, { tenantIds: [tenant], filters: runFiltersSchema.parse({ initiator: owner }) }),
    sql: page("tenant_id = $1 and initiator_user_id = $2"),
    params: [tenant, owner],
    target: 50,
  },
  {
    name: "filter created range (7 days)",
    ours: () => listRuns(db, { tenantIds: [tenant], filters: runFiltersSchema.parse({ from: weekFrom, to: weekTo }) }),
    sql: page("tenant_id = $1 and created_at >= $2 and created_at < $3"),
    params: [tenant, new Date(`${weekFrom}T00:00:00Z`), new Date(Date.parse(`${weekTo}T00:00:00Z`) + 86_400_000)],
    target: 50,
  },
  {
    name: "search run id prefix",
    ours: () => listRuns(db, { tenantIds: [tenant], filters: runFiltersSchema.parse({ q: sample.slice(0, 8) }) }),
    sql: page("tenant_id = $1 and id >= $2 and id <= $3"),
    params: [
      tenant,
      `${sample.slice(0, 8)}-0000-0000-0000-000000000000`,
      `${sample.slice(0, 8)}-ffff-ffff-ffff-ffffffffffff`,
    ],
    target: 50,
  },
  {
    name: "status counts (chips)",
    ours: () => countRunsByStatus(db, { tenantIds: [tenant], filters: runFiltersSchema.parse({}) }),
    sql: `select (select count(*) from (select 1 from operation_runs where tenant_id = $1 and status = 'queued' limit 10001) a),
                 (select count(*) from (select 1 from operation_runs where tenant_id = $1 and status = 'running' limit 10001) b),
                 (select count(*) from (select 1 from operation_runs where tenant_id = $1 and status = 'completed' limit 10001) c)`,
    params: [tenant],
    target: 50,
  },
  {
    name: "all tenants, first page",
    ours: () => listRuns(db, { tenantIds: allTenants, filters: runFiltersSchema.parse({}) }),
    sql: page("tenant_id = any($1::uuid[])"),
    params: [allTenants],
    target: 50,
  },
  {
    name: "run detail",
    ours: () => getTenantRun(db, tenant, sample),
    sql: "select *, now() from operation_runs where id = $1 and tenant_id = $2",
    params: [sample, tenant],
    target: 50,
  },
  {
    name: "bell unread count (tenant owner)",
    ours: () => unreadCount(db, owner),
    sql: `select count(*) from (select 1 from notifications n where n.user_id = $1 and n.read_at is null
            and exists (select 1 from tenant_memberships m where m.user_id = n.user_id and m.tenant_id = n.tenant_id) order by n.created_at desc limit 100) capped`,
    params: [owner],
    target: 5,
  },
  {
    name: "bell unread count (member of all 100 tenants)",
    ours: () => unreadCount(db, everyone),
    sql: `select count(*) from (select 1 from notifications n where n.user_id = $1 and n.read_at is null
            and exists (select 1 from tenant_memberships m where m.user_id = n.user_id and m.tenant_id = n.tenant_id) order by n.created_at desc limit 100) capped`,
    params: [everyone],
    target: 5,
  },
];

async function time(fn: () => Promise<unknown>) {
  for (let i = 0; i < 20; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

const rows: (string | number)[][] = [];
const plans: string[] = [];
for (const c of cases) {
  const ours = await time(c.ours);
  const plain = await time(() => bare.query(c.sql, c.params));
  rows.push([
    c.name,
    ours.p50.toFixed(2),
    ours.p95.toFixed(2),
    plain.p95.toFixed(2),
    `${(ours.p95 / plain.p95).toFixed(2)}×`,
    `≤ ${c.target} ms`,
    ours.p95 <= c.target ? "yes" : "NO",
  ]);
  const plan = (await bare.query(`explain (costs off) ${c.sql}`, c.params)).rows.map((r) => r["QUERY PLAN"] as string);
  plans.push(`${c.name}:\n${plan.map((l) => `    ${l.length > 150 ? `${l.slice(0, 147)}...` : l}`).join("\n")}`);
}
table(
  `Monitoring queries at ${RUNS.toLocaleString("en")} runs / notifications (${ITERATIONS} calls each; ms; ${new Date().toISOString()})`,
  ["query", "p50", "p95", "bare SQL p95", "ratio", "target", "met"],
  rows,
);
console.log("\nPlans (EXPLAIN of the bare SQL):\n");
console.log(plans.join("\n"));

await bare.end();
await pool.end();
