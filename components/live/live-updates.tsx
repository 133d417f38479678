"use client";

import { useRouter } from "next/navigation";
import { useEffect, useSyncExternalStore } from "react";

/**
 * Live updates for every console page: one EventSource on /api/live (run and notification changes
 * the user may see, pushed from PostgreSQL LISTEN/NOTIFY). Each change re-renders the current
 * server page — which reads the database — at most once per `THROTTLE_MS`.
 */
const THROTTLE_MS = 500;

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

export function LiveUpdates() {
  const router = useRouter();
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
    const source = new EventSource("/api/live");
    source.addEventListener("ready", () => setConnected(true));
    source.addEventListener("run", refresh);
    source.addEventListener("notification", refresh);
    // EventSource reconnects by itself; until it does, pages fall back to polling.
    source.addEventListener("error", () => setConnected(false));
    return () => {
      source.close();
      setConnected(false);
      if (timer) clearTimeout(timer);
    };
  }, [router]);
  return null;
}
