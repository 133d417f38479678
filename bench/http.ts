import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { startCluster } from "@/e2e/support/cluster";
import { builtActions, callAction, signInOverHttp } from "@/e2e/support/console-http";
import { hashPassword } from "@/lib/auth/password";
import { seededIds, seedRunsAndNotifications } from "./seed-runs";
import { percentile, table, treeCpuSeconds } from "./setup";

/**
 * BENCH=http (issue 15 §1–2): the console's pages over HTTP, CONNECTIONS signed-in connections from
 * autocannon against one production web server (`next start`) whose database holds RUNS runs (and as
 * many notifications) over 100 tenants (bench/seed-runs.ts). Each page is measured beside its floor
 * in the same run: /internal/floor checks the session as every page does and renders one line. The
 * start surface (the generic start action, each POST a distinct backup run, → redirect) is measured
 * beside the floor action (the same session check, → redirect). No worker runs: started runs stay
 * queued. Needs a production build (npm run build).
 */
const RUNS = Number(process.env.BENCH_HTTP_RUNS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 50);
const PORT = Number(process.env.BENCH_HTTP_PORT ?? 3353);
/** A directory: the web server writes a V8 CPU profile there when it stops (node --cpu-prof). */
const PROFILE = process.env.BENCH_HTTP_PROFILE;
/** Node flags for the server (e.g. --max-semi-space-size=32), to compare runtime settings. */
const NODE_FLAGS = process.env.BENCH_HTTP_NODE_OPTIONS ?? "";
/** Set: PostgreSQL runs pg_stat_statements, and each page's costliest statements are printed after it. */
const STATEMENTS = Boolean(process.env.BENCH_HTTP_STATEMENTS);
/** A directory: each page's HTML, as the load saw it, is written there once (to see what a page is made of). */
const DUMP = process.env.BENCH_HTTP_DUMP;
/** Comma-separated parts of page names to measure (and "start" for the start surface); all when unset. */
const ONLY = process.env.BENCH_HTTP_ONLY?.split(",");
const TENANTS = 100;
const PASSWORD = "bench-http-password";

type Load = {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  bytes: number;
  errors: number;
  cpuMs: number;
  dbCpuMs: number;
};

const nodeOptions = [PROFILE ? `--cpu-prof --cpu-prof-dir=${path.resolve(PROFILE)}` : "", NODE_FLAGS].join(" ").trim();
const cluster = await startCluster({
  dataDir: ".data/bench-http",
  webPorts: [PORT],
  workers: 0,
  tenants: 1,
  env: nodeOptions ? { NODE_OPTIONS: nodeOptions } : {},
  postgresSettings: STATEMENTS ? { shared_preload_libraries: "pg_stat_statements" } : {},
});
// The web server itself, not the cluster's proxy (which runs in this process and would share its CPU).
const base = `http://127.0.0.1:${PORT}`;
const web = cluster.webs[0]!.pid;
const bare = new pg.Pool({ connectionString: cluster.databaseUrl, max: 2 });

/** CONNECTIONS connections for SECONDS against one request shape (after a short warm-up). */
async function load(
  options: Omit<autocannon.Options, "url" | "connections" | "duration"> & { path: string; redirects?: boolean },
) {
  const { path, redirects = false, ...rest } = options;
  const url = `${base}${path}`;
  await autocannon({ url, connections: 4, duration: 1, ...rest });
  const latencies: number[] = [];
  if (STATEMENTS) await bare.query("select pg_stat_statements_reset()");
  const cpu0 = treeCpuSeconds(web);
  const dbCpu0 = treeCpuSeconds(cluster.postgresPid());
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections: CONNECTIONS, duration: SECONDS, ...rest }, (err, done) =>
      err ? reject(err) : resolve(done),
    );
    instance.on("response", (_client, _status, _bytes, ms) => latencies.push(ms));
  });
  const cpu = treeCpuSeconds(web) - cpu0;
  const dbCpu = treeCpuSeconds(cluster.postgresPid()) - dbCpu0;
  if (STATEMENTS) await printStatements(path, result.requests.total);
  const answered = result.requests.total;
  return {
    rps: answered / SECONDS,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    bytes: answered ? result.throughput.total / answered : 0,
    // A page answers 200; an action's redirect is a 303. Anything else is an error.
    errors:
      result.errors + result.timeouts + result["1xx"] + result["4xx"] + result["5xx"] + (redirects ? 0 : result["3xx"]),
    cpuMs: answered ? (cpu * 1000) / answered : 0,
    dbCpuMs: answered ? (dbCpu * 1000) / answered : 0,
  } satisfies Load;
}

