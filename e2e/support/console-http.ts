import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { request as playwrightRequest } from "@playwright/test";

/**
 * The console over plain HTTP, as a browser would speak to it: sign in through next-auth, fetch
 * pages and routes with a session's cookies, and call server actions by their id (the build's
 * server-reference manifest) with arguments encoded by React's own client.
 */

// React's client-side encoder for server-action arguments (FormData, undefined, objects), the one Next.js ships.
const { encodeReply } = createRequire(import.meta.url)(
  "next/dist/compiled/react-server-dom-turbopack/client.node.js",
) as { encodeReply: (args: unknown[]) => Promise<string | FormData> };

type ManifestEntry = { workers: Record<string, unknown>; exportedName?: string; filename?: string };

/** Every server action of the build: "module#export" → its id and a page whose bundle has it. */
export function builtActions(): Map<string, { id: string; page: string }> {
  const manifest = JSON.parse(readFileSync(path.resolve(".next/server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, ManifestEntry>;
  };
  const actions = new Map<string, { id: string; page: string }>();
  for (const [id, entry] of Object.entries(manifest.node)) {
    const page = Object.keys(entry.workers).find((worker) => worker.endsWith("/page"));
    if (!entry.filename || !entry.exportedName || !page) continue;
    actions.set(`${entry.filename}#${entry.exportedName}`, { id, page });
  }
  return actions;
}

/** "app/(console)/t/[tenantId]/members/page" → "/t/[tenantId]/members". */
export function pagePattern(worker: string): string {
  const segments = worker
    .split("/")
    .slice(1, -1)
    .filter((s) => !/^\(.*\)$/.test(s));
  return `/${segments.join("/")}`;
}

/** Signs in with email and password through next-auth's credentials callback; returns the Cookie header. */
export async function signInOverHttp(baseURL: string, email: string, password: string): Promise<string> {
  const context = await playwrightRequest.newContext({ baseURL });
  try {
    const { csrfToken } = (await (await context.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const answer = await context.post("/api/auth/callback/credentials", {
      form: { csrfToken, email, password, callbackUrl: "/tenants", json: "true" },
      maxRedirects: 0,
    });
    if (answer.status() >= 400) throw new Error(`sign-in of ${email} answered ${answer.status()}`);
    const { cookies } = await context.storageState();
    if (!cookies.some((c) => c.name.startsWith("next-auth.session-token"))) throw new Error(`${email} got no session`);
    return cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  } finally {
    await context.dispose();
  }
}

export type HttpAnswer = { status: number; location: string; body: string };

/**
 * A server action's own return value in its RSC answer, as raw text: row 0 names it ("a": "$@1"
 * points at row 1). The rest of the answer may be a re-rendered page, whose text is not the
 * action's answer. Empty when the answer has no row 0 (a redirect, an error page).
 */
export function actionResult(body: string): string {
  const rows = new Map<string, string>();
  for (const line of body.split("\n")) {
    const at = line.indexOf(":");
    if (at > 0 && /^[0-9a-f]+$/.test(line.slice(0, at))) rows.set(line.slice(0, at), line.slice(at + 1));
  }
  const root = rows.get("0");
  if (!root?.startsWith("{")) return "";
  const pointer = (JSON.parse(root) as { a?: unknown }).a;
  if (typeof pointer !== "string") return JSON.stringify(pointer ?? null);
  return pointer.startsWith("$@") ? (rows.get(pointer.slice(2)) ?? "") : pointer;
}

async function answerOf(response: Response): Promise<HttpAnswer> {
  return {
    status: response.status,
    location: response.headers.get("x-action-redirect") ?? response.headers.get("location") ?? "",
    body: await response.text(),
  };
}

/** GET without following redirects. A stream (text/event-stream) is closed after its headers. */
export async function getPage(baseURL: string, pathname: string, cookie: string): Promise<HttpAnswer> {
  const abort = new AbortController();
  const response = await fetch(new URL(pathname, baseURL), {
    headers: cookie ? { cookie } : {},
    redirect: "manual",
    signal: abort.signal,
  });
  if (response.headers.get("content-type")?.startsWith("text/event-stream")) {
    abort.abort();
    return { status: response.status, location: "", body: "" };
  }
  return answerOf(response);
}

/** Calls a server action as the browser does: POST to a page with the action's id and React-encoded arguments. */
export async function callAction(
  baseURL: string,
  call: { id: string; pathname: string; args: unknown[]; cookie: string },
): Promise<HttpAnswer> {
  const body = await encodeReply(call.args);
  const response = await fetch(new URL(call.pathname, baseURL), {
    method: "POST",
    headers: {
      accept: "text/x-component",
      "next-action": call.id,
      origin: new URL(baseURL).origin,
      ...(call.cookie ? { cookie: call.cookie } : {}),
      ...(typeof body === "string" ? { "content-type": "text/plain;charset=UTF-8" } : {}),
    },
    body,
    redirect: "manual",
  });
  return answerOf(response);
}
