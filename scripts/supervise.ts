import type { ChildProcess } from "node:child_process";

export type Supervised = {
  /** The child running now (a new one after each restart). */
  readonly current: ChildProcess;
  readonly restarts: number;
  /** Stops restarting and ends the current child: SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
};

/**
 * Keeps a child process running: when it exits without being asked to, it is started again after
 * a backoff that doubles from `initialDelayMs` up to `maxDelayMs`, and starts over once a child has
 * stayed up for `stableAfterMs` (so a worker that crashes once a day restarts at once, and one
 * that cannot start does not spin).
 */
export function supervise(options: {
  name: string;
  spawn: () => ChildProcess;
  log: (message: string) => void;
  initialDelayMs?: number;
  maxDelayMs?: number;
  stableAfterMs?: number;
}): Supervised {
  const { name, log, initialDelayMs = 1_000, maxDelayMs = 30_000, stableAfterMs = 60_000 } = options;
  let current = options.spawn();
  let startedAt = Date.now();
  let restarts = 0;
  let delay = initialDelayMs;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;

  const watch = (child: ChildProcess) =>
    child.once("exit", (code, signal) => {
      if (stopping) return;
      if (Date.now() - startedAt >= stableAfterMs) delay = initialDelayMs;
      log(`${name} exited unexpectedly (${signal ?? `code ${code}`}); restarting in ${Math.round(delay / 1000)} s.`);
      timer = setTimeout(() => {
        if (stopping) return;
        restarts += 1;
        current = options.spawn();
        startedAt = Date.now();
        watch(current);
      }, delay);
      delay = Math.min(delay * 2, maxDelayMs);
    });
  watch(current);

  return {
    get current() {
      return current;
    },
    get restarts() {
      return restarts;
    },
    stop(graceMs = 30_000) {
      stopping = true;
      clearTimeout(timer);
      const child = current;
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        const kill = setTimeout(() => child.kill("SIGKILL"), graceMs);
        child.once("exit", () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill("SIGTERM");
      });
    },
  };
}
