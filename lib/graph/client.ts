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
import { createHttpFetch, type HttpFetch } from "./transport";

export type GraphConfig = {
  graphUrl: string;
  loginUrl: string;
  caFile?: string;
  /** Retries of 429/503/504 inside one call, honouring Retry-After (seconds or HTTP date). */
  maxRetries?: number;
  retryDelaySeconds?: number;
};

/** The last link of the middleware chain: sends the request over our TLS-configured transport. */
class TransportHandler implements Middleware {
  constructor(private readonly http: HttpFetch) {}
  async execute(context: Context): Promise<void> {
    context.response = await this.http(context.request as string, context.options as RequestInit);
  }
}

function createClient(config: GraphConfig, getAccessToken: () => Promise<string>): Client {
  const http = createHttpFetch(config.caFile);
  const chain: Middleware[] = [
    new AuthenticationHandler({ getAccessToken }),
    new RetryHandler(new RetryHandlerOptions(config.retryDelaySeconds ?? 3, config.maxRetries ?? 6)),
    new RedirectHandler(),
    new TelemetryHandler(),
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
): Promise<AppGraphSession> {
  const http = createHttpFetch(config.caFile);
  const request = () => requestAppToken(http, { loginUrl: config.loginUrl, graphUrl: config.graphUrl, credentials });
  let current: AccessToken = await request();
  const accessToken = async () => {
    if (current.expiresAt - Date.now() < 5 * 60_000) current = await request();
    return current.token;
  };
  return { client: createClient(config, accessToken), accessToken };
}

export async function createAppGraphClient(config: GraphConfig, credentials: AppCredentials): Promise<Client> {
  return (await createAppGraphSession(config, credentials)).client;
}

/**
 * Graph client acting as the signed-in user (their delegated token), for a request the user asked
 * for. Few retries: someone is waiting for the answer.
 */
export function createUserGraphClient(config: GraphConfig, accessToken: string): Client {
  return createClient({ ...config, maxRetries: Math.min(config.maxRetries ?? 2, 2) }, async () => accessToken);
}
