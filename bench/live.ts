import { performance } from "node:perf_hooks";
import pg from "pg";
import { createDb } from "@/db/client";
import { startCluster } from "@/e2e/support/cluster";
import { signInOverHttp } from "@/e2e/support/console-http";
import { hashPassword } from "@/lib/auth/password";
import { countsInPlace, parseRunEvent, type RunShown } from "@/lib/live/run-progress";
import { liveScopeFor, matchesScope, type RunChange, scopeQuery } from "@/lib/live/scope";
import { createBoss } from "@/lib/operations/queue";
import { operations } from "@/lib/operations/registry";
import { type OperationDeps, startOperation } from "@/lib/operations/start";
import { sleep } from "@/lib/sleep";
import { percentile, table, treeCpuSeconds } from "./setup";

/**
 * BENCH=live (issue 15 §3): VIEWERS simulated browsers hold the live stream on a mix of pages, and on
 * each event fetch what `router.refresh()` fetches (the page's RSC payload, at most once a second, as
 * components/live/live-updates.tsx does) — unless it is the run page's own run's progress, which the
 * browser shows in place (lib/live/run-progress.ts) — while an operator's inventory sync of POLICIES policies and
 * SHORT_RUNS one-policy backups run. The same work runs once with no viewer, for the web server's CPU
 * floor. The runs are started by a second member, so the viewers' bell stays quiet: what reaches
 * them is what their page shows of runs. Needs a production build (npm run build).
 */
const VIEWERS = Number(process.env.BENCH_LIVE_VIEWERS ?? 200);
const POLICIES = Number(process.env.BENCH_LIVE_POLICIES ?? 10_000);
const SHORT_RUNS = Number(process.env.BENCH_LIVE_SHORT_RUNS ?? 50);
const REFRESH_MS = 1_000;
/** BENCH_LIVE_IN_PLACE=0: run pages refresh for their run's progress too, as before progress in place. */
const IN_PLACE = process.env.BENCH_LIVE_IN_PLACE !== "0";

const cluster = await startCluster({
  dataDir: ".data/bench-live",
  webPorts: [Number(process.env.BENCH_LIVE_PORT ?? 3390)],
  workers: 1,
  tenants: 2,
  policiesPerTenant: POLICIES,
});
const { db, pool } = createDb(cluster.databaseUrl, { max: 6, application: "tenantatlas-bench" });
const boss = createBoss(cluster.databaseUrl, "producer");
await boss.start();
const deps: OperationDeps = { db, boss, registry: operations };

/** When this process heard each change of each run (a LISTEN like the web server's): the reference for latency. */
const heardAt = new Map<string, { at: number; change: RunChange }[]>();
const listener = new pg.Client({ connectionString: cluster.databaseUrl });
listener.on("error", () => {});
await listener.connect();
listener.on("notification", (msg) => {
  const change = JSON.parse(msg.payload!) as RunChange;
  heardAt.set(change.id, [...(heardAt.get(change.id) ?? []), { at: performance.now(), change }]);
});
await listener.query("LISTEN tenantatlas_runs");

type ViewerStats = { page: string; events: number; inPlace: number; refreshes: number; latencies: number[] };

/** What a run page rendered of its run besides the counts, as a render reads it (the browser keeps it). */
async function shownOf(runId: string): Promise<RunShown | undefined> {
  const { rows } = await pool.query<RunShown>(
    `select status, outcome, jsonb_array_length(failures) as "failureCount",
       cancel_requested_at is not null as "cancelRequested" from operation_runs where id = $1`,
    [runId],
  );
  return rows[0];
}

