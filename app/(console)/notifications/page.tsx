import type { Metadata } from "next";
import { NotificationEntry } from "@/components/notifications/notification-entry";
import { toNotificationItem } from "@/components/notifications/notification-item";
import { PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { LinkNav } from "@/components/ui/link-nav";
import { TextLink } from "@/components/ui/text-link";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { listNotifications, unreadCount } from "@/lib/notifications/queries";
import { cursorSchema } from "@/lib/pagination";
import { paths } from "@/lib/paths";
import { MarkAllReadButton } from "./mark-all-read-button";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const params = await searchParams;
  const unreadOnly = params.filter === "unread";
  const cursor = cursorSchema.safeParse(params.cursor).data;
  const db = getDb();
  const [{ items, nextCursor }, unread] = await Promise.all([
    listNotifications(db, { userId: user.id, filter: { unreadOnly, cursor }, pageSize: 25 }),
    unreadCount(db, user.id),
  ]);
  const href = (extra: Record<string, string | undefined>) =>
    paths.notifications({ filter: unreadOnly ? "unread" : undefined, ...extra });

  return (
    <>
      <PageHeader
        title="Notifications"
        description="What happened to the operations you started."
        actions={<MarkAllReadButton disabled={unread === 0} />}
      />
      <LinkNav
        className="mb-4"
        label="Filter notifications"
        items={[
          { label: "All", href: paths.notifications(), active: !unreadOnly },
          {
            label: `Unread (${unread > 99 ? "99+" : unread})`,
            href: paths.notifications({ filter: "unread" }),
            active: unreadOnly,
          },
        ]}
      />
      {items.length === 0 ? (
        <EmptyState className="p-10">
          {unreadOnly
            ? "Nothing unread."
            : "No notifications yet. Start an operation and you will hear here when it is queued and when it ends."}
        </EmptyState>
      ) : (
        <ul
          className="divide-y divide-zinc-100 overflow-hidden rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900"
          data-testid="notifications-list"
        >
          {items.map((n) => (
            <NotificationEntry key={n.id} item={toNotificationItem(n)} />
          ))}
        </ul>
      )}
      <nav className="mt-4 flex justify-between text-sm" aria-label="Pages">
        {cursor ? (
          <TextLink href={href({})} strong>
            ← Newest
          </TextLink>
        ) : (
          <span />
        )}
        {nextCursor ? (
          <TextLink href={href({ cursor: nextCursor })} strong>
            Older →
          </TextLink>
        ) : null}
      </nav>
    </>
  );
}
