/** Any origin will do: the value is resolved against it only to see whether it stays there. */
const PROBE_ORIGIN = "http://console.invalid";

/**
 * Where to send a user after sign-in: a path on this console, or `fallback`. The value is resolved
 * as a browser would resolve it — which turns `/\evil.example` and `/<tab>/evil.example` into
 * `//evil.example`, another origin — and only a result on the console's own origin is kept,
 * rebuilt from its path and query so nothing else of the input survives.
 */
export function safeCallbackPath(value: unknown, fallback: string): string {
  if (typeof value !== "string" || !value.startsWith("/")) return fallback;
  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return fallback;
  }
  return url.origin === PROBE_ORIGIN ? url.pathname + url.search : fallback;
}