/** One browser tab: the stream of its page's scope, and a throttled refresh per event. */
function openViewer(path: string, cookie: string, signal: AbortSignal): ViewerStats {
  const stats: ViewerStats = {
    page: path.replace(/[0-9a-f-]{36}/g, ":id"),
    events: 0,
    inPlace: 0,
    refreshes: 0,
    latencies: [],
  };
  const url = new URL(path, cluster.url);
  const scope = liveScopeFor(url.pathname, url.searchParams);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = 0;
  const toldAt = new Map<string, number>();
  const runPage = scope.kind === "run" ? scope.runId : undefined;
  let shown: RunShown | undefined;
  const refresh = () => {
    if (timer) return;
    timer = setTimeout(
      async () => {
        last = performance.now();
        stats.refreshes += 1;
        try {
          const page = await fetch(url, { headers: { cookie, rsc: "1" }, signal });
          await page.arrayBuffer();
          if (runPage) shown = await shownOf(runPage);
        } catch {
          // the bench is ending
        }
        timer = undefined;
      },
      Math.max(0, last + REFRESH_MS - performance.now()),
    );
  };
  void (async () => {
    // The page was rendered before its stream opened.
    if (runPage) shown = await shownOf(runPage);
    const stream = await fetch(new URL(`/api/live?${scopeQuery(scope)}`, cluster.url), { headers: { cookie }, signal });
    const decoder = new TextDecoder();
    let buffer = "";
    const reader = stream.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (\w+)/m.exec(block)?.[1];
        if (event !== "run" && event !== "notification") continue;
        stats.events += 1;
        if (event === "run") {
          const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as {
            id: string;
            status: string;
            outcome: string;
            counts?: unknown;
          };
          const { id } = data;
          // Against the oldest change of the run, in the state told, this viewer had not yet been told of
          // (the state too: when this process hears a change after the viewer, the viewer's next event
          // must not be timed from it).
          const now = performance.now();
          const since = toldAt.get(id) ?? Number.NEGATIVE_INFINITY;
          const heard = (heardAt.get(id) ?? []).find(
            (h) =>
              h.at > since &&
              matchesScope(scope, h.change) &&
              h.change.status === data.status &&
              h.change.outcome === data.outcome &&
              // Progress events look alike but for their counts: timed from the change that carried them.
              (data.counts === undefined || JSON.stringify(h.change.counts) === JSON.stringify(data.counts)),
          );
          if (heard) stats.latencies.push(now - heard.at);
          toldAt.set(id, now);
          const run = parseRunEvent(data);
          if (IN_PLACE && runPage && run && countsInPlace(shown, run)) {
            stats.inPlace += 1;
            continue;
          }
        }
        refresh();
      }
    }
  })().catch(() => {});
  return stats;
}

