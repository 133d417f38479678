import { performance } from "node:perf_hooks";
import pg from "pg";
import { createDb } from "@/db/client";
import { auditCsvStream } from "@/lib/audit/export";
import { type AuditScope, auditFiltersSchema, listAuditEvents } from "@/lib/audit/queries";
import { operations } from "@/lib/operations/registry";
import { freshDatabase, percentile, table } from "./setup";

/**
 * The audit pages at 1,000,000 events: 100 tenants, events spread back over 90 days (one every
 * 7.8 s), 1 % of them sign-ins with no tenant. The list queries a page makes, p50/p95 over
 * BENCH_ITERATIONS calls each; the goal is p95 ≤ 50 ms. Plus one tenant's whole CSV export.
 */
const EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
const TENANTS = 100;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 100);
const ACTIONS = [
  "run.start",
  "run.start",
  "run.start",
  "run.cancel",
  "run.rerun",
  "tenant.update",
  "member.role_change",
];

const url = await freshDatabase("tenantatlas_bench_audit", operations);
const bare = new pg.Pool({ connectionString: url, max: 2 });
const { db, pool } = createDb(url, { max: 4, statementTimeoutMs: 0 });

console.log(`\nSeeding ${EVENTS.toLocaleString("en")} audit events across ${TENANTS} tenants…`);
const seedStart = performance.now();
const tenantId = (n: string) => `('10000000-0000-4000-8000-' || lpad((${n})::text, 12, '0'))::uuid`;
const userId = (n: string) => `('00000000-0000-4000-8000-' || lpad((${n})::text, 12, '0'))::uuid`;
await bare.query(`
  insert into users (id, email, name)
  select ${userId("g")}, 'user' || g || '@bench.test', 'User ' || g from generate_series(0, ${TENANTS}) g;
  insert into tenants (id, tenant_guid, display_name, client_id, client_secret_enc)
  select ${tenantId("g")}, gen_random_uuid(), 'Tenant ' || g, gen_random_uuid(), 'v1.x.y.z'
  from generate_series(1, ${TENANTS}) g;
  -- user g owns tenant g; user 0 operates every tenant
  insert into tenant_memberships (user_id, tenant_id, role)
  select ${userId("g")}, ${tenantId("g")}, 'owner'::membership_role from generate_series(1, ${TENANTS}) g
  union all
  select ${userId("0")}, ${tenantId("g")}, 'operator'::membership_role from generate_series(1, ${TENANTS}) g;
  insert into audit_events (occurred_at, actor_kind, actor_user_id, actor_name, tenant_id, action, target_type, target_id, outcome, client_address)
  select now() - g * interval '7.776 seconds', 'user', ${userId("u")}, 'User ' || u,
         case when g % 100 = 0 then null else ${tenantId("1 + g % " + TENANTS)} end,
         case when g % 100 = 0 then 'auth.sign_in' else (array['${ACTIONS.join("','")}'])[1 + (g / 7) % ${ACTIONS.length}] end,
         'run', gen_random_uuid()::text, 'success', '198.51.100.' || (g % 250)
  from generate_series(1, ${EVENTS}) g, lateral (select case when g % 3 = 0 then 0 else 1 + g % ${TENANTS} end as u) x;
`);
await bare.query("vacuum analyze audit_events");
console.log(`Seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s.`);

const tenant = "10000000-0000-4000-8000-000000000050";
const owner = "00000000-0000-4000-8000-000000000050";
const everyone = "00000000-0000-4000-8000-000000000000";
const allTenants = Array.from(
  { length: TENANTS },
  (_, i) => `10000000-0000-4000-8000-${String(i + 1).padStart(12, "0")}`,
);
const tenantScope: AuditScope = { tenantId: tenant };
const filters = (raw: object) => auditFiltersSchema.parse(raw);
// A cursor 40 pages (of 50) deep into the tenant's events.
const deep = (await listAuditEvents(db, { scope: tenantScope, filters: {}, pageSize: 2000 })).nextCursor!;
const acrossDeep = (
  await listAuditEvents(db, { scope: { userId: everyone, tenantIds: allTenants }, filters: {}, pageSize: 2000 })
).nextCursor!;
const day = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);

