import type { ChannelView } from "@/lib/alerts/channels";
import { FAILING_AFTER } from "@/lib/alerts/channels";

const KIND_LABELS = { webhook: "Signed webhook", slack: "Slack", teams: "Teams" } as const;
export const kindLabel = (kind: ChannelView["kind"]) => KIND_LABELS[kind];

/** Failing / paused / healthy / not tried yet, in words (never by colour alone). */
export function ChannelStatus({ channel }: { channel: ChannelView }) {
  const [text, tone, title] = channel.failing
    ? ["Failing", "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200", `The last ${FAILING_AFTER} tries failed`]
    : !channel.enabled
      ? ["Paused", "bg-zinc-100 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200", "Gets no alerts until resumed"]
      : channel.lastAttemptAt
        ? [
            "Healthy",
            "bg-green-100 text-green-900 dark:bg-green-950 dark:text-green-200",
            "Its newest tries got through",
          ]
        : ["No deliveries yet", "bg-zinc-100 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200", "Nothing sent yet"];
  return (
    <span className={`rounded px-2 py-0.5 text-xs font-medium ${tone}`} title={title} data-testid="channel-status">
      {text}
    </span>
  );
}
