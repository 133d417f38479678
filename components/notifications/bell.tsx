import { getDb } from "@/db/client";
import { listNotifications, unreadCount } from "@/lib/notifications/queries";
import { BellMenu } from "./bell-menu";
import { toNotificationItem } from "./notification-item";

/** The header bell: unread count and latest notifications, read from the database only. */
export async function NotificationBell({ userId }: { userId: string }) {
  const db = getDb();
  const [{ items }, unread] = await Promise.all([listNotifications(db, { userId }), unreadCount(db, userId)]);
  return <BellMenu unread={unread} items={items.map((n) => toNotificationItem(n))} />;
}
