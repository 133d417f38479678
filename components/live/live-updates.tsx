"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useSyncExternalStore } from "react";
import { liveScopeFor, scopeQuery } from "@/lib/live/scope";
import { announceNotificationChange } from "./notification-changes";
import { takeRunEvent } from "./run-progress-store";

/**
 * Live updates for every console page: one EventSource on /api/live carrying the changes the user
 * may see AND the current page shows (its scope, from its URL: lib/live/scope.ts), pushed from
 * PostgreSQL LISTEN/NOTIFY; a new stream is opened when the page changes. Each change re-renders
 * the current server page — which reads the database — at most once per `THROTTLE_MS`, except a
 * run's progress on its own page, which updates the counts there in place.
 */
const THROTTLE_MS = 1_000;
/** Reopening a stream the browser gave up on: 1 s, doubling up to 30 s. */
const FIRST_REOPEN_MS = 1_000;
const MAX_REOPEN_MS = 30_000;

let connected = false;
const listeners = new Set<() => void>();
function setConnected(value: boolean) {
  if (connected === value) return;
  connected = value;
  for (const listener of listeners) listener();
}

/** Whether the live stream is up; pages poll as a fallback while it is not. */
export function useLiveConnected(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => connected,
    () => false,
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function LiveUpdates() {
  const router = useRouter();
  const scope = liveScopeFor(usePathname(), useSearchParams());
  const query = scopeQuery(scope);
  // A run's page is often rendered just before its run moves on (a start redirects to it; a short
  // run ends within a second): a change before its stream is open would never reach it.
  const catchUpOnReady = scope.kind === "run";
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = 0;
    const refresh = () => {
      if (timer) return;
      const wait = Math.max(0, last + THROTTLE_MS - Date.now());
      timer = setTimeout(() => {
        timer = undefined;
        last = Date.now();
        router.refresh();
      }, wait);
    };
    let source: EventSource | undefined;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    let delay = FIRST_REOPEN_MS;
    const open = () => {
      const current = new EventSource(`/api/live?${query}`);
      source = current;
      current.addEventListener("ready", () => {
        delay = FIRST_REOPEN_MS;
        setConnected(true);
        if (catchUpOnReady) refresh();
      });
      // A run's page takes its run's progress in place (components/live/run-progress-store.ts);
      // everything else re-renders the page.
      current.addEventListener("run", (event) => {
        if (!takeRunEvent(parseJson(event.data))) refresh();
      });
      current.addEventListener("notification", () => {
        announceNotificationChange();
        refresh();
      });
      current.addEventListener("error", () => {
        // Until the stream is back, pages fall back to polling. The browser reconnects a dropped
        // stream by itself, but gives up for good after an answer that is not an event stream (a
        // 503 while the database is down, a proxy's 502): then it is reopened here, backing off.
        setConnected(false);
        if (current.readyState !== EventSource.CLOSED) return;
        reopen = setTimeout(open, delay);
        delay = Math.min(delay * 2, MAX_REOPEN_MS);
      });
    };
    open();
    return () => {
      source?.close();
      setConnected(false);
      if (timer) clearTimeout(timer);
      if (reopen) clearTimeout(reopen);
    };
  }, [router, query, catchUpOnReady]);
  return null;
}
