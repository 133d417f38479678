/** Seconds a browser (or client) is told to wait before trying again. */
const RETRY_AFTER_SECONDS = 5;

const MESSAGE = "TenantAtlas cannot reach its database right now. Nothing is lost: runs resume once it is back.";

/**
 * The answer while PostgreSQL is unreachable: 503 with Retry-After. A page a person opened gets a
 * readable page that tries again by itself; anything else (fetches, server actions, API clients)
 * gets the message as text.
 */
export function databaseUnavailable(request: Request): Response {
  const headers = { "retry-after": String(RETRY_AFTER_SECONDS), "cache-control": "no-store" };
  const wantsPage = request.method === "GET" && (request.headers.get("accept") ?? "").includes("text/html");
  if (!wantsPage) {
    return new Response(MESSAGE, { status: 503, headers: { ...headers, "content-type": "text/plain; charset=utf-8" } });
  }
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="${RETRY_AFTER_SECONDS}">
<title>Database unavailable · TenantAtlas</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#1f2937}</style>
</head><body><h1>The database is unavailable</h1><p>${MESSAGE}</p>
<p>This page tries again every ${RETRY_AFTER_SECONDS} seconds.</p></body></html>`;
  return new Response(page, { status: 503, headers: { ...headers, "content-type": "text/html; charset=utf-8" } });
}
