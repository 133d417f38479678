import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { databaseUrl, graphConfig } from "./harness";

/**
 * Starts tests/support/worker-process.ts and resolves once it is taking jobs; with `graph`, its
 * handlers reach the test emulator; `database` points it at another database than the harness's.
 */
export async function startWorkerProcess({
  concurrency = 1,
  drainSeconds = 20,
  graph = false,
  database = databaseUrl,
}: {
  concurrency?: number;
  drainSeconds?: number;
  graph?: boolean;
  database?: string;
} = {}): Promise<ChildProcess> {
  const root = path.resolve(import.meta.dirname, "../..");
  // One process (tsx as a loader, not its CLI, which would run the script in a child of its own).
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", "tests/support/worker-process.ts"],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: database,
        WORKER_CONCURRENCY: String(concurrency),
        WORKER_DRAIN_SECONDS: String(drainSeconds),
        ...(graph ? { TEST_GRAPH_URL: graphConfig.graphUrl, TEST_GRAPH_CA_FILE: graphConfig.caFile } : {}),
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("worker-process ready")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the worker process exited (${code}) before it was ready`)));
  });
  return child;
}

/** SIGKILL: no shutdown, no job handed back — as when a machine dies. Resolves once it is gone. */
export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

/** SIGTERM, as a deploy sends: resolves with the exit code (or signal) once the process is gone. */
export function stopGracefully(child: ChildProcess): Promise<number | string | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode ?? child.signalCode);
    child.once("exit", (code, signal) => resolve(code ?? signal));
    child.kill("SIGTERM");
  });
}
