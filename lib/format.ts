/** Times render in UTC on the server so the HTML is the same for every viewer and never mismatches. */
export function formatTime(date: Date | null | undefined): string {
  if (!date) return "—";
  return `${date.toISOString().replace("T", " ").slice(0, 19)} UTC`;
}

/** A duration as people read it: "850 ms", "4.2 s", "3 min 5 s"; "—" when unknown or negative. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s % 60)} s`;
}
