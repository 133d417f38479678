import pRetry from "p-retry";

// SQLSTATEs of a server that is gone or not yet back: connection exceptions (class 08), shutdowns
// (57P01 admin, 57P02 crash), "starting up" (57P03) and too many connections (53300).
const SERVER_GONE = /^(08|57P0[123]$|53300$)/;
// What node-postgres and the socket say when there is no server to speak to.
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENOTCONN"]);
const CLIENT_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Client was closed|Connection refused/i;

/**
 * Whether an error means the database could not be reached (a restart, a failover, a network cut)
 * rather than that a statement was wrong. Looks through wrappers (drizzle's DrizzleQueryError,
 * AggregateError of a multi-address connect) down to the driver's own error.
 */
export function isConnectionLost(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== "object" || depth > 5) return false;
  const { code, message, cause, errors } = err as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === "string" && (SERVER_GONE.test(code) || SOCKET_CODES.has(code))) return true;
  if (typeof message === "string" && CLIENT_MESSAGES.test(message)) return true;
  if (Array.isArray(errors) && errors.some((e) => isConnectionLost(e, depth + 1))) return true;
  return isConnectionLost(cause, depth + 1);
}

/**
 * Runs a database write again, with backoff (250 ms doubling to 2 s), for as long as it fails only
 * because the database is unreachable, up to `maxWaitMs`. For bookkeeping that must not be lost to
 * an outage (an attempt's error, a run's completion): the worker is alive and can still say what
 * happened once the database is back. Any other error is thrown at once.
 */
export function retryWhileUnreachable<T>(write: () => Promise<T>, { maxWaitMs }: { maxWaitMs: number }): Promise<T> {
  return pRetry(write, {
    retries: Number.POSITIVE_INFINITY,
    minTimeout: 250,
    maxTimeout: 2_000,
    maxRetryTime: maxWaitMs,
    shouldRetry: ({ error }) => isConnectionLost(error),
  });
}
