import { type APIRequestContext, expect, request, test } from "@playwright/test";
import pg from "pg";
import { type ActionForm, actionForm } from "./support/action-form";
import { type Cluster, startCluster } from "./support/cluster";

/**
 * Issue 11 §4: a fleet — 2 web servers from one build and 3 worker processes on one PostgreSQL,
 * behind a round-robin proxy. 300 runs are started through the web servers' server actions (the
 * policies page's "Back up selected", one policy each, so every run has its own identity and none
 * is merged into another), one worker is SIGKILLed while they run, and every run must end exactly
 * once, on some worker, with one terminal notification.
 */
const RUNS = 300;
const POLICIES = 26;
const WEB_PORTS = [3316, 3317];
/** Parallel form posts: enough to keep three workers busy, few enough for a 2-core machine. */
const POSTS_AT_ONCE = 8;

test.describe.configure({ timeout: 300_000 });

let cluster: Cluster;
let db: pg.Client;
let api: APIRequestContext;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  cluster = await startCluster({
    dataDir: ".data/e2e-fleet",
    webPorts: WEB_PORTS,
    workers: 3,
    // Enough policies for 300 different pairs (C(26, 2) = 325), few enough for a quick inventory sync.
    policiesPerTenant: POLICIES,
    // pg-boss's floor for the heartbeat, and a supervision pass every 2 s: the killed worker's
    // jobs are failed over within 12 s instead of 30 s (lib/env.ts, queueTiming).
    env: { JOB_HEARTBEAT_SECONDS: "10", JOB_SUPERVISE_SECONDS: "2" },
  });
  db = new pg.Client({ connectionString: cluster.databaseUrl });
  await db.connect();
  api = await request.newContext({ baseURL: cluster.url });
});

test.afterAll(async () => {
  await api?.dispose();
  await db?.end();
  await cluster?.stop();
});

