import { toNotificationItem } from "@/components/notifications/notification-item";
import { getDb } from "@/db/client";
import { currentUser } from "@/lib/auth/session";
import { listNotifications } from "@/lib/notifications/queries";

export const dynamic = "force-dynamic";

/**
 * The bell's panel: the signed-in user's latest notifications, read when the panel is wanted rather
 * than rendered into every console page (and every live refresh of one). Database reads only.
 */
export async function GET() {
  const user = await currentUser();
  if (!user) return Response.json({ error: "Sign in first." }, { status: 401 });
  const { items } = await listNotifications(getDb(), { userId: user.id });
  return Response.json(
    { items: items.map((n) => toNotificationItem(n)) },
    { headers: { "cache-control": "private, no-store" } },
  );
}
