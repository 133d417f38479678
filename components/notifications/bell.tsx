import { getDb } from "@/db/client";
import { unreadCount } from "@/lib/notifications/queries";
import { BellMenu } from "./bell-menu";

/**
 * The header bell: the unread count, read from the database on every render. The panel's entries
 * are read only when it is opened (or about to be), from /api/notifications/latest.
 */
export async function NotificationBell({ userId }: { userId: string }) {
  return <BellMenu unread={await unreadCount(getDb(), userId)} />;
}