test("2 web servers and 3 workers: 300 runs through server actions, a worker SIGKILLed, every run ends once", async () => {
  await signIn(api, cluster.demo);
  const tenantId = await firstTenantId(api);

  // The inventory the backups choose from, started with the tenant page's "Sync inventory".
  const tenantPage = await html(api, `/t/${tenantId}`);
  const inventoryRun = await submit(api, `/t/${tenantId}`, actionForm(tenantPage, ">Sync inventory<"));
  await expect.poll(() => runStatus(inventoryRun), { timeout: 120_000 }).toBe("completed");
  const policyIds = (
    await db.query<{ id: string }>("select id from policies where tenant_id = $1 order by id", [tenantId])
  ).rows.map((r) => r.id);
  // The emulator spreads POLICIES over the types, and every tenant has its enrollment defaults too.
  expect(policyIds.length).toBeGreaterThanOrEqual(POLICIES);
  // Each run backs up its own pair of policies: a selection is the backup's identity, so no two
  // runs are "the same run" and none joins another.
  const selections = policyIds.flatMap((a, i) => policyIds.slice(i + 1).map((b) => [a, b])).slice(0, RUNS);

  // Intune answers slowly (0.1 s a read), so the workers still hold runs when one of them is killed.
  await cluster.injectFault({ route: "GET *", delayMs: 100 });

  // One form, as a web server rendered it; every post goes to the next web server in turn.
  const backupForm = actionForm(await html(api, `/t/${tenantId}/policies`), "Back up selected");
  const postsBefore = new Map(WEB_PORTS.map((port) => [port, cluster.proxy.servedByMethod.get(`POST ${port}`) ?? 0]));
  const victim = cluster.workers[0]!;
  let killedAfter = -1;
  let killedAt = 0;
  const postingFrom = Date.now();
  const runIds: string[] = [];
  for (let i = 0; i < RUNS; i += POSTS_AT_ONCE) {
    const batch = selections.slice(i, i + POSTS_AT_ONCE);
    runIds.push(...(await Promise.all(batch.map((pair) => submit(api, `/t/${tenantId}/policies`, backupForm, pair)))));
    // Midway, once the victim has finished some runs and is working on others: SIGKILL.
    if (killedAfter < 0 && runIds.length >= RUNS / 2 && (await completedBy(victim.pid)) > 0) {
      await cluster.killWorker(victim);
      killedAfter = runIds.length;
      killedAt = Date.now();
    }
  }
  const postedIn = Date.now() - postingFrom;
  expect(killedAfter, "the victim worker completed runs before the kill").toBeGreaterThan(0);
  expect(new Set(runIds).size).toBe(RUNS);

  // Server actions worked on both web servers (one build, one set of keys).
  for (const port of WEB_PORTS) {
    const posts = (cluster.proxy.servedByMethod.get(`POST ${port}`) ?? 0) - postsBefore.get(port)!;
    expect(posts, `server actions answered by the web server on ${port}`).toBeGreaterThanOrEqual(RUNS / 2 - 1);
  }

  // Every run terminal within a generous bound (a lost job waits for its missed heartbeat, 10 s,
  // the next supervision pass, 2 s, and its retry delay).
  await expect
    .poll(
      async () =>
        (
          await db.query<{ n: number }>(
            "select count(*)::int as n from operation_runs where id = any($1) and status <> 'completed'",
            [runIds],
          )
        ).rows[0]!.n,
      { timeout: 150_000, intervals: [1_000] },
    )
    .toBe(0);
  const terminalAfterKill = Date.now() - killedAt;

  const runs = await db.query<{ id: string; outcome: string; identity: string }>(
    "select id, outcome, run_identity_hash as identity from operation_runs where id = any($1)",
    [runIds],
  );
  expect(runs.rows).toHaveLength(RUNS);
  expect(new Set(runs.rows.map((r) => r.identity)).size).toBe(RUNS);
  expect(runs.rows.filter((r) => r.outcome !== "succeeded")).toEqual([]);

  // Each run's job completed exactly once, and no job of these runs is left to run.
  const jobs = await db.query<{ runId: string; state: string; retries: number; pid: number | null }>(
    `select data->>'runId' as "runId", state::text, retry_count as retries, (output->>'pid')::int as pid
       from pgboss.job where name = 'backup_set.create' and data->>'runId' = any($1)`,
    [runIds],
  );
  expect(jobs.rows).toHaveLength(RUNS);
  expect(jobs.rows.filter((j) => j.state !== "completed")).toEqual([]);
  // The kill landed on runs in flight: their jobs were taken again after the missed heartbeat.
  expect(jobs.rows.filter((j) => j.retries > 0).length, "jobs retried after the SIGKILL").toBeGreaterThan(0);

  // Every worker took jobs, the killed one included (pg-boss keeps each job's receipt as output).
  const pids = new Set(jobs.rows.map((j) => j.pid));
  for (const worker of cluster.workers) expect(pids, `${worker.name} completed jobs`).toContain(worker.pid);
  const perWorker = cluster.workers.map((w) => `${w.name} ${jobs.rows.filter((j) => j.pid === w.pid).length}`);
  console.log(
    `[fleet] ${RUNS} runs posted in ${(postedIn / 1000).toFixed(1)} s; ${victim.name} SIGKILLed after ${killedAfter} posts; ` +
      `all terminal ${(terminalAfterKill / 1000).toFixed(1)} s after the kill; ` +
      `${jobs.rows.filter((j) => j.retries > 0).length} jobs retried; completed by ${perWorker.join(", ")}`,
  );

  // One completed backup set per run: an attempt cut short by the kill never completes its set.
  const sets = await db.query<{ runId: string; n: number }>(
    `select run_id as "runId", count(*)::int as n from backup_sets
      where run_id = any($1) and completed_at is not null group by run_id`,
    [runIds],
  );
  expect(sets.rows).toHaveLength(RUNS);
  expect(sets.rows.filter((s) => s.n !== 1)).toEqual([]);

  // The README's connection budget holds: per web server DB_POOL_MAX + 4 (pg-boss producer) + 1
  // (LISTEN) + 1 (database probe), per worker 2 × WORKER_CONCURRENCY + 5 (workers/connection-budget.ts); defaults 10 and 4.
  const connections = await db.query<{ app: string; n: number }>(
    `select application_name as app, count(*)::int as n from pg_stat_activity
      where datname = current_database() and application_name like 'tenantatlas%' group by 1 order by 1`,
  );
  const byApp = Object.fromEntries(connections.rows.map((r) => [r.app, r.n]));
  const web = ["tenantatlas", "tenantatlas-producer", "tenantatlas-live", "tenantatlas-probe"].reduce(
    (sum, app) => sum + (byApp[app] ?? 0),
    0,
  );
  expect(web, JSON.stringify(byApp)).toBeLessThanOrEqual(WEB_PORTS.length * (10 + 4 + 1 + 1));
  expect(byApp["tenantatlas-worker"] ?? 0, JSON.stringify(byApp)).toBeLessThanOrEqual(
    cluster.liveWorkers().length * (2 * 4 + 5),
  );
  console.log(`[fleet] connections by application: ${JSON.stringify(byApp)}`);

  // One terminal notification per run, none duplicated.
  const notified = await db.query<{ runId: string; n: number }>(
    `select run_id as "runId", count(*)::int as n from notifications
      where run_id = any($1) and kind = 'run_completed' group by run_id`,
    [runIds],
  );
  expect(notified.rows).toHaveLength(RUNS);
  expect(notified.rows.filter((r) => r.n !== 1)).toEqual([]);
});

