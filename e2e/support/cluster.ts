import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { ensureDatabase, freePort, type RunningPostgres, startEmbeddedPostgres } from "../../db/embedded";
import type { FaultRule } from "../../emulator/faults";
import { createHttpFetch } from "../../lib/graph/transport";
import { WORKER_NODE_FLAGS } from "../../workers/node-flags";
import { type ManagedProcess, startManagedProcess } from "./managed-process";
import { type RoundRobinProxy, startRoundRobinProxy } from "./round-robin-proxy";

/**
 * A fleet on one machine, as a deployment runs it: one PostgreSQL, the Graph emulator, N web
 * servers (`next start`, all from the ONE build in .next, with the same keys) and M worker
 * processes (`workers/main.ts`), behind a round-robin proxy in the calling process. Controls kill
 * and restart workers, stop web servers and restart PostgreSQL, so tests and benchmarks can inject
 * faults into real parts. Free of Playwright: the chaos benchmark (tsx) uses it too.
 *
 * Needs a production build (`npm run build`) in the repository first.
 */
export type ClusterOptions = {
  /** Fresh every start: everything under it is removed first. */
  dataDir: string;
  /** Ports of the web servers (one each). */
  webPorts: number[];
  workers: number;
  /** Port of the proxy (default: any free one). */
  proxyPort?: number;
  /** Demo tenants seeded and emulated (default 2). */
  tenants?: number;
  /** Emulator size per tenant (defaults: 200 groups, 320 policies). */
  groupsPerTenant?: number;
  policiesPerTenant?: number;
  demoPassword?: string;
  /** Extra PostgreSQL server settings (e.g. a benchmark's `shared_preload_libraries`). */
  postgresSettings?: Record<string, string>;
  /** Extra environment for every web server and worker (e.g. WORKER_CONCURRENCY). */
  env?: Record<string, string>;
};

