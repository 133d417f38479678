import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import pg from "pg";
import { createDb } from "@/db/client";
import { listCachedGroups } from "@/lib/directory/groups";
import { assignmentsForGroup, assignmentsOfPolicy, searchGroupsByPrefix } from "@/lib/explorer/queries";
import { readExplorerView } from "@/lib/explorer/view";
import { operations } from "@/lib/operations/registry";
import { freshDatabase, percentile, table } from "./setup";

/**
 * The assignment explorer at 10,000 policies and 50,000 groups in one tenant (issue 14 §2). Groups
 * nest as a 5-ary tree (depth 6), every tenth group also sits in a second, random earlier group,
 * and 50 leaves contain the root (loops). Policies: a sixth each assigned to all users and to all
 * devices, half to a group (two thirds of those also exclude one), a sixth none, with filters on a third. The
 * queries a page makes, p50/p95 over BENCH_ITERATIONS calls; the goal is p95 ≤ 50 ms, beside a
 * bare-driver floor measured in the same run.
 */
const POLICIES = Number(process.env.BENCH_EXPLORER_POLICIES ?? 10_000);
const GROUPS = Number(process.env.BENCH_EXPLORER_GROUPS ?? 50_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 100);

const url = await freshDatabase("tenantatlas_bench_explorer", operations);
const bare = new pg.Pool({ connectionString: url, max: 2 });
const { db, pool } = createDb(url, { max: 4, statementTimeoutMs: 0 });

const tenantId = "10000000-0000-4000-8000-000000000001";
const userId = "00000000-0000-4000-8000-000000000001";
const groupId = (n: string) => `('20000000-0000-4000-8000-' || lpad((${n})::text, 12, '0'))::uuid`;
const policyId = (n: string) => `('30000000-0000-4000-8000-' || lpad((${n})::text, 12, '0'))::uuid`;
const gid = (n: number) => `20000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

console.log(`\nSeeding ${POLICIES.toLocaleString("en")} policies and ${GROUPS.toLocaleString("en")} nested groups…`);
const seedStart = performance.now();
await bare.query(`
  insert into users (id, email, name) values ('${userId}', 'viewer@bench.test', 'Viewer');
  insert into tenants (id, tenant_guid, display_name, client_id, client_secret_enc)
  values ('${tenantId}', gen_random_uuid(), 'Bench tenant', gen_random_uuid(), 'v1.x.y.z');
  insert into tenant_memberships (user_id, tenant_id, role) values ('${userId}', '${tenantId}', 'viewer');
  insert into entra_groups (tenant_id, id, display_name)
  select '${tenantId}'::uuid, ${groupId("g")}, 'Group ' || lpad(g::text, 5, '0') from generate_series(0, ${GROUPS - 1}) g;
  insert into group_member_groups (tenant_id, group_id, member_group_id)
  select '${tenantId}'::uuid, ${groupId("(g - 1) / 5")}, ${groupId("g")} from generate_series(1, ${GROUPS - 1}) g
  union
  select '${tenantId}'::uuid, ${groupId("(g::bigint * 2654435761) % g")}, ${groupId("g")}
  from generate_series(10, ${GROUPS - 1}, 10) g
  union
  select '${tenantId}'::uuid, ${groupId(`${GROUPS} - 1 - g * 97`)}, ${groupId("0")} from generate_series(0, 49) g;
  insert into policies (tenant_id, id, family, name, platform, odata_type, assigned, content, content_hash, versions)
  select '${tenantId}'::uuid, ${policyId("p")}, (array['device_configuration','compliance','settings_catalog'])[1 + p % 3]::policy_family,
    'Policy ' || lpad(p::text, 5, '0'), 'Windows', '#microsoft.graph.x', p % 6 <> 5,
    '{"roleScopeTagIds":["0"]}'::jsonb, md5(p::text), 1
  from generate_series(0, ${POLICIES - 1}) p;
  insert into policy_assignment_targets (tenant_id, policy_id, position, policy_name, family, platform, kind, odata_type, group_id, filter_id, filter_type)
  select '${tenantId}'::uuid, ${policyId("p")}, 0, 'Policy ' || lpad(p::text, 5, '0'), 'compliance', 'Windows',
    (case p % 6 when 0 then 'all_users' when 1 then 'all_devices' else 'group' end)::assignment_target_kind,
    '#microsoft.graph.x',
    case when p % 6 >= 2 and p % 6 < 5 then ${groupId(`(p::bigint * 7919) % ${GROUPS}`)} end,
    case when p % 3 = 0 then gen_random_uuid()::text end, case when p % 3 = 0 then 'include' end
  from generate_series(0, ${POLICIES - 1}) p where p % 6 <> 5
  union all
  select '${tenantId}'::uuid, ${policyId("p")}, 1, 'Policy ' || lpad(p::text, 5, '0'), 'compliance', 'Windows',
    'exclusion_group', '#microsoft.graph.x',
    ${groupId(`(p::bigint * 104729) % ${GROUPS}`)}, null, null
  from generate_series(0, ${POLICIES - 1}) p where p % 6 in (2, 3);
