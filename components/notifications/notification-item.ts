/** A notification as the bell and the notifications page render it (serialisable for the client). */
export type NotificationItem = {
  id: string;
  title: string;
  body: string;
  outcome: string;
  read: boolean;
  createdAt: string;
  href: string;
};

export function toNotificationItem(
  n: {
    id: string;
    title: string;
    body: string;
    outcome: string;
    readAt: Date | null;
    createdAt: Date;
    tenantId: string;
    runId: string;
  },
  href: string,
): NotificationItem {
  return {
    id: n.id,
    title: n.title,
    body: n.body,
    outcome: n.outcome,
    read: n.readAt !== null,
    createdAt: n.createdAt.toISOString(),
    href,
  };
}