export type Cluster = {
  /** The proxy's URL: what a browser or load balancer client talks to. */
  url: string;
  databaseUrl: string;
  graphUrl: string;
  graphCaFile: string;
  demo: { email: string; password: string };
  /** The environment every web server and worker got (one build, one set of keys). */
  env: Record<string, string>;
  proxy: RoundRobinProxy;
  /** Index i is web server i (a stopped one stays until started again). */
  webs: ManagedProcess[];
  /** Every worker process ever started, in start order; `liveWorkers()` are those still running. */
  workers: ManagedProcess[];
  liveWorkers(): ManagedProcess[];
  startWorker(): Promise<ManagedProcess>;
  /** SIGKILL (default): no drain, no hand-back — as when a machine dies. Resolves once it is gone. */
  killWorker(worker: ManagedProcess, signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM: what a deploy sends; resolves once it has exited. */
  stopWeb(index: number): Promise<void>;
  startWeb(index: number): Promise<void>;
  /**
   * PostgreSQL down and up again on the same port: "fast" is `pg_ctl restart -m fast` (clients are
   * disconnected), "kill" SIGKILLs the postmaster (crash recovery on start). `downMs` keeps it
   * down that long before starting it again.
   */
  restartPostgres(options?: { mode?: "fast" | "kill"; downMs?: number }): Promise<void>;
  /** The postmaster's pid (its children are the database's backends), for CPU measured from /proc. */
  postgresPid(): number;
  /** Makes the Graph emulator misbehave on a route (emulator/faults.ts); `clearFaults` ends it. */
  injectFault(rule: FaultRule): Promise<void>;
  clearFaults(): Promise<void>;
  stop(): Promise<void>;
};

const ROOT = path.resolve(import.meta.dirname, "../..");
const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);
const DEMO_EMAIL = "demo@tenantatlas.local";
const EMULATOR_SEED = 1;

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) throw new Error("No production build: run `npm run build`.");
  const dataDir = path.resolve(ROOT, options.dataDir);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const logFile = (name: string) => path.join(dataDir, `${name}.log`);
  const tenants = options.tenants ?? 2;
  const demo = { email: DEMO_EMAIL, password: options.demoPassword ?? "fleet-demo-password" };
  const started: ManagedProcess[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    for (const step of cleanups.reverse()) await step().catch((err) => console.error("[cluster] stop:", err));
  };

  try {
    const postgresDir = path.join(dataDir, "postgres");
    const postgresPort = await freePort();
    let postgres: RunningPostgres = await startEmbeddedPostgres(postgresDir, postgresPort, options.postgresSettings);
    cleanups.push(() => postgres.stop());
    await ensureDatabase(postgres.url("postgres"), "tenantatlas");
    const databaseUrl = postgres.url("tenantatlas");

    const emulator = startManagedProcess({
      name: "emulator",
      command: bin("tsx"),
      args: ["emulator/main.ts"],
      cwd: ROOT,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        EMULATOR_SEED: String(EMULATOR_SEED),
        EMULATOR_PORT: String(await freePort()),
        EMULATOR_TENANTS: String(tenants),
        EMULATOR_GROUPS: String(options.groupsPerTenant ?? 200),
        EMULATOR_POLICIES: String(options.policiesPerTenant ?? 518),
      },
      logFile: logFile("emulator"),
    });
    cleanups.push(() => emulator.stop("SIGTERM", 5_000));
    await emulator.waitFor(/listening on \S+ \(trust .+\)/);
    const [, graphUrl, graphCaFile] = /listening on (\S+) \(trust (.+)\)/.exec(emulator.output())!;
    const emulatorFetch = createHttpFetch(graphCaFile);

    const env: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      // Server action ids come from the build; the key that seals their bound arguments must be shared.
      NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      GRAPH_URL: graphUrl!,
      LOGIN_URL: graphUrl!,
      GRAPH_CA_FILE: graphCaFile!,
      NODE_EXTRA_CA_CERTS: graphCaFile!,
      ...options.env,
    };

    // A deploy's migration step, then the demo seed.
    const migrate = startManagedProcess({
      name: "migrate",
      command: bin("tsx"),
      args: ["--conditions=react-server", "scripts/migrate.ts"],
      cwd: ROOT,
      env: { ...process.env, ...env },
      logFile: logFile("migrate"),
    });
    await migrate.waitFor(/database is up to date/);
    const seed = startManagedProcess({
      name: "seed",
      command: bin("tsx"),
      args: ["--conditions=react-server", "e2e/support/cluster-seed.ts"],
      cwd: ROOT,
      env: {
        ...process.env,
        ...env,
        DEMO_PASSWORD: demo.password,
        EMULATOR_SEED: String(EMULATOR_SEED),
        CLUSTER_TENANTS: String(tenants),
      },
      logFile: logFile("seed"),
    });
    await seed.waitFor(/cluster seeded/);

    const webs: ManagedProcess[] = [];
    const proxy = await startRoundRobinProxy({
      port: options.proxyPort,
      backends: () => options.webPorts.filter((_, i) => webs[i] && !webs[i]!.exited()),
    });
    cleanups.push(() => proxy.close());
    env.NEXTAUTH_URL = proxy.url;
    const processEnv = { ...process.env, ...env };

    const launchWeb = async (index: number) => {
      const port = options.webPorts[index]!;
      const web = startManagedProcess({
        name: `web-${index}`,
        command: bin("next"),
        args: ["start", "-p", String(port), "-H", "127.0.0.1"],
        cwd: ROOT,
        env: { ...processEnv, PORT: String(port) },
        logFile: logFile(`web-${index}`),
      });
      webs[index] = web;
      started.push(web);
      await waitForHealth(`http://127.0.0.1:${port}/api/health`, web);
    };

    const workers: ManagedProcess[] = [];
    const startWorker = async () => {
      const worker = startManagedProcess({
        name: `worker-${workers.length}`,
        command: process.execPath,
        // tsx as a loader, not its CLI (which would run the worker in a child of its own): the pid
        // signalled is the worker's.
        args: [...WORKER_NODE_FLAGS, "--import", "tsx", "--conditions=react-server", "workers/main.ts"],
        cwd: ROOT,
        env: processEnv,
        logFile: logFile(`worker-${workers.length}`),
      });
      workers.push(worker);
      started.push(worker);
      await worker.waitFor(/worker\]? ready/); // "[worker] ready" or a structured "worker ready"
      return worker;
    };
    cleanups.push(async () => {
      await Promise.all(started.map((p) => p.stop("SIGTERM", 30_000)));
    });

    await Promise.all([
      ...options.webPorts.map((_, i) => launchWeb(i)),
      ...Array.from({ length: options.workers }, () => startWorker()),
    ]);

    return {
      url: proxy.url,
      databaseUrl,
      graphUrl: graphUrl!,
      graphCaFile: graphCaFile!,
      demo,
      env,
      proxy,
      webs,
      workers,
      liveWorkers: () => workers.filter((w) => !w.exited()),
      startWorker,
      killWorker: (worker, signal = "SIGKILL") => worker.stop(signal, 5_000),
      stopWeb: (index) => webs[index]!.stop("SIGTERM", 30_000),
      startWeb: (index) => launchWeb(index),
      postgresPid: () => postmasterPid(postgresDir),
      async restartPostgres({ mode = "fast", downMs = 0 } = {}) {
        if (mode === "fast") await postgres.stop();
        else await killPostmaster(postgresDir);
        if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
        postgres = await startPostgresAgain(postgresDir, postgresPort, options.postgresSettings);
      },
      async injectFault(rule) {
        await emulatorFetch(`${graphUrl}/_emulator/faults`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(rule),
        });
      },
      async clearFaults() {
        await emulatorFetch(`${graphUrl}/_emulator/faults`, { method: "DELETE" });
      },
      stop: cleanUp,
    };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}

async function waitForHealth(url: string, web: ManagedProcess) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (web.exited()) throw new Error(`${web.name} exited during start-up:\n${web.output().slice(-2000)}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${web.name} was not healthy within 120 s:\n${web.output().slice(-2000)}`);
}

/** SIGKILL to the postmaster, as when the database host's process dies; waits until it is gone. */
async function killPostmaster(postgresDir: string) {
  const pid = postmasterPid(postgresDir);
  process.kill(pid, "SIGKILL");
  while (isAlive(pid)) await new Promise((r) => setTimeout(r, 50));
}

/**
 * After a killed postmaster its backends take a moment to notice and exit; until they have, a new
 * postmaster refuses the shared memory they still hold. Retry for up to 30 s.
 */
async function startPostgresAgain(
  postgresDir: string,
  port: number,
  settings?: Record<string, string>,
): Promise<RunningPostgres> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await startEmbeddedPostgres(postgresDir, port, settings);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function postmasterPid(postgresDir: string): number {
  return Number(readFileSync(path.join(postgresDir, "postmaster.pid"), "utf8").split("\n")[0]);
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
