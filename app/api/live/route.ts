import { getDb } from "@/db/client";
import { isConnectionLost } from "@/db/connection-lost";
import { currentUser } from "@/lib/auth/session";
import { type AccessChange, liveHub, type NotificationChange, type RunChange } from "@/lib/live/hub";
import { runEvent } from "@/lib/live/run-progress";
import { matchesScope, parseScopeQuery } from "@/lib/live/scope";
import { processMetrics } from "@/lib/metrics/registry";
import { listTenantsForUser } from "@/lib/tenants/service";

export const dynamic = "force-dynamic";

// A stream ends at once when its user's access changes (a membership removed, sessions revoked), and
// after a while in any case; EventSource reconnects by itself, and is authorized anew.
const STREAM_LIFETIME_MS = 5 * 60_000;
const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events of run and notification changes, limited to what this user may see (runs of
 * the tenants they belong to, their own notifications) and to what the page that opened it shows
 * (its scope, in the query: lib/live/scope.ts). Payloads carry ids and states only — and, on a run's
 * own page, the run's progress (its counts: lib/live/run-progress.ts), which it shows in place.
 */
export async function GET(request: Request) {
  const hub = liveHub();
  // Access changes announced while the session and tenants are read: the stream would be opened on
  // what they replaced, so it ends at once (and the browser reconnects, authorized anew).
  const changedMeanwhile = new Set<string>();
  const noteChange = (change: AccessChange) => changedMeanwhile.add(change.userId);
  hub.on("access", noteChange);
  let user: Awaited<ReturnType<typeof currentUser>>;
  let tenantIds: Set<string>;
  try {
    user = await currentUser();
    if (!user) {
      hub.off("access", noteChange);
      return new Response("Sign in first.", { status: 401 });
    }
    tenantIds = new Set((await listTenantsForUser(getDb(), user.id)).map((row) => row.tenant.id));
    await hub.ready();
  } catch (err) {
    hub.off("access", noteChange);
    if (!isConnectionLost(err) && hub.connected) throw err;
    // The database is away (the hub reconnects by itself): the page reopens the stream with backoff.
    return new Response("Live updates are unavailable while the database cannot be reached.", {
      status: 503,
      headers: { "retry-after": "2" },
    });
  }

  const scope = parseScopeQuery(new URL(request.url).searchParams);
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (chunk: string) => {
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          cleanup();
        }
      };
      const send = (event: string, data: unknown) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      const onRun = (change: RunChange) => {
        if (tenantIds.has(change.tenantId) && matchesScope(scope, change)) send("run", runEvent(scope, change));
      };
      const onNotification = (change: NotificationChange) => {
        if (change.userId === user.id) send("notification", {});
      };
      const onAccess = (change: AccessChange) => {
        if (change.userId === user.id) cleanup();
      };
      const onDisconnect = () => cleanup();
      const heartbeat = setInterval(() => write(": keep-alive\n\n"), HEARTBEAT_MS);
      const lifetime = setTimeout(() => cleanup(), STREAM_LIFETIME_MS);
      processMetrics().liveClients.inc();
      cleanup = () => {
        cleanup = () => {};
        processMetrics().liveClients.dec();
        clearInterval(heartbeat);
        clearTimeout(lifetime);
        hub.off("run", onRun);
        hub.off("notification", onNotification);
        hub.off("access", onAccess);
        hub.off("disconnect", onDisconnect);
        try {
          controller.close();
        } catch {
          // already closed by the browser
        }
      };
      hub.on("run", onRun);
      hub.on("notification", onNotification);
      hub.on("access", onAccess);
      hub.on("disconnect", onDisconnect);
      hub.off("access", noteChange);
      request.signal.addEventListener("abort", () => cleanup());
      write("retry: 2000\n\n");
      if (changedMeanwhile.has(user.id)) return cleanup();
      send("ready", {});
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}
