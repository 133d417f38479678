"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { onNotificationChange } from "@/components/live/notification-changes";
import type { NotificationItem } from "./notification-item";

const TIMEOUT_MS = 10_000;

/**
 * The bell's entries, read from /api/notifications/latest rather than rendered into every page:
 * once ahead of time when asked (`prefetch`, as the pointer nears the bell), then on each opening and
 * on each change the live stream reports while the panel is open (`reload` after a read mark made
 * here). A failed read keeps the entries already shown and says so.
 */
export function useLatestNotifications(open: boolean) {
  const [items, setItems] = useState<NotificationItem[] | null>(null);
  const [failed, setFailed] = useState(false);
  const inFlight = useRef<AbortController | null>(null);
  const started = useRef(false);

  const load = useCallback(() => {
    started.current = true;
    inFlight.current?.abort();
    const current = new AbortController();
    inFlight.current = current;
    fetch("/api/notifications/latest", {
      cache: "no-store",
      signal: AbortSignal.any([current.signal, AbortSignal.timeout(TIMEOUT_MS)]),
    })
      .then(async (answer) => {
        if (!answer.ok) throw new Error(`answered ${answer.status}`);
        const body = (await answer.json()) as { items: NotificationItem[] };
        if (current.signal.aborted) return;
        setItems(body.items);
        setFailed(false);
      })
      .catch(() => {
        if (!current.signal.aborted) setFailed(true);
      });
  }, []);

  useEffect(() => {
    if (!open) return;
    load();
    return onNotificationChange(load);
  }, [open, load]);
  useEffect(() => () => inFlight.current?.abort(), []);

  const prefetch = useCallback(() => {
    if (!started.current) load();
  }, [load]);
  const retry = useCallback(() => {
    setFailed(false);
    load();
  }, [load]);
  return { items, failed, retry, prefetch, reload: load };
}
