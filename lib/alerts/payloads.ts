import type { AlertChannelKind, AlertEventType } from "@/db/schema/alerts";

/** What happened, as stored with a delivery: no secret, and enough for every receiver shape. */
export type AlertEvent = {
  type: AlertEventType;
  occurredAt: string;
  tenant: { id: string; name: string };
  /** One line a person reads first ("Sync inventory failed in Contoso"). */
  title: string;
  /** The detail, plain text. */
  text: string;
  /** Where to look in the console, when the console's address is known (NEXTAUTH_URL). */
  link?: string;
  run?: { id: string; type: string; label: string; outcome: string; failures: { code: string; message: string }[] };
  drift?: { changed: number; missing: number; new: number };
  schedule?: { id: string; name: string; dueAt?: string };
};

/** The body our signed webhook sends: the event with its delivery id (the receiver's dedupe key). */
const webhookBody = (deliveryId: string, event: AlertEvent) => ({ id: deliveryId, ...event });

/** Slack reads &, < and > as markup (`<!channel>` pings everyone): event text must not be. */
const slackEscape = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** A Slack incoming webhook: `text` is the notification fallback, `blocks` the message. */
function slackBody(event: AlertEvent) {
  const context = [`Tenant: ${slackEscape(event.tenant.name)}`];
  if (event.link) context.push(`<${event.link}|Open in TenantAtlas>`);
  return {
    text: event.title,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${slackEscape(event.title)}*\n${slackEscape(event.text)}` } },
      { type: "context", elements: [{ type: "mrkdwn", text: context.join(" · ") }] },
    ],
  };
}

/**
 * A Teams Workflows ("When a Teams webhook request is received") trigger: a message whose one
 * attachment is an Adaptive Card. The retired Office 365 connectors took a MessageCard instead.
 */
function teamsBody(event: AlertEvent) {
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body: [
            { type: "TextBlock", text: event.title, weight: "Bolder", size: "Medium", wrap: true },
            { type: "TextBlock", text: event.text, wrap: true },
            { type: "FactSet", facts: [{ title: "Tenant", value: event.tenant.name }] },
          ],
          ...(event.link
            ? { actions: [{ type: "Action.OpenUrl", title: "Open in TenantAtlas", url: event.link }] }
            : {}),
        },
      },
    ],
  };
}

/** The JSON body a channel of `kind` receives for `event`. */
export function renderBody(kind: AlertChannelKind, deliveryId: string, event: AlertEvent): string {
  switch (kind) {
    case "webhook":
      return JSON.stringify(webhookBody(deliveryId, event));
    case "slack":
      return JSON.stringify(slackBody(event));
    case "teams":
      return JSON.stringify(teamsBody(event));
  }
}
