import { randomInt } from "node:crypto";
import type pg from "pg";
import { createDb } from "@/db/client";
import { type Cluster, startCluster } from "@/e2e/support/cluster";
import type { Actor } from "@/lib/auth/actor";
import { createBoss } from "@/lib/operations/queue";
import { operations } from "@/lib/operations/registry";
import { type OperationDeps, startOperation } from "@/lib/operations/start";
import { sleep } from "@/lib/sleep";
import { table } from "./setup";

/**
 * BENCH=chaos (issue 11): RUNS runs of mixed types on a fleet of 3 workers (e2e/support/cluster.ts)
 * while a worker is SIGKILLed every 10 s (and a new one started, as a supervisor would) — for at
 * least BENCH_CHAOS_SECONDS and as long as runs are being started — and PostgreSQL is restarted once. Reports runs lost, runs stuck, duplicates, and the time from the
 * last fault to all runs terminal.
 */
const RUNS = Number(process.env.BENCH_CHAOS_RUNS ?? 1000);
const CHAOS_SECONDS = Number(process.env.BENCH_CHAOS_SECONDS ?? 60);
const KILL_EVERY_MS = 10_000;
/** Longest the fleet may take to settle after the last fault before a run counts as stuck. */
const SETTLE_MS = 5 * 60_000;
/** Per tenant: 50 policies give 1,225 different pairs to back up. */
const POLICIES = 50;
const SYNC_TYPES = ["tenant.verify", "directory_groups.sync", "inventory.sync", "rbac_roles.sync"];

const cluster = await startCluster({
  dataDir: ".data/bench-chaos",
  webPorts: [],
  workers: 3,
  policiesPerTenant: POLICIES,
});
try {
  await runChaos(cluster);
} finally {
  await cluster.stop();
}