try {
  const { rows: tenants } = await pool.query<{ id: string }>("select id from tenants order by display_name");
  const [busy, other] = [tenants[0]!.id, tenants[1]!.id];
  // The operator who starts the work: a member of both tenants, not the viewers' user.
  const { rows: operator } = await pool.query<{ id: string; name: string }>(
    "insert into users (email, name, password_hash) values ('operator@bench.test', 'Bench Operator', $1) returning id, name",
    [await hashPassword("operator-password")],
  );
  const actor = { userId: operator[0]!.id, name: operator[0]!.name };
  for (const tenantId of [busy, other])
    await pool.query("insert into tenant_memberships (user_id, tenant_id, role) values ($1, $2, 'operator')", [
      actor.userId,
      tenantId,
    ]);
  const cookie = await signInOverHttp(cluster.url, cluster.demo.email, cluster.demo.password);

  const untilDone = async (ids: string[]) => {
    for (;;) {
      const { rows } = await pool.query<{ n: number }>(
        "select count(*)::int as n from operation_runs where id = any($1) and status <> 'completed'",
        [ids],
      );
      if (rows[0]!.n === 0) return;
      await sleep(250);
    }
  };
  const inventory = async (tenantId: string) =>
    (await startOperation(deps, { actor, tenantId, type: "inventory.sync" })).run.id;

  console.log(`\nLive fan-out: ${POLICIES.toLocaleString("en")} policies, ${VIEWERS} viewers…`);
  // The policies exist first (the first sync creates them; the measured ones read them unchanged).
  await untilDone([await inventory(busy), await inventory(other)]);
  const { rows: policies } = await pool.query<{ id: string }>(
    "select id from policies where tenant_id = $1 order by id limit $2",
    [other, SHORT_RUNS * 2],
  );

  /** The measured work: one big sync and SHORT_RUNS small backups on the other tenant, spaced out. */
  let round = 0;
  async function work(onSyncStarted: (runId: string) => void) {
    const sync = await inventory(busy);
    onSyncStarted(sync);
    const started = [sync];
    for (let i = 0; i < SHORT_RUNS; i++) {
      const policyId = policies[(round * SHORT_RUNS + i) % policies.length]!.id;
      const { run } = await startOperation(deps, {
        actor,
        tenantId: other,
        type: "backup_set.create",
        inputs: { policyIds: [policyId] },
      });
      started.push(run.id);
      await sleep(100);
    }
    round += 1;
    const t0 = performance.now();
    await untilDone(started);
    return { seconds: (performance.now() - t0) / 1000, syncId: sync };
  }

  const web = cluster.webs[0]!.pid;
  const cpu0 = treeCpuSeconds(web);
  const w0 = performance.now();
  await work(() => {});
  const floorSeconds = (performance.now() - w0) / 1000;
  const floorCpu = treeCpuSeconds(web) - cpu0;

  const stop = new AbortController();
  const viewers: ViewerStats[] = [];
  // Viewers of the sync's own page come when it starts; the others are there before the work.
  const share = (fraction: number) => Math.round(VIEWERS * fraction);
  const runPageViewers = share(0.2);
  const otherPages = [
    ...Array(share(0.2)).fill(`/t/${busy}/operations`),
    ...Array(share(0.15)).fill(`/t/${busy}`),
    ...Array(share(0.15)).fill(`/t/${busy}/policies`),
    ...Array(share(0.1)).fill(`/t/${busy}/members`),
    ...Array(share(0.1)).fill(`/t/${other}/backups`),
    ...Array(share(0.1)).fill("/"),
  ];
  for (const path of otherPages) viewers.push(openViewer(path, cookie, stop.signal));
  await sleep(3_000); // streams open
  const cpu1 = treeCpuSeconds(web);
  const w1 = performance.now();
  await work((syncId) => {
    for (let i = 0; i < runPageViewers; i++)
      viewers.push(openViewer(`/t/${busy}/operations/${syncId}`, cookie, stop.signal));
  });
  const loadSeconds = (performance.now() - w1) / 1000;
  const loadCpu = treeCpuSeconds(web) - cpu1;
  await sleep(REFRESH_MS * 2); // the last throttled refreshes
  stop.abort();

  const byPage = new Map<string, ViewerStats[]>();
  for (const v of viewers) byPage.set(v.page, [...(byPage.get(v.page) ?? []), v]);
  table(
    `Live fan-out per page (${VIEWERS} viewers, ${loadSeconds.toFixed(1)} s of work, progress in place ${IN_PLACE ? "on" : "off"}; ${new Date().toISOString()})`,
    [
      "page",
      "viewers",
      "events / viewer",
      "in place / viewer",
      "refreshes / viewer / s",
      "change → event p50 (ms)",
      "p95 (ms)",
    ],
    [...byPage].map(([page, vs]) => {
      const latencies = vs.flatMap((v) => v.latencies);
      return [
        page,
        vs.length,
        (vs.reduce((n, v) => n + v.events, 0) / vs.length).toFixed(1),
        (vs.reduce((n, v) => n + v.inPlace, 0) / vs.length).toFixed(1),
        (vs.reduce((n, v) => n + v.refreshes, 0) / vs.length / loadSeconds).toFixed(2),
        latencies.length ? percentile(latencies, 50).toFixed(0) : "—",
        latencies.length ? percentile(latencies, 95).toFixed(0) : "—",
      ];
    }),
  );
  const all = viewers.flatMap((v) => v.latencies);
  const floorRate = floorCpu / floorSeconds;
  const loadRate = loadCpu / loadSeconds;
  table(
    "Web server CPU during the same work",
    ["viewers", "work seconds", "CPU seconds", "CPU share", "vs 0 viewers", "target", "change → event p95 (ms)"],
    [
      [0, floorSeconds.toFixed(1), floorCpu.toFixed(1), `${(floorRate * 100).toFixed(0)} %`, "1.0×", "", "—"],
      [
        VIEWERS,
        loadSeconds.toFixed(1),
        loadCpu.toFixed(1),
        `${(loadRate * 100).toFixed(0)} %`,
        // An idle server can measure 0.0 s (CPU is read in 10 ms ticks): no ratio to that.
        floorRate > 0 ? `${(loadRate / floorRate).toFixed(1)}×` : "— (idle: 0.0 s)",
        "≤ 2×, p95 ≤ 1,000 ms",
        all.length ? percentile(all, 95).toFixed(0) : "—",
      ],
    ],
  );
} finally {
  await listener.end().catch(() => {});
  await boss.stop({ graceful: false });
  await pool.end();
  await cluster.stop();
}
