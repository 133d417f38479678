/**
 * SIGTERM or SIGINT stops the worker gracefully (drain, hand back), then closes what `close` names
 * (the database pool, only after every handler has settled) and exits. A second signal is ignored:
 * the drain is already under way, and the process manager's kill timeout bounds it.
 */
export function stopOnSignal(
  worker: { stop(): Promise<void> },
  { close, log }: { close: () => Promise<void>; log: (message: string) => void },
) {
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log(`${signal}: draining: no new jobs; active ones finish or are handed back`);
      void worker
        .stop()
        .then(close)
        .then(() => {
          log("stopped");
          process.exit(0);
        })
        .catch((err) => {
          log(`shutdown error: ${err instanceof Error ? err.message : String(err)}`);
          process.exit(1);
        });
    });
  }
}