/** The statements that cost the database most during a load, per answer (pg_stat_statements). */
async function printStatements(page: string, answers: number) {
  const { rows } = await bare.query<{ calls: string; ms: number; query: string }>(
    `select calls, total_exec_time as ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) as query
     from pg_stat_statements where query not like '%pg_stat_statements%' order by total_exec_time desc limit 10`,
  );
  const per = (x: number) => (answers ? x / answers : 0).toFixed(2);
  table(
    `Statements behind ${page} (${answers} answers)`,
    ["calls / answer", "ms / answer", "statement"],
    rows.map((r) => [per(Number(r.calls)), per(r.ms), r.query.replaceAll("|", "\\|")]),
  );
}

const ms = (x: number) => x.toFixed(0);
function row(name: string, measured: Load, floor: Load, goal?: number): (string | number)[] {
  const ratio = measured.rps / floor.rps;
  const met = goal === undefined ? "" : ratio >= goal && measured.p95 <= 150 ? "met" : "not met";
  return [
    name,
    measured.rps.toFixed(0),
    ms(measured.p50),
    ms(measured.p95),
    ms(measured.p99),
    `${ratio.toFixed(2)}× (of ${floor.rps.toFixed(0)})`,
    goal === undefined ? "p95 ≤ 150 ms" : `≥ ${goal}×, p95 ≤ 150 ms ${met}`,
    (measured.bytes / 1024).toFixed(1),
    measured.cpuMs.toFixed(1),
    measured.dbCpuMs.toFixed(1),
    measured.errors,
  ];
}
const header = [
  "page",
  "req/s",
  "p50 (ms)",
  "p95 (ms)",
  "p99 (ms)",
  "× floor",
  "goal",
  "KiB / answer",
  "server CPU ms / answer",
  "database CPU ms / answer",
  "errors",
];

/** §2: the start surface. Each POST starts a distinct run (a backup of its own policy id). */
async function startSurface(tenant: string, ownerCookie: string) {
  const actions = builtActions();
  const action = (key: string) => {
    const found = actions.get(key);
    if (!found) throw new Error(`no server action ${key} in the build`);
    return found.id;
  };
  const floorId = action("lib/internal/floor-actions.ts#floorAction");
  const startId = action("lib/operations/actions.ts#startOperationAction");
  const startForm = (n: number) => {
    const form = new FormData();
    form.set("type", "backup_set.create");
    form.set("inputs", JSON.stringify({ policyIds: [`bench-http-${n}`] }));
    return form;
  };
  const tried = await callAction(base, {
    id: startId,
    pathname: `/t/${tenant}`,
    args: [tenant, undefined, startForm(-1)],
    cookie: ownerCookie,
  });
  if (!tried.location.includes("/operations/")) throw new Error(`the start answered ${tried.status} ${tried.location}`);
  const floorTried = await callAction(base, {
    id: floorId,
    pathname: "/internal/floor",
    args: [],
    cookie: ownerCookie,
  });
  if (!floorTried.location.includes("/internal/floor"))
    throw new Error(`the floor action answered ${floorTried.status} ${floorTried.location}`);

  // React's own encoding of each call, as the browser sends it (a multipart body per FormData).
  const { encodeReply } = createRequire(import.meta.url)(
    "next/dist/compiled/react-server-dom-turbopack/client.node.js",
  ) as { encodeReply: (args: unknown[]) => Promise<string | FormData> };
  const bodies: { body: Buffer; type: string }[] = [];
  const starts = Math.ceil(SECONDS * 400 + 1_000); // more than the start can take: every POST is a new run
  for (let n = 0; n < starts; n++) {
    const request = new Request(base, {
      method: "POST",
      body: (await encodeReply([tenant, undefined, startForm(n)])) as FormData,
    });
    bodies.push({ body: Buffer.from(await request.arrayBuffer()), type: request.headers.get("content-type")! });
  }
  const actionHeaders = (id: string) => ({
    accept: "text/x-component",
    "next-action": id,
    origin: base,
    cookie: ownerCookie,
  });
  let next = 0;
  const { rows: before } = await bare.query<{ n: number }>("select count(*)::int as n from operation_runs");
  const startLoad = await load({
    path: `/t/${tenant}`,
    method: "POST",
    redirects: true,
    requests: [
      {
        setupRequest: (request) => {
          const { body, type } = bodies[next++ % bodies.length]!;
          return { ...request, body, headers: { ...actionHeaders(startId), "content-type": type } };
        },
      },
    ],
  });
  const { rows: after } = await bare.query<{ n: number }>("select count(*)::int as n from operation_runs");
  const floorActionLoad = await load({
    path: "/internal/floor",
    method: "POST",
    redirects: true,
    body: "[]",
    headers: { ...actionHeaders(floorId), "content-type": "text/plain;charset=UTF-8" },
  });
  table(
    `Start surface over HTTP (${CONNECTIONS} clients, ${SECONDS} s each; ${next.toLocaleString("en")} starts sent, ${(after[0]!.n - before[0]!.n).toLocaleString("en")} runs made; load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")})`,
    header.map((h) => (h === "page" ? "action" : h)),
    [
      row("floor: session check → redirect", floorActionLoad, floorActionLoad),
      row("start a backup → redirect to its run", startLoad, floorActionLoad, 0.5),
    ],
  );
}