async function signIn(context: APIRequestContext, demo: { email: string; password: string }) {
  const { csrfToken } = (await (await context.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const answer = await context.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: demo.email, password: demo.password, json: "true" },
  });
  expect(answer.ok()).toBe(true);
}

async function html(context: APIRequestContext, path: string) {
  const answer = await context.get(path);
  expect(answer.status(), `GET ${path}`).toBe(200);
  return answer.text();
}

async function firstTenantId(context: APIRequestContext) {
  const id = /\/t\/([0-9a-f-]{36})/.exec(await html(context, "/tenants"))?.[1];
  expect(id).toBeTruthy();
  return id!;
}

/**
 * Posts a server action's form as a browser without JavaScript would; the action answers with a
 * redirect to the run it started (not to an equal run that was already active). Returns its id.
 */
async function submit(context: APIRequestContext, path: string, form: ActionForm, policyIds: string[] = []) {
  const body = new FormData();
  for (const [name, value] of Object.entries(form)) body.append(name, value);
  if (policyIds.length > 0) body.append("mode", "selected");
  for (const id of policyIds) body.append("policyId", id);
  // A browser sends its origin with a form post; Next.js checks it against the host.
  const answer = await context.post(path, { multipart: body, maxRedirects: 0, headers: { origin: cluster.url } });
  const location = answer.headers().location ?? "";
  expect(answer.status(), `POST ${path}: ${location || (await answer.text()).slice(0, 300)}`).toBe(303);
  const run = /\/operations\/([0-9a-f-]{36})$/.exec(location);
  expect(run, `a new run, not a joined one: ${location}`).toBeTruthy();
  return run![1]!;
}

async function runStatus(runId: string) {
  return (await db.query<{ status: string }>("select status from operation_runs where id = $1", [runId])).rows[0]
    ?.status;
}

/** Jobs the process with this pid has completed so far. */
async function completedBy(pid: number) {
  const { rows } = await db.query<{ n: number }>(
    "select count(*)::int as n from pgboss.job where state = 'completed' and (output->>'pid')::int = $1",
    [pid],
  );
  return rows[0]!.n;
}
