"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { NotificationItem } from "./notification-item";

const TIMEOUT_MS = 10_000;

/**
 * The bell's entries, read from /api/notifications/latest rather than rendered into every page:
 * once ahead of time when asked (`prefetch`, as the pointer nears the bell), then on each opening
 * and on each server render of the bell while it is open (`version` changes: a new notification or
 * a read mark re-renders it). A failed read keeps the entries already shown and says so.
 */
export function useLatestNotifications(open: boolean, version: number) {
  const [items, setItems] = useState<NotificationItem[] | null>(null);
  const [failed, setFailed] = useState(false);
  const inFlight = useRef<AbortController | null>(null);
  const started = useRef(false);

  const load = useCallback(() => {
    started.current = true;
    inFlight.current?.abort();
    const current = new AbortController();
    inFlight.current = current;
    setFailed(false);
    fetch("/api/notifications/latest", {
      cache: "no-store",
      signal: AbortSignal.any([current.signal, AbortSignal.timeout(TIMEOUT_MS)]),
    })
      .then(async (answer) => {
        if (!answer.ok) throw new Error(`answered ${answer.status}`);
        const body = (await answer.json()) as { items: NotificationItem[] };
        if (!current.signal.aborted) setItems(body.items);
      })
      .catch(() => {
        if (!current.signal.aborted) setFailed(true);
      });
  }, []);

  useEffect(() => {
    if (open) load();
  }, [open, version, load]);
  useEffect(() => () => inFlight.current?.abort(), []);

  const prefetch = useCallback(() => {
    if (!started.current) load();
  }, [load]);
  return { items, failed, retry: load, prefetch };
}