`);
await bare.query("vacuum analyze entra_groups, group_member_groups, policies, policy_assignment_targets");
console.log(`Seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s.`);

// A deep leaf (6 levels up to the root, more through second parents and the loops), a mid-level group and the root.
const leaf = gid(GROUPS - 1);
const mid = gid(40);
const root = gid(0);

const policy = "30000000-0000-4000-8000-000000000002";
const ancestors = await bare.query(
  `with recursive up(g, path) as (select $1::uuid, array[$1::uuid] union all
   select m.group_id, up.path || m.group_id from up join group_member_groups m on m.tenant_id = $2 and m.member_group_id = up.g
   where cardinality(up.path) <= 10 and not m.group_id = any(up.path)) select count(*)::int as paths, count(distinct g)::int as groups from up`,
  [leaf, tenantId],
);
console.log(
  `The deep leaf: ${ancestors.rows[0].groups} containing groups over ${ancestors.rows[0].paths} paths (loops included).`,
);

/** The obvious route, measured beside the breadth-first walk: every path up, then each group by its shortest. */
const recursiveCte = (g: string) => sql`
  with recursive up(group_id, path) as (
    select ${g}::uuid, array[${g}::uuid]
    union all
    select m.group_id, up.path || m.group_id
    from up join group_member_groups m on m.tenant_id = ${tenantId}::uuid and m.member_group_id = up.group_id
    where cardinality(up.path) <= 10 and not m.group_id = any(up.path)
  ), reach as (select distinct on (group_id) group_id, path from up order by group_id, cardinality(path))
  select t.policy_id, t.policy_name, t.group_id, reach.path::text[] as path
  from reach join policy_assignment_targets t on t.tenant_id = ${tenantId}::uuid and t.group_id = reach.group_id
    and t.kind in ('group', 'exclusion_group')
  order by t.policy_name, t.policy_id, t.position limit 501`;

// The floor: one indexed lookup of a group's assignment rows through a bare driver.
const floorQuery = `select * from policy_assignment_targets where tenant_id = $1 and group_id = $2`;
const cases: { name: string; call: () => Promise<unknown> }[] = [
  { name: "floor: bare assignments of one group", call: () => bare.query(floorQuery, [tenantId, leaf]) },
  {
    name: "group view, deep leaf (page: 200 rows)",
    call: () => assignmentsForGroup(db, { tenantId, groupId: leaf, limit: 200 }),
  },
  { name: "group view, mid-level group", call: () => assignmentsForGroup(db, { tenantId, groupId: mid, limit: 200 }) },
  {
    name: "group view, root (in 50 loops)",
    call: () => assignmentsForGroup(db, { tenantId, groupId: root, limit: 200 }),
  },
  {
    name: "group view, deep leaf, every row (export)",
    call: () => assignmentsForGroup(db, { tenantId, groupId: leaf, limit: 100_000 }),
  },
  {
    name: "(path-carrying recursive CTE, mid-level group: for comparison)",
    call: () => db.execute(recursiveCte(mid)),
  },
  { name: "policy view", call: () => assignmentsOfPolicy(db, { tenantId, policyId: policy }) },
  {
    name: "explorer group search, prefix “group 1” (11,111 match)",
    call: () => searchGroupsByPrefix(db, { tenantId, q: "group 1" }),
  },
  {
    name: "explorer group search, prefix “group 4999”",
    call: () => searchGroupsByPrefix(db, { tenantId, q: "group 4999" }),
  },
  {
    name: "(groups page search, infix “group 4999”: for comparison)",
    call: () => listCachedGroups(db, { tenantId, q: "group 4999", pageSize: 25 }),
  },
  {
    name: "whole page read (access + search + leaf group view)",
    call: () => readExplorerView(db, { userId, tenantId, selection: { group: leaf, q: "group 4999" }, limit: 200 }),
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
  `Explorer queries at ${POLICIES.toLocaleString("en")} policies and ${GROUPS.toLocaleString("en")} groups (${ITERATIONS} calls each, ms)`,
  ["query", "p50", "p95", "p95 / floor", "≤ 50 ms"],
  cases.map((c, i) => [
    c.name,
    percentile(samples[i]!, 50).toFixed(1),
    percentile(samples[i]!, 95).toFixed(1),
    `${(percentile(samples[i]!, 95) / percentile(samples[0]!, 95)).toFixed(1)}×`,
    percentile(samples[i]!, 95) <= 50 ? "yes" : "NO",
  ]),
);

await bare.end();
await pool.end();
