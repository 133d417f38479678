import type { Metadata } from "next";
import { NewChannelForm } from "@/components/alerts/channel-form";
import { ChannelStatus, kindLabel } from "@/components/alerts/channel-status";
import { EmptyState } from "@/components/ui/empty-state";
import { TableShell } from "@/components/ui/table";
import { TextLink } from "@/components/ui/text-link";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { listChannels } from "@/lib/alerts/channels";
import { tenantPageAccess } from "@/lib/auth/guards";
import { operations } from "@/lib/operations/registry";
import { paths } from "@/lib/paths";

export const metadata: Metadata = { title: "Alerts" };

/** The tenant's alert channels. Every member sees them (never a secret or a URL path); owners add them. */
export default async function AlertsPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const { user } = await tenantPageAccess(tenantId);
  const { role, channels } = await listChannels(getDb(), { userId: user.id, tenantId });
  const operationChoices = Object.entries(operations)
    .filter(([, definition]) => definition.startedBy !== "system")
    .map(([type, definition]) => ({ type, label: definition.label }));
  return (
    <div className="space-y-6">
      <h2 className="text-lg font-semibold">Alert channels</h2>
      {channels.length === 0 ? (
        <EmptyState title="No alert channels">
          {role === "owner"
            ? "Add one below to hear about failed runs, drift and overdue schedules."
            : "An owner of this tenant can add one."}
        </EmptyState>
      ) : (
        <TableShell testId="alert-channels" headers={["Name", "Kind", "Host", "State", "Last try"]}>
          {channels.map((channel) => (
            <tr key={channel.id}>
              <td className="px-4 py-2">
                <TextLink href={paths.alertChannel(tenantId, channel.id)} strong>
                  {channel.name}
                </TextLink>
              </td>
              <td className="px-4 py-2">{kindLabel(channel.kind)}</td>
              <td className="px-4 py-2 font-mono text-xs">{channel.urlHost}</td>
              <td className="px-4 py-2">
                <ChannelStatus channel={channel} />
              </td>
              <td className="px-4 py-2">
                <Time date={channel.lastAttemptAt} />
              </td>
            </tr>
          ))}
        </TableShell>
      )}
      {role === "owner" ? <NewChannelForm tenantId={tenantId} operationChoices={operationChoices} /> : null}
    </div>
  );
}