// The floor: one page of one tenant's index range through a bare driver, no ORM, no merging.
const floorQuery = `select * from audit_events where tenant_id = $1 order by occurred_at desc, id desc limit 51`;
const cases: { name: string; call: () => Promise<unknown> }[] = [
  { name: "floor: bare one-tenant page", call: () => bare.query(floorQuery, [tenant]) },
  { name: "tenant, first page", call: () => listAuditEvents(db, { scope: tenantScope, filters: {} }) },
  {
    name: "tenant, 40 pages deep",
    call: () => listAuditEvents(db, { scope: tenantScope, filters: filters({ cursor: deep }) }),
  },
  {
    name: "tenant, actor filter",
    call: () => listAuditEvents(db, { scope: tenantScope, filters: filters({ actor: "User 0" }) }),
  },
  {
    name: "tenant, action family (member)",
    call: () => listAuditEvents(db, { scope: tenantScope, filters: filters({ action: "member" }) }),
  },
  {
    name: "tenant, one day 30 days ago",
    call: () => listAuditEvents(db, { scope: tenantScope, filters: filters({ from: day, to: day }) }),
  },
  {
    name: "tenant, rare action (none match)",
    call: () => listAuditEvents(db, { scope: tenantScope, filters: filters({ action: "tenant.remove" }) }),
  },
  {
    name: "tenant, rare actor (none match)",
    call: () => listAuditEvents(db, { scope: tenantScope, filters: filters({ actor: "Nobody" }) }),
  },
  {
    name: "across, owner of 1 tenant",
    call: () => listAuditEvents(db, { scope: { userId: owner, tenantIds: [tenant] }, filters: {} }),
  },
  {
    name: "across, operator of 100 tenants",
    call: () => listAuditEvents(db, { scope: { userId: everyone, tenantIds: allTenants }, filters: {} }),
  },
  {
    name: "across 100 tenants, rare action (none match)",
    call: () =>
      listAuditEvents(db, {
        scope: { userId: everyone, tenantIds: allTenants },
        filters: filters({ action: "tenant.remove" }),
      }),
  },
  {
    name: "across, owner of 1 tenant, action family (run)",
    call: () =>
      listAuditEvents(db, { scope: { userId: owner, tenantIds: [tenant] }, filters: filters({ action: "run" }) }),
  },
  {
    name: "across 100 tenants, 40 pages deep",
    call: () =>
      listAuditEvents(db, {
        scope: { userId: everyone, tenantIds: allTenants },
        filters: filters({ cursor: acrossDeep }),
      }),
  },
  {
    name: "across 100 tenants, action family (run)",
    call: () =>
      listAuditEvents(db, { scope: { userId: everyone, tenantIds: allTenants }, filters: filters({ action: "run" }) }),
  },
];

for (const c of cases) for (let i = 0; i < 10; i++) await c.call();
const samples = cases.map(() => [] as number[]);
for (let round = 0; round < ITERATIONS; round++) {
  for (const [i, c] of cases.entries()) {
    const t0 = performance.now();
    await c.call();
    samples[i]!.push(performance.now() - t0);
  }
}
table(
  `Audit list queries at ${EVENTS.toLocaleString("en")} events (${ITERATIONS} calls each, ms)`,
  ["query", "p50", "p95", "p95 / floor", "≤ 50 ms"],
  cases.map((c, i) => [
    c.name,
    percentile(samples[i]!, 50).toFixed(1),
    percentile(samples[i]!, 95).toFixed(1),
    `${(percentile(samples[i]!, 95) / percentile(samples[0]!, 95)).toFixed(1)}×`,
    percentile(samples[i]!, 95) <= 50 ? "yes" : "NO",
  ]),
);

const exportStart = performance.now();
let bytes = 0;
const reader = auditCsvStream(db, { scope: tenantScope, filters: {} }).getReader();
for (let read = await reader.read(); !read.done; read = await reader.read()) bytes += read.value.byteLength;
console.log(
  `\nCSV export of one tenant (${(EVENTS / TENANTS).toLocaleString("en")} events): ${(bytes / 1e6).toFixed(1)} MB in ${((performance.now() - exportStart) / 1000).toFixed(2)} s.`,
);

await bare.end();
await pool.end();
