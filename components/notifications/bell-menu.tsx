"use client";

import { Bell } from "lucide-react";
import Link from "next/link";
import { useEffect, useRef, useState, useTransition } from "react";
import { markAllNotificationsReadAction } from "@/lib/notifications/actions";
import { paths } from "@/lib/paths";
import { NotificationEntry } from "./notification-entry";
import { useLatestNotifications } from "./use-latest-notifications";

export function BellMenu({ unread }: { unread: number }) {
  const [open, setOpen] = useState(false);
  const { items, failed, retry, prefetch, reload } = useLatestNotifications(open);
  const [pending, startTransition] = useTransition();
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === "Escape" : !root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);

  return (
    <div ref={root} className="relative">
      <button
        type="button"
        aria-label={`Notifications, ${unread} unread`}
        aria-expanded={open}
        aria-haspopup="true"
        data-testid="bell"
        onClick={() => setOpen((v) => !v)}
        onPointerEnter={prefetch}
        onFocus={prefetch}
        className="relative rounded-md p-2 text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
      >
        <Bell className="size-5" aria-hidden />
        {unread > 0 ? (
          <span
            data-testid="bell-unread"
            className="absolute -right-0.5 -top-0.5 min-w-5 rounded-full bg-red-600 px-1 text-center text-[11px] font-semibold leading-5 text-white"
          >
            {unread > 99 ? "99+" : unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <div
          role="dialog"
          aria-label="Notifications"
          className="fixed inset-x-4 top-16 z-20 rounded-lg sm:absolute sm:inset-x-auto sm:top-auto sm:right-0 sm:mt-2 sm:w-96 border border-zinc-200 bg-white shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          <div className="flex items-center justify-between border-b border-zinc-200 px-4 py-2 dark:border-zinc-700">
            <span className="text-sm font-semibold">Notifications</span>
            <button
              type="button"
              disabled={pending || unread === 0}
              onClick={() =>
                startTransition(async () => {
                  await markAllNotificationsReadAction();
                  reload();
                })
              }
              className="text-xs font-medium text-blue-700 hover:underline disabled:text-zinc-400 disabled:no-underline dark:text-blue-400"
            >
              Mark all read
            </button>
          </div>
          <p role="status" className="sr-only">
            {items === null && !failed ? "Loading notifications…" : ""}
          </p>
          {failed ? (
            <p role="alert" className="px-4 py-2 text-sm text-red-700 dark:text-red-300">
              {items === null ? "Notifications could not be loaded." : "The list could not be refreshed."}{" "}
              <button type="button" className="font-medium underline" onClick={retry}>
                Try again
              </button>
            </p>
          ) : null}
          {items === null ? (
            failed ? null : (
              <p className="px-4 py-6 text-center text-sm text-muted" aria-hidden>
                Loading notifications…
              </p>
            )
          ) : items.length === 0 ? (
            <p className="px-4 py-6 text-center text-sm text-muted">
              No notifications yet. Start an operation and you will hear here when it is queued and when it ends.
            </p>
          ) : (
            <ul
              className="max-h-96 divide-y divide-zinc-100 overflow-y-auto dark:divide-zinc-800"
              data-testid="bell-items"
            >
              {items.map((item) => (
                <NotificationEntry key={item.id} item={item} onNavigate={() => setOpen(false)} onMarked={reload} />
              ))}
            </ul>
          )}
          <Link
            href={paths.notifications()}
            onClick={() => setOpen(false)}
            className="block border-t border-zinc-200 px-4 py-2 text-center text-xs font-medium text-blue-700 hover:underline dark:border-zinc-700 dark:text-blue-400"
          >
            All notifications
          </Link>
        </div>
      ) : null}
    </div>
  );
}