try {
  await seedRunsAndNotifications(bare, { runs: RUNS, tenants: TENANTS });
  if (STATEMENTS) await bare.query("create extension if not exists pg_stat_statements");
  const { tenant, owner, everyone } = seededIds(TENANTS);
  await bare.query("update users set password_hash = $1 where id = any($2::uuid[])", [
    await hashPassword(PASSWORD),
    [owner, everyone],
  ]);
  const emailOf = async (id: string) =>
    (await bare.query<{ email: string }>("select email from users where id = $1", [id])).rows[0]!.email;
  const ownerCookie = await signInOverHttp(base, await emailOf(owner), PASSWORD);
  const everyoneCookie = await signInOverHttp(base, await emailOf(everyone), PASSWORD);
  const { rows: sample } = await bare.query<{ id: string }>(
    `select id from operation_runs where tenant_id = $1 order by created_at desc offset ${Math.floor((RUNS / TENANTS) * 0.43)} limit 1`,
    [tenant],
  );

  const pages: { name: string; path: string; cookie: string; goal?: number }[] = [
    { name: "runs list, one tenant (owner)", path: `/t/${tenant}/operations`, cookie: ownerCookie, goal: 0.5 },
    // The seed gives each tenant one outcome (both follow the run's number mod 100): filter by type.
    {
      name: "runs list, one tenant, type = inventory.sync",
      path: `/t/${tenant}/operations?type=inventory.sync`,
      cookie: ownerCookie,
      goal: 0.5,
    },
    { name: "runs list, all 100 tenants (member of 100)", path: "/operations", cookie: everyoneCookie, goal: 0.5 },
    {
      name: "runs list, all 100 tenants, outcome = failed",
      path: "/operations?outcome=failed",
      cookie: everyoneCookie,
      goal: 0.5,
    },
    { name: "run page", path: `/t/${tenant}/operations/${sample[0]!.id}`, cookie: ownerCookie, goal: 0.5 },
    { name: "tenant overview (owner)", path: `/t/${tenant}`, cookie: ownerCookie, goal: 0.33 },
    { name: "tenant overview (member of 100)", path: `/t/${tenant}`, cookie: everyoneCookie, goal: 0.33 },
    { name: "notifications (owner)", path: "/notifications", cookie: ownerCookie },
    { name: "fleet overview (member of 100)", path: "/", cookie: everyoneCookie },
  ];

  console.log(
    `\nPages over HTTP: ${CONNECTIONS} connections, ${SECONDS} s per page, load ${loadavg()[0]!.toFixed(1)}…`,
  );
  // The floor is measured again just before each page and each page is compared with its own: the
  // machine's load drifts over a run of several minutes, and one floor at the start drifted with it.
  const floorLoad = () => load({ path: "/internal/floor", headers: { cookie: ownerCookie } });
  const floor = await floorLoad();
  const measured: { name: string; load: Load; floor: Load; goal?: number }[] = [];
  for (const page of pages.filter((p) => !ONLY || ONLY.some((o) => p.name.includes(o)))) {
    const answer = await fetch(`${base}${page.path}`, { headers: { cookie: page.cookie }, redirect: "manual" });
    if (answer.status !== 200) throw new Error(`${page.path} answered ${answer.status}`);
    const html = await answer.text();
    if (DUMP) {
      mkdirSync(DUMP, { recursive: true });
      writeFileSync(path.join(DUMP, `${page.name.replace(/[^a-z0-9]+/gi, "-")}.html`), html);
    }
    const pageFloor = measured.length === 0 ? floor : await floorLoad();
    measured.push({
      ...page,
      floor: pageFloor,
      load: await load({ path: page.path, headers: { cookie: page.cookie } }),
    });
  }
  table(
    `Pages over HTTP at ${RUNS.toLocaleString("en")} runs (${CONNECTIONS} connections, ${SECONDS} s each; ${new Date().toISOString()}; load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")})`,
    header,
    [row("floor: /internal/floor (first)", floor, floor), ...measured.map((m) => row(m.name, m.load, m.floor, m.goal))],
  );

  if (!ONLY || ONLY.includes("start")) await startSurface(tenant, ownerCookie);
} finally {
  await bare.end();
  await cluster.stop();
}
