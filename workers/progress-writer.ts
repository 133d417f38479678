import type { SummaryCounts } from "@/db/schema";

/**
 * A run's progress, written at most once per `intervalMs`. Every progress write is a row update,
 * and every row update is a NOTIFY that each open console page may answer with a render: a handler
 * reporting each of 10,000 policies would cost that many. The first report is written at once (so a
 * run shows it has started); later ones are merged (counts are absolute values per key) and written
 * when the interval has passed since the last write. `flush()` writes what is pending now: the
 * lifecycle calls it before completing the run, so the completion carries the final counts.
 *
 * A write that fails when the handler awaits it fails the attempt, as an uncoalesced write would; a
 * deferred write that fails keeps its counts pending for the next write and goes to `onError`.
 */
export function coalescedProgress(
  write: (counts: SummaryCounts) => Promise<void>,
  { intervalMs = 1000, onError }: { intervalMs?: number; onError: (err: unknown) => void },
) {
  let pending: SummaryCounts | undefined;
  let lastWriteAt = Number.NEGATIVE_INFINITY;
  let writing: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  async function writePending(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    while (writing) await writing.catch(() => {}); // one write at a time, in order
    if (!pending || stopped) return;
    const counts = pending;
    pending = undefined;
    lastWriteAt = Date.now();
    writing = write(counts).catch((err) => {
      pending = { ...counts, ...pending }; // newer counts win
      throw err;
    });
    try {
      await writing;
    } finally {
      writing = undefined;
    }
  }

  return {
    async progress(counts: SummaryCounts): Promise<void> {
      if (stopped) return;
      pending = { ...pending, ...counts };
      if (timer) return;
      const wait = lastWriteAt + intervalMs - Date.now();
      if (wait <= 0 && !writing) return writePending();
      timer = setTimeout(() => writePending().catch(onError), Math.max(0, wait));
    },
    flush: writePending,
    /** Nothing more is written (the attempt is over: completed, failed or handed back). */
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
