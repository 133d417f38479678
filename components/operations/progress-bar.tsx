import type { SummaryCounts } from "@/db/schema";

/** A progress bar where the run knows its total; otherwise nothing (counts still show). */
export function RunProgress({ counts, active }: { counts: SummaryCounts; active: boolean }) {
  const total = counts.total;
  if (!total || total <= 0) return null;
  const done = Math.min(counts.processed ?? 0, total);
  const percent = Math.round((done / total) * 100);
  return (
    <div className="space-y-1">
      <div
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-label="Progress"
        className="h-2 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
      >
        <div
          className={`h-full rounded-full bg-blue-600 transition-all ${active ? "" : "opacity-70"}`}
          style={{ width: `${percent}%` }}
        />
      </div>
      <p className="text-xs text-muted">
        {done} of {total} processed ({percent}%)
      </p>
    </div>
  );
}
