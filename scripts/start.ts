import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startEnv } from "@/lib/env";
import { WORKER_NODE_FLAGS } from "@/workers/node-flags";
import { startBanner } from "./banner";
import { lineFormatter } from "./log-format";
import { prepareStack } from "./stack";
import { supervise } from "./supervise";

/**
 * `npm start` (production server) and `npm run dev` (next dev): the whole console on one command.
 * Ctrl-C stops the web server and worker first (letting active jobs finish), then the emulator and
 * the embedded database, so the data is left consistent.
 */
const dev = process.argv.includes("--dev");
const { PORT: port, HOST: host, DATA_DIR, WORKER_DRAIN_SECONDS } = startEnv();
const dataDir = path.resolve(DATA_DIR);
const bin = (name: string) => path.resolve("node_modules", ".bin", name);

const log = (msg: string) => console.log(`[tenantatlas] ${msg}`);

log(`preparing (data in ${path.relative(process.cwd(), dataDir) || "."})…`);
const stack = await prepareStack({ dataDir, port });
const childEnv = {
  ...process.env,
  ...stack.env,
  PORT: String(port),
  // The web server (production under `npm start`) and the worker must agree on where alerts may go.
  ALERT_ALLOW_LOCALHOST: process.env.ALERT_ALLOW_LOCALHOST ?? String(dev),
};

if (!dev && !existsSync(path.resolve(".next", "BUILD_ID"))) {
  log("no production build yet: running next build…");
  await runToEnd(bin("next"), ["build"], childEnv);
}

let stopping = false;

// The web server's and worker's output also goes to <data>/console.log (the e2e suite scans it for tokens).
const consoleLog = createWriteStream(path.join(dataDir, "console.log"), { flags: "a" });

// The children log JSON lines; the terminal gets them formatted, console.log keeps them as written.
function launch(command: string, args: string[]) {
  const child = spawn(command, args, { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  const pretty = { out: lineFormatter({ colorize: !!process.stdout.isTTY }), err: lineFormatter({ colorize: false }) };
  child.stdout!.setEncoding("utf8");
  child.stderr!.setEncoding("utf8");
  child.stdout!.on("data", (chunk: string) => {
    process.stdout.write(pretty.out(chunk));
    consoleLog.write(chunk);
  });
  child.stderr!.on("data", (chunk: string) => {
    process.stderr.write(pretty.err(chunk));
    consoleLog.write(chunk);
  });
  return child;
}

// Without the web server there is no console: its unexpected exit stops everything.
const web = launch(bin("next"), [dev ? "dev" : "start", "-p", String(port), "-H", host]);
web.on("exit", (code, signal) => {
  if (stopping) return;
  console.error(`[tenantatlas] web server exited unexpectedly (${signal ?? code}); stopping.`);
  void shutdown(1);
});
// A worker that dies is started again; its runs are retried or reaped, the web server and database stay up.
const worker = supervise({
  name: "worker",
  spawn: () => launch(bin("tsx"), [...WORKER_NODE_FLAGS, "--conditions=react-server", "workers/main.ts"]),
  log,
});

const url = `http://localhost:${port}`;
await waitForHealth(`${url}/api/health`);
// Where this instance is, for `npm run worker` in another terminal and for the e2e tests.
const runtimeFile = path.join(dataDir, "runtime.json");
writeFileSync(
  runtimeFile,
  JSON.stringify(
    { url, databaseUrl: stack.env.DATABASE_URL, graphUrl: stack.env.GRAPH_URL, graphCaFile: stack.env.GRAPH_CA_FILE },
    null,
    2,
  ),
  { mode: 0o600 },
);
console.log(startBanner({ url, demo: stack.demo, emulatorUrl: stack.emulator?.url }));

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void shutdown(0));

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  log("stopping web server and worker…");
  // The worker drains for WORKER_DRAIN_SECONDS, then hands back what still runs: give it that and 15 s more.
  await Promise.all([stopChild(web), worker.stop((WORKER_DRAIN_SECONDS + 15) * 1000)]);
  await stack.stop();
  rmSync(path.join(dataDir, "runtime.json"), { force: true });
  log("stopped.");
  process.exit(code);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

function runToEnd(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: "inherit" });
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(command)} ${args.join(" ")} failed (${code})`)),
    );
  });
}

async function waitForHealth(healthUrl: string) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (stopping) return;
    try {
      if ((await fetch(healthUrl)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  console.error("[tenantatlas] the web server did not become healthy within 120 s.");
  await shutdown(1);
}
