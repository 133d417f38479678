import type { RunOutcome } from "@/db/schema/enums";
import { OUTCOME_LABELS } from "@/lib/operations/labels";

/** Tenths of a unit are finer than a screen shows; full floats were a third of the chart's bytes. */
const tenths = (n: number) => Math.round(n * 10) / 10;

const SERIES: { outcome: RunOutcome; color: string }[] = [
  { outcome: "succeeded", color: "#16a34a" },
  { outcome: "partially_succeeded", color: "#d97706" },
  { outcome: "failed", color: "#dc2626" },
  { outcome: "cancelled", color: "#a1a1aa" },
];

/** Completed runs per day, stacked by outcome: an SVG rendered on the server, no client script. */
export function RunsPerDayChart({ days }: { days: { day: string; counts: Record<RunOutcome, number> }[] }) {
  const totals = days.map((d) => SERIES.reduce((sum, s) => sum + d.counts[s.outcome], 0));
  const max = Math.max(1, ...totals);
  const width = 640;
  const height = 160;
  const gap = 4;
  const barWidth = (width - gap * (days.length - 1)) / days.length;
  const summary = days.map((d, i) => `${d.day}: ${totals[i]}`).join(", ");
  return (
    <figure className="space-y-2">
      <svg
        viewBox={`0 0 ${width} ${height + 18}`}
        className="w-full"
        role="img"
        aria-label={`Runs per day: ${summary}`}
        data-testid="runs-per-day"
      >
        {days.map((d, i) => {
          let y = height;
          const x = i * (barWidth + gap);
          return (
            <g key={d.day}>
              <title>{`${d.day}: ${SERIES.map((s) => `${d.counts[s.outcome]} ${OUTCOME_LABELS[s.outcome].toLowerCase()}`).join(", ")}`}</title>
              <rect x={tenths(x)} y={0} width={tenths(barWidth)} height={height} fill="transparent" />
              {SERIES.map((s) => {
                const h = (d.counts[s.outcome] / max) * height;
                y -= h;
                return h > 0 ? (
                  <rect
                    key={s.outcome}
                    x={tenths(x)}
                    y={tenths(y)}
                    width={tenths(barWidth)}
                    height={tenths(h)}
                    fill={s.color}
                    rx={1}
                  />
                ) : null;
              })}
              {i % 2 === days.length % 2 ? null : (
                <text
                  x={tenths(x + barWidth / 2)}
                  y={height + 14}
                  textAnchor="middle"
                  className="fill-zinc-500 text-[10px]"
                >
                  {d.day.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="flex flex-wrap gap-4 text-xs text-muted">
        {SERIES.map((s) => (
          <span key={s.outcome} className="inline-flex items-center gap-1">
            <span className="size-2 rounded-sm" style={{ background: s.color }} aria-hidden />{" "}
            {OUTCOME_LABELS[s.outcome]}
          </span>
        ))}
        <span>Peak {max} a day</span>
      </figcaption>
    </figure>
  );
}
