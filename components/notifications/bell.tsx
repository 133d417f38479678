import { getDb } from "@/db/client";
import { latestNotifications, unreadCount } from "@/lib/notifications/queries";
import { runUrl } from "@/lib/operations/links";
import { BellMenu } from "./bell-menu";

/** The header bell: unread count and latest notifications, read from the database only. */
export async function NotificationBell({ userId }: { userId: string }) {
  const db = getDb();
  const [items, unread] = await Promise.all([latestNotifications(db, userId), unreadCount(db, userId)]);
  return (
    <BellMenu
      unread={unread}
      items={items.map((n) => ({
        id: n.id,
        title: n.title,
        body: n.body,
        outcome: n.outcome,
        read: n.readAt !== null,
        createdAt: n.createdAt.toISOString(),
        href: runUrl(n.tenantId, n.runId),
      }))}
    />
  );
}
