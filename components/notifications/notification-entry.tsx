"use client";

import { useTransition } from "react";
import { cn } from "@/components/ui/cn";
import { TextLink } from "@/components/ui/text-link";
import { markNotificationReadAction } from "@/lib/notifications/actions";
import type { NotificationItem } from "./notification-item";

const DOT: Record<string, string> = {
  pending: "bg-zinc-400",
  succeeded: "bg-green-500",
  partially_succeeded: "bg-amber-500",
  failed: "bg-red-500",
  cancelled: "bg-zinc-400",
};

/** One notification, in the bell and on the notifications page alike. */
export function NotificationEntry({
  item,
  onNavigate,
  onMarked,
}: {
  item: NotificationItem;
  onNavigate?: () => void;
  /** After the read mark is saved (the bell re-reads its entries; a page re-renders by itself). */
  onMarked?: () => void;
}) {
  const [pending, startTransition] = useTransition();
  const markRead = () =>
    startTransition(async () => {
      await markNotificationReadAction(item.id);
      onMarked?.();
    });
  return (
    <li
      data-testid="bell-item"
      data-read={item.read}
      className={cn("px-4 py-3", !item.read && "bg-blue-50/60 dark:bg-blue-950/30")}
    >
      <div className="flex items-start gap-2">
        <span className={cn("mt-1.5 size-2 shrink-0 rounded-full", DOT[item.outcome] ?? "bg-zinc-400")} aria-hidden />
        <div className="min-w-0 flex-1">
          <p className="text-sm font-medium">{item.title}</p>
          <p className="truncate text-xs text-muted" title={item.body}>
            {item.body}
          </p>
          <p className="mt-0.5 text-[11px] text-muted">{item.createdAt.replace("T", " ").slice(0, 19)} UTC</p>
          <div className="mt-1 flex gap-3 text-xs">
            <TextLink
              strong
              href={item.href}
              onClick={() => {
                onNavigate?.();
                if (!item.read) markRead();
              }}
            >
              {item.linkLabel}
            </TextLink>
            {!item.read ? (
              <button
                type="button"
                disabled={pending}
                onClick={markRead}
                className="text-zinc-600 hover:underline dark:text-zinc-400"
              >
                Mark read
              </button>
            ) : null}
          </div>
        </div>
      </div>
    </li>
  );
}
