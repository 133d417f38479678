import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Graph's error envelope, with the request id Graph also sends as a header. */
export function graphError(c: Context, status: ContentfulStatusCode, code: string, message: string) {
  const requestId = c.res.headers.get("request-id") ?? c.get("requestId");
  return c.json(
    {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().slice(0, 19),
          "request-id": requestId,
          "client-request-id": requestId,
        },
      },
    },
    status,
  );
}

/** The identity platform's OAuth error body (what login.microsoftonline.com answers). */
export function identityError(
  c: Context,
  status: ContentfulStatusCode,
  error: string,
  aadsts: number,
  description: string,
) {
  const traceId = crypto.randomUUID();
  const timestamp = new Date().toISOString().replace("T", " ").slice(0, 19) + "Z";
  return c.json(
    {
      error,
      error_description: `AADSTS${aadsts}: ${description} Trace ID: ${traceId} Correlation ID: ${crypto.randomUUID()} Timestamp: ${timestamp}`,
      error_codes: [aadsts],
      timestamp,
      trace_id: traceId,
      error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
    },
    status,
  );
}
