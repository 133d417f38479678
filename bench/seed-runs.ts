import { performance } from "node:perf_hooks";
import type pg from "pg";

/**
 * The monitoring benchmarks' data: `tenants` tenants (ids 10000000-…-<n>), user n owning tenant n and
 * user 0 a viewer of all; `runs` runs spread back from now 7.776 s apart (1,000,000 span 90 days;
 * 85 % succeeded, 8 % failed, 5 % partial, 2 % cancelled; the newest 400 active) and one
 * notification per run (3/8 unread; `notifications: false` for none). Live-update triggers are off
 * while it loads.
 */
export async function seedRunsAndNotifications(
  bare: pg.Pool,
  { runs, tenants, notifications = true }: { runs: number; tenants: number; notifications?: boolean },
) {
  console.log(
    `\nSeeding ${runs.toLocaleString("en")} runs${notifications ? " and notifications" : ""} across ${tenants} tenants…`,
  );
  const seedStart = performance.now();
  await bare.query(`
    insert into users (id, email, name)
    select ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'user' || g || '@bench.test', 'User ' || g
    from generate_series(0, ${tenants}) g;
    insert into tenants (id, tenant_guid, display_name, client_id, client_secret_enc)
    select ('10000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, gen_random_uuid(), 'Tenant ' || g, gen_random_uuid(), 'v1.x.y.z'
    from generate_series(1, ${tenants}) g;
    -- user g owns tenant g; user 0 is a viewer of every tenant
    insert into tenant_memberships (user_id, tenant_id, role)
    select ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, ('10000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'owner'::membership_role
    from generate_series(1, ${tenants}) g
    union all
    select '00000000-0000-4000-8000-000000000000', ('10000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'viewer'::membership_role
    from generate_series(1, ${tenants}) g;
    alter table operation_runs disable trigger operation_runs_announce;
    alter table notifications disable trigger notifications_announce;
  `);
  await bare.query(`
    insert into operation_runs (tenant_id, type, status, outcome, run_identity_hash, inputs, summary_counts, initiator_user_id, initiator_name, job_id, attempt, created_at, started_at, completed_at)
    select t, (array['tenant.verify','inventory.sync','backup_set.create'])[1 + g % 3],
           s, case when s <> 'completed' then 'pending'
                   when g % 100 < 85 then 'succeeded' when g % 100 < 93 then 'failed'
                   when g % 100 < 98 then 'partially_succeeded' else 'cancelled' end::run_outcome,
           md5(g::text), '{}', '{"total": 10, "processed": 10}', u, 'User', null, 1, c, c + interval '1 second',
           case when s = 'completed' then c + interval '5 seconds' end
    from generate_series(1, ${runs}) g,
    lateral (select ('10000000-0000-4000-8000-' || lpad((1 + g % ${tenants})::text, 12, '0'))::uuid as t,
                    case when (g / ${tenants}) % 2 = 0 then ('00000000-0000-4000-8000-' || lpad((1 + g % ${tenants})::text, 12, '0'))::uuid
                         else '00000000-0000-4000-8000-000000000000'::uuid end as u,
                    now() - (g * interval '7.776 seconds') as c,
                    (case when g <= 200 then 'running' when g <= 400 then 'queued' else 'completed' end)::run_status as s) x;
  `);
  await bare.query(`
    insert into notifications (user_id, tenant_id, run_id, kind, outcome, title, body, read_at, created_at)
    select initiator_user_id, tenant_id, id, 'run_completed', outcome, 'Run finished', 'Tenant', case when (hashtext(id::text) & 7) < 5 then created_at end, created_at
    from operation_runs where ${notifications};
    alter table operation_runs enable trigger operation_runs_announce;
    alter table notifications enable trigger notifications_announce;
  `);
  await bare.query("vacuum analyze operation_runs");
  await bare.query("vacuum analyze notifications");
  console.log(`Seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s.`);
}

/** The seeded ids the benchmarks measure with: tenant 50 and its owner, the viewer of all, every tenant. */
export function seededIds(tenants: number) {
  const tenantId = (n: number) => `10000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  return {
    tenant: tenantId(50),
    owner: "00000000-0000-4000-8000-000000000050",
    everyone: "00000000-0000-4000-8000-000000000000",
    allTenants: Array.from({ length: tenants }, (_, i) => tenantId(i + 1)),
  };
}
