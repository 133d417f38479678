import type { Metadata } from "next";
import Link from "next/link";
import { NotificationEntry } from "@/components/notifications/notification-entry";
import { toNotificationItem } from "@/components/notifications/notification-item";
import { PageHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { listNotifications, unreadCount } from "@/lib/notifications/queries";
import { runUrl } from "@/lib/operations/links";
import { cursorSchema } from "@/lib/pagination";
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
    listNotifications(db, user.id, { unreadOnly, cursor }, 25),
    unreadCount(db, user.id),
  ]);
  const href = (extra: Record<string, string | undefined>) => {
    const q = new URLSearchParams(
      Object.entries({ filter: unreadOnly ? "unread" : undefined, ...extra }).filter((e): e is [string, string] =>
        Boolean(e[1]),
      ),
    );
    return q.size ? `/notifications?${q}` : "/notifications";
  };

  return (
    <>
      <PageHeader
        title="Notifications"
        description="What happened to the operations you started."
        actions={<MarkAllReadButton disabled={unread === 0} />}
      />
      <nav className="mb-4 flex gap-2 text-sm" aria-label="Filter notifications">
        {[
          { label: "All", target: "/notifications", active: !unreadOnly },
          {
            label: `Unread (${unread > 99 ? "99+" : unread})`,
            target: "/notifications?filter=unread",
            active: unreadOnly,
          },
        ].map((tab) => (
          <Link
            key={tab.label}
            href={tab.target}
            aria-current={tab.active ? "page" : undefined}
            className={cn(
              "rounded-full px-3 py-1",
              tab.active
                ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
                : "bg-zinc-100 text-zinc-700 hover:bg-zinc-200 dark:bg-zinc-800 dark:text-zinc-300",
            )}
          >
            {tab.label}
          </Link>
        ))}
      </nav>
      {items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-10 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          {unreadOnly
            ? "Nothing unread."
            : "No notifications yet. Start an operation and you will hear here when it is queued and when it ends."}
        </p>
      ) : (
        <ul
          className="divide-y divide-zinc-100 overflow-hidden rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900"
          data-testid="notifications-list"
        >
          {items.map((n) => (
            <NotificationEntry key={n.id} item={toNotificationItem(n, runUrl(n.tenantId, n.runId))} />
          ))}
        </ul>
      )}
      <nav className="mt-4 flex justify-between text-sm" aria-label="Pages">
        {cursor ? (
          <Link href={href({})} className="font-medium text-blue-700 hover:underline dark:text-blue-400">
            ← Newest
          </Link>
        ) : (
          <span />
        )}
        {nextCursor ? (
          <Link
            href={href({ cursor: nextCursor })}
            className="font-medium text-blue-700 hover:underline dark:text-blue-400"
          >
            Older →
          </Link>
        ) : null}
      </nav>
    </>
  );
}