async function runChaos(cluster: Cluster) {
  const { db, pool } = createDb(cluster.databaseUrl, { max: 4, application: "tenantatlas-bench" });
  const boss = createBoss(cluster.databaseUrl, "producer");
  await boss.start();
  const deps: OperationDeps = { db, boss, registry: operations };
  const { rows: users } = await pool.query<{ id: string; name: string }>("select id, name from users limit 1");
  const actor: Actor = { userId: users[0]!.id, name: users[0]!.name };
  const { rows: tenants } = await pool.query<{ id: string }>("select id from tenants order by id");

  // The inventories the backups choose from.
  const inventories = await Promise.all(
    tenants.map((t) => startOperation(deps, { actor, tenantId: t.id, type: "inventory.sync" })),
  );
  await waitUntil(
    async () =>
      (await notTerminal(
        pool,
        inventories.map((i) => i.run.id),
      )) === 0,
    120_000,
  );
  const pairs: { tenantId: string; policyIds: string[] }[] = [];
  for (const t of tenants) {
    const { rows } = await pool.query<{ id: string }>("select id from policies where tenant_id = $1 order by id", [
      t.id,
    ]);
    rows.forEach((a, i) => {
      for (const b of rows.slice(i + 1)) pairs.push({ tenantId: t.id, policyIds: [a.id, b.id] });
    });
  }

  // Faults, each on its own clock: a random worker SIGKILLed every 10 s while runs are being
  // started (a replacement starts in the background, as a supervisor would start one), and
  // PostgreSQL restarted once, when half the runs have been started.
  const chaosStart = Date.now();
  let lastFaultAt = chaosStart;
  let kills = 0;
  let starting = true;
  const replacements: Promise<unknown>[] = [];
  // Only workers that are up and taking jobs are killed (not a replacement still starting).
  const ready = new Set(cluster.workers);
  const killing = (async () => {
    while (starting || Date.now() - chaosStart < CHAOS_SECONDS * 1000) {
      await sleep(KILL_EVERY_MS);
      const candidates = [...ready];
      if (candidates.length === 0) continue;
      const victim = candidates[randomInt(candidates.length)]!;
      ready.delete(victim);
      await cluster.killWorker(victim);
      kills += 1;
      lastFaultAt = Date.now();
      replacements.push(
        cluster
          .startWorker()
          .then((worker) => ready.add(worker))
          .catch((err: Error) => console.error(`[chaos] a replacement worker did not start: ${err.message}`)),
      );
    }
  })();
  let restart: Promise<void> | undefined;
  const restartPostgresOnce = () => {
    restart ??= cluster.restartPostgres({ mode: "fast" }).then(() => {
      lastFaultAt = Date.now();
    });
  };

  // Starts, spread over most of the chaos window: mostly backups (each its own pair of policies),
  // and a sync of some type every tenth start (joined when one is already active: not counted).
  const runIds = new Set<string>();
  let joined = 0;
  let startErrors = 0;
  const startEveryMs = (CHAOS_SECONDS * 1000 * 0.8) / RUNS;
  for (let i = 0; runIds.size < RUNS; i++) {
    if (runIds.size >= RUNS / 2) restartPostgresOnce();
    const due = chaosStart + runIds.size * startEveryMs;
    if (Date.now() < due) await sleep(due - Date.now());
    const request =
      i % 10 === 9
        ? {
            tenantId: tenants[i % tenants.length]!.id,
            type: SYNC_TYPES[((i / 10) % SYNC_TYPES.length) | 0]!,
            inputs: {},
          }
        : { tenantId: pairs[i]!.tenantId, type: "backup_set.create", inputs: { policyIds: pairs[i]!.policyIds } };
    // While PostgreSQL is down a start fails; the operator tries again, as they would.
    for (;;) {
      try {
        const { run, created } = await startOperation(deps, { actor, ...request });
        if (created) runIds.add(run.id);
        else if (!runIds.has(run.id)) joined += 1;
        break;
      } catch {
        startErrors += 1;
        await sleep(500);
      }
    }
  }
  starting = false;
  console.log(
    `[chaos] ${RUNS} runs started in ${((Date.now() - chaosStart) / 1000).toFixed(0)} s; waiting for the last faults`,
  );
  await Promise.all([killing, restart, ...replacements]);
  const ids = [...runIds];
  console.log(
    `[chaos] faults over after ${((lastFaultAt - chaosStart) / 1000).toFixed(0)} s; waiting for every run to end`,
  );
  const settled = await waitUntil(async () => (await notTerminal(pool, ids)) === 0, SETTLE_MS);
  const settleMs = Date.now() - lastFaultAt;

  const query = async <R extends pg.QueryResultRow>(text: string) => (await pool.query<R>(text, [ids])).rows;
  const [found] = await query<{ found: number; stuck: number }>(
    `select count(*)::int as found, count(*) filter (where status <> 'completed')::int as stuck
       from operation_runs where id = any($1::uuid[])`,
  );
  const [dup] = await query<{ jobs: number; notifications: number; sets: number }>(
    `select
       (select count(*)::int from (select data->>'runId' from pgboss.job where data->>'runId' = any($1::text[])
          and state = 'completed' group by 1 having count(*) > 1) j) as jobs,
       (select count(*)::int from (select run_id from notifications where run_id = any($1::uuid[])
          and kind = 'run_completed' group by run_id, user_id having count(*) > 1) n) as notifications,
       (select count(*)::int from (select run_id from backup_sets where run_id = any($1::uuid[])
          and completed_at is not null group by run_id having count(*) > 1) b) as sets`,
  );
  const outcomes = await query<{ outcome: string; code: string | null; n: number }>(
    `select outcome::text, failures->-1->>'code' as code, count(*)::int as n from operation_runs
      where id = any($1::uuid[]) group by 1, 2 order by 3 desc`,
  );
  const [retried] = await query<{ n: number }>(
    "select count(*)::int as n from pgboss.job where data->>'runId' = any($1::text[]) and retry_count > 0",
  );

  table(
    `Chaos: ${RUNS} runs, a worker SIGKILLed every ${KILL_EVERY_MS / 1000} s while they start, PostgreSQL restarted once`,
    [
      "runs",
      "lost",
      "stuck",
      "duplicates (jobs / notifications / backup sets)",
      "last fault → all terminal",
      "kills",
      "retried jobs",
      "start retries",
    ],
    [
      [
        ids.length,
        ids.length - found!.found,
        found!.stuck,
        `${dup!.jobs} / ${dup!.notifications} / ${dup!.sets}`,
        settled ? `${(settleMs / 1000).toFixed(1)} s` : `not within ${SETTLE_MS / 1000} s`,
        kills,
        retried!.n,
        startErrors,
      ],
    ],
  );
  table(
    "Outcomes",
    ["outcome", "last failure", "runs"],
    outcomes.map((o) => [o.outcome, o.code ?? "", o.n]),
  );
  console.log(`\n(${joined} sync starts joined an active run and are not counted.)`);
  await boss.stop({ graceful: false });
  await pool.end();
}

async function notTerminal(pool: pg.Pool, ids: string[]) {
  const { rows } = await pool.query<{ n: number }>(
    "select count(*)::int as n from operation_runs where id = any($1) and status <> 'completed'",
    [ids],
  );
  return rows[0]!.n;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await sleep(1000);
  }
  return false;
}
