"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { useLiveConnected } from "@/components/live/live-updates";

/**
 * The fallback when the live stream is down: re-renders the current server page every
 * `intervalMs` while `active` (a run still queued or running). Nothing here talks to Graph.
 */
export function AutoRefresh({ active, intervalMs = 2000 }: { active: boolean; intervalMs?: number }) {
  const router = useRouter();
  const live = useLiveConnected();
  useEffect(() => {
    if (!active || live) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [active, live, intervalMs, router]);
  return null;
}
