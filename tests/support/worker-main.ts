import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { WORKER_NODE_FLAGS } from "@/workers/node-flags";
import { databaseUrl, encryptionKey, graphConfig } from "./harness";

export type LogLine = { level: number; msg: string; component?: string; [key: string]: unknown };

/**
 * The product's worker (`npm run worker`: workers/main.ts) in a process of its own, configured from
 * the environment like in production, against the test database and the emulator. Its stdout is
 * parsed as the JSON lines it writes; resolves once it logs "worker ready".
 */
export async function startWorkerMain(extraEnv: Record<string, string> = {}) {
  const root = path.resolve(import.meta.dirname, "../..");
  const child: ChildProcess = spawn(
    process.execPath,
    [...WORKER_NODE_FLAGS, "--import", "tsx", "--conditions=react-server", "workers/main.ts"],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        ENCRYPTION_KEY: encryptionKey.toString("base64"),
        GRAPH_URL: graphConfig.graphUrl,
        LOGIN_URL: graphConfig.loginUrl,
        GRAPH_CA_FILE: graphConfig.caFile,
        GRAPH_RETRY_DELAY_SECONDS: "0",
        WORKER_CONCURRENCY: "1",
        LOG_LEVEL: "info",
        ...extraEnv,
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const lines: LogLine[] = [];
  const raw: string[] = [];
  let pending = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      pending += chunk;
      const complete = pending.split("\n");
      pending = complete.pop() ?? "";
      for (const line of complete) {
        raw.push(line);
        try {
          const parsed = JSON.parse(line) as LogLine;
          lines.push(parsed);
          if (parsed.msg === "worker ready") resolve();
        } catch {
          // not a JSON line: kept in `raw`, which the log test checks is empty
        }
      }
    });
    child.once("exit", (code) => reject(new Error(`the worker exited (${code}) before it was ready`)));
  });
  return {
    child,
    /** Every JSON line written so far. */
    lines,
    /** Every line written so far, JSON or not. */
    raw,
    /** SIGTERM: a clean shutdown. Resolves with the exit code. */
    stop: () =>
      new Promise<number | null>((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once("exit", (code) => resolve(code));
        child.kill("SIGTERM");
      }),
  };
}

export type WorkerMain = Awaited<ReturnType<typeof startWorkerMain>>;
