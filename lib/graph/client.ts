import {
  AuthenticationHandler,
  Client,
  type Context,
  type Middleware,
  RedirectHandler,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
} from "@microsoft/microsoft-graph-client";
import { type AccessToken, type AppCredentials, requestAppToken } from "./identity";
import { GraphMetricsHandler } from "./metrics-handler";
import { mayResend } from "./resend-policy";
import { createHttpFetch, type HttpFetch } from "./transport";
import { WriteBudgetHandler, type WriteBudgetRate, type WriteGate } from "./write-budget";

export type GraphConfig = {
  graphUrl: string;
  loginUrl: string;
  caFile?: string;
  /** Retries of 429/503/504 inside one call, honouring Retry-After (seconds or HTTP date). */
  maxRetries?: number;
  retryDelaySeconds?: number;
  /** Pace of Intune writes per tenant (lib/graph/write-budget.ts); INTUNE_WRITE_RATE when unset. */
  writeRate?: WriteBudgetRate;
};

/** The last link of the middleware chain: sends the request over our TLS-configured transport. */
class TransportHandler implements Middleware {
  constructor(private readonly http: HttpFetch) {}
  async execute(context: Context): Promise<void> {
    context.response = await this.http(context.request as string, context.options as RequestInit);
  }
}

const resendable = (
  _delay: number,
  _attempt: number,
  request: RequestInfo,
  options: RequestInit | undefined,
  response: Response,
) =>
  mayResend({
    method: typeof request === "string" ? options?.method : request.method,
    url: typeof request === "string" ? request : request.url,
    status: response.status,
  });

function createClient(config: GraphConfig, getAccessToken: () => Promise<string>, writeGate?: WriteGate): Client {
  const http = createHttpFetch(config.caFile);
  const chain: Middleware[] = [
    new AuthenticationHandler({ getAccessToken }),
    // A 429 without Retry-After is retried after delay, then delay + 2, + 4, + 8 … s (at most 180 s each).
    // Only requests a second copy cannot harm are resent (lib/graph/resend-policy.ts): never a create after a 5xx.
    new RetryHandler(new RetryHandlerOptions(config.retryDelaySeconds ?? 3, config.maxRetries ?? 6, resendable)),
    // After the retries, so every attempt of a write waits for the tenant's budget.
    ...(writeGate ? [new WriteBudgetHandler(writeGate)] : []),
    new RedirectHandler(),
    new TelemetryHandler(),
    new GraphMetricsHandler(),
    new TransportHandler(http),
  ];
  chain.reduce((prev, next) => {
    (prev as { setNext?: (m: Middleware) => void }).setNext?.(next);
    return next;
  });
  return Client.initWithMiddleware({
    middleware: chain[0],
    baseUrl: `${config.graphUrl}/`,
    customHosts: new Set([new URL(config.graphUrl).hostname]),
  });
}

/** An app-only Graph client and the access token it currently sends. */
export type AppGraphSession = { client: Client; accessToken(): Promise<string> };

/**
 * App-only Graph access for one tenant (client credentials). Used by workers only. The first token
 * is fetched here, so a sign-in the identity platform refuses surfaces as its own error (the
 * Graph client would wrap it); it is renewed five minutes before it expires.
 */
export async function createAppGraphSession(
  config: GraphConfig,
  credentials: AppCredentials,
  { writeGate }: { writeGate?: WriteGate } = {},
): Promise<AppGraphSession> {
  const http = createHttpFetch(config.caFile);
  const request = () => requestAppToken(http, { loginUrl: config.loginUrl, graphUrl: config.graphUrl, credentials });
  let current: AccessToken = await request();
  const accessToken = async () => {
    if (current.expiresAt - Date.now() < 5 * 60_000) current = await request();
    return current.token;
  };
  return { client: createClient(config, accessToken, writeGate), accessToken };
}

export async function createAppGraphClient(
  config: GraphConfig,
  credentials: AppCredentials,
  options: { writeGate?: WriteGate } = {},
): Promise<Client> {
  return (await createAppGraphSession(config, credentials, options)).client;
}

/**
 * Graph client acting as the signed-in user (their delegated token), for a request the user asked
 * for. Few retries: someone is waiting for the answer.
 */
export function createUserGraphClient(config: GraphConfig, accessToken: string): Client {
  return createClient({ ...config, maxRetries: Math.min(config.maxRetries ?? 2, 2) }, async () => accessToken);
}
