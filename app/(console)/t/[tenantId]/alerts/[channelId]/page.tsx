import type { Metadata } from "next";
import { ChannelActions, EditChannelForm } from "@/components/alerts/channel-controls";
import { ChannelStatus, kindLabel } from "@/components/alerts/channel-status";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { TableShell } from "@/components/ui/table";
import { TextLink } from "@/components/ui/text-link";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { getChannel } from "@/lib/alerts/channels";
import { orNotFound, tenantPageAccess } from "@/lib/auth/guards";
import { operations } from "@/lib/operations/registry";
import { paths } from "@/lib/paths";

export const metadata: Metadata = { title: "Alert channel" };

const EVENT_LABELS: Record<string, string> = {
  "run.failed": "Run failed",
  "run.partially_succeeded": "Run partly succeeded",
  "drift.detected": "Drift detected",
  "schedule.overdue": "Schedule overdue",
  test: "Test",
};
const STATUS_LABELS = { pending: "Retrying", delivered: "Delivered", failed: "Gave up" } as const;

/** One channel: its rules, its newest deliveries with every try, and (owners) its controls. */
export default async function AlertChannelPage({
  params,
}: {
  params: Promise<{ tenantId: string; channelId: string }>;
}) {
  const { tenantId, channelId } = await params;
  const { user } = await tenantPageAccess(tenantId);
  const { role, channel, deliveries } = await orNotFound(() =>
    getChannel(getDb(), { userId: user.id, tenantId, channelId }),
  );
  const operationChoices = Object.entries(operations)
    .filter(([, definition]) => definition.startedBy !== "system")
    .map(([type, definition]) => ({ type, label: definition.label }));
  const owner = role === "owner";
  return (
    <div className="space-y-6">
      <Card>
        <p className="text-sm">
          <TextLink href={paths.alerts(tenantId)}>All alert channels</TextLink>
        </p>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h2 className="text-lg font-semibold" data-testid="channel-name">
            {channel.name}
          </h2>
          <ChannelStatus channel={channel} />
        </div>
        <dl className="mt-3 grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-3">
          <div>
            <dt className="text-muted">Kind</dt>
            <dd>{kindLabel(channel.kind)}</dd>
          </div>
          <div>
            <dt className="text-muted">Host</dt>
            <dd className="font-mono text-xs leading-5">{channel.urlHost}</dd>
          </div>
          <div>
            <dt className="text-muted">Signing secret</dt>
            <dd>
              Set on <Time date={channel.secretRotatedAt} /> · never displayed
            </dd>
          </div>
        </dl>
        {owner ? (
          <div className="mt-4">
            <ChannelActions tenantId={tenantId} channelId={channel.id} name={channel.name} />
          </div>
        ) : null}
      </Card>
      <section className="space-y-3">
        <h2 className="text-lg font-semibold">Deliveries</h2>
        {deliveries.length === 0 ? (
          <EmptyState title="No deliveries yet">
            {owner ? "Send a test to see how the receiver answers." : "Alerts sent to this channel appear here."}
          </EmptyState>
        ) : (
          <TableShell testId="alert-deliveries" headers={["Created", "Event", "State", "Tries"]}>
            {deliveries.map((delivery) => (
              <tr key={delivery.id} data-testid="alert-delivery" data-status={delivery.status}>
                <td className="px-4 py-2 align-top whitespace-nowrap">
                  <Time date={delivery.createdAt} />
                </td>
                <td className="px-4 py-2 align-top">
                  <p>{EVENT_LABELS[delivery.eventType] ?? delivery.eventType}</p>
                  <p className="text-xs text-muted">
                    {delivery.runId ? (
                      <TextLink href={paths.run(tenantId, delivery.runId)}>{delivery.title}</TextLink>
                    ) : (
                      delivery.title
                    )}
                  </p>
                </td>
                <td className="px-4 py-2 align-top">{STATUS_LABELS[delivery.status]}</td>
                <td className="px-4 py-2 align-top">
                  {delivery.tries.length === 0 ? (
                    <span className="text-muted">Not tried yet</span>
                  ) : (
                    <ol className="space-y-1 text-xs" data-testid="alert-tries">
                      {delivery.tries.map((attempt) => (
                        <li key={attempt.attempt}>
                          #{attempt.attempt} · {attempt.ok ? "OK" : "Failed"}
                          {attempt.statusCode !== null ? ` · HTTP ${attempt.statusCode}` : ""} · {attempt.latencyMs} ms
                          · <Time date={attempt.attemptedAt} />
                          {attempt.error ? (
                            <span className="block text-zinc-700 dark:text-zinc-300">{attempt.error}</span>
                          ) : null}
                          {attempt.nextRetryAt ? (
                            <span className="block">
                              Next try <Time date={attempt.nextRetryAt} />
                            </span>
                          ) : null}
                        </li>
                      ))}
                    </ol>
                  )}
                </td>
              </tr>
            ))}
          </TableShell>
        )}
      </section>
      {owner ? (
        <EditChannelForm
          tenantId={tenantId}
          channelId={channel.id}
          name={channel.name}
          enabled={channel.enabled}
          rules={channel.rules}
          operationChoices={operationChoices}
        />
      ) : null}
    </div>
  );
}
