/**
 * A request to Graph or the identity platform that got no answer at all: refused, reset, name not
 * found, TLS refused. undici says only "fetch failed" and keeps the reason in `cause`; this error
 * names the host and the reason (`code`, e.g. ECONNREFUSED), which is what an operator can act on.
 */
export class GraphUnreachableError extends Error {
  override readonly name = "GraphUnreachable";
  constructor(
    readonly host: string,
    readonly reason: string,
    options: { cause: unknown },
  ) {
    super(`no answer from ${host} (${reason})`, options);
  }
}

/** Turns fetch's "fetch failed" into a GraphUnreachableError; an abort or timeout passes through as it is. */
export function explainFetchFailure(err: unknown, url: string | URL): unknown {
  if (!(err instanceof TypeError) || err.cause === undefined) return err;
  return new GraphUnreachableError(new URL(url).host, networkReason(err.cause), { cause: err });
}

function networkReason(cause: unknown): string {
  const { code, message, errors } = (cause ?? {}) as { code?: string; message?: string; errors?: unknown[] };
  // A host with several addresses fails with an AggregateError whose own message is empty.
  const detail = message || (Array.isArray(errors) ? (errors[0] as Error | undefined)?.message : undefined) || "";
  if (code && detail.includes(code)) return detail;
  return [code, detail].filter(Boolean).join(": ") || "no answer";
}

/** A request that got no answer (as the Graph client wraps it, or bare): not an abort, not an HTTP error. */
export function isNoAnswer(err: unknown): boolean {
  if (err instanceof GraphUnreachableError) return true;
  const { statusCode, code } = (err ?? {}) as { statusCode?: unknown; code?: unknown };
  return statusCode === -1 && code === "GraphUnreachable";
}
