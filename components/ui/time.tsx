import { formatTime } from "@/lib/format";

export { formatDuration, formatTime } from "@/lib/format";

export function Time({ date }: { date: Date | null | undefined }) {
  return date ? <time dateTime={date.toISOString()}>{formatTime(date)}</time> : <span>—</span>;
}
