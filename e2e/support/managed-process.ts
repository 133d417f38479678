import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";

export type ManagedProcess = {
  name: string;
  child: ChildProcess;
  readonly pid: number;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when its output matches; rejects if it exits first or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited(): boolean;
  /** Sends `signal` and resolves once it has exited (SIGKILL after `graceMs` if it has not). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
};

/** A child process of the cluster whose output goes to a log file and stays readable in memory. */
export function startManagedProcess(options: {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
  cwd?: string;
}): ManagedProcess {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log = createWriteStream(options.logFile, { flags: "a" });
  let text = "";
  const listeners = new Set<() => void>();
  const onChunk = (chunk: Buffer) => {
    text += chunk.toString();
    log.write(chunk);
    for (const listener of listeners) listener();
  };
  child.stdout!.on("data", onChunk);
  child.stderr!.on("data", onChunk);
  const exit = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  void exit.then(() => log.end());
  const exited = () => child.exitCode !== null || child.signalCode !== null;

  return {
    name: options.name,
    child,
    get pid() {
      return child.pid!;
    },
    output: () => text,
    exited,
    waitFor(pattern, timeoutMs = 120_000) {
      return new Promise<void>((resolve, reject) => {
        const done = (err?: Error) => {
          listeners.delete(check);
          clearTimeout(timer);
          if (err) reject(err);
          else resolve();
        };
        const check = () => {
          if (pattern.test(text)) done();
        };
        const timer = setTimeout(
          () =>
            done(new Error(`${options.name} did not print ${pattern} within ${timeoutMs} ms:\n${text.slice(-2000)}`)),
          timeoutMs,
        );
        listeners.add(check);
        void exit.then(() =>
          done(new Error(`${options.name} exited before printing ${pattern}:\n${text.slice(-2000)}`)),
        );
        check();
      });
    },
    async stop(signal = "SIGTERM", graceMs = 30_000) {
      if (exited()) return;
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      child.kill(signal);
      await exit;
      clearTimeout(timer);
    },
  };
}
