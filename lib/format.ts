/** Times render in UTC on the server so the HTML is the same for every viewer and never mismatches. */
export function formatTime(date: Date | null | undefined): string {
  if (!date) return "—";
  return `${date.toISOString().replace("T", " ").slice(0, 19)} UTC`;
}

/** A duration as people read it: "850 ms", "4.2 s", "3 min 5 s"; "—" when unknown or negative. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  // Round first, so 59.96 s and 119.6 s never read "60.0 s" or "1 min 60 s".
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
