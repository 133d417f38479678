import { OperationError } from "@/lib/operations/errors";
import type { HttpFetch } from "./transport";

export type AppCredentials = { tenantGuid: string; clientId: string; clientSecret: string };
export type AccessToken = { token: string; expiresAt: number };

/**
 * What the identity platform's AADSTS codes mean for an operator, in plain words. The code itself
 * is kept in the message so it can be looked up.
 */
const PLAIN_WORDS: Record<number, string> = {
  90002: "Microsoft Entra ID does not know this tenant ID. Check the tenant GUID.",
  900023: "The tenant ID is not a valid tenant GUID or domain name.",
  700016:
    "The application (client) ID was not found in this tenant. Check the client ID and that the app is registered and consented in this tenant.",
  7000215:
    "The client secret is wrong for this application. Create a new secret in the app registration and update the tenant.",
  7000222: "The client secret has expired. Create a new secret in the app registration and update the tenant.",
  7000112: "The application is disabled in this tenant.",
};

/** App-only access token by client credentials (OAuth 2.0 v2 endpoint). */
export async function requestAppToken(
  http: HttpFetch,
  { loginUrl, graphUrl, credentials }: { loginUrl: string; graphUrl: string; credentials: AppCredentials },
): Promise<AccessToken> {
  let response: Response;
  try {
    response = await http(`${loginUrl}/${encodeURIComponent(credentials.tenantGuid)}/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        scope: `${graphUrl}/.default`,
      }),
    });
  } catch (err) {
    throw new OperationError(
      "identity_unreachable",
      `The identity platform could not be reached: ${(err as Error).message}`,
      { retryable: true },
    );
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.ok && typeof body.access_token === "string") {
    return { token: body.access_token, expiresAt: Date.now() + Number(body.expires_in ?? 3599) * 1000 };
  }
  const code = Array.isArray(body.error_codes) ? Number(body.error_codes[0]) : undefined;
  const description = String(body.error_description ?? `HTTP ${response.status}`).split(/\r?\n| Trace ID:/)[0];
  const plain = code !== undefined ? PLAIN_WORDS[code] : undefined;
  const message = plain ? `${plain} (${description?.split(":")[0]})` : `Sign-in for the app failed: ${description}`;
  throw new OperationError(`identity_${String(body.error ?? response.status)}`, message, {
    retryable: response.status >= 500 || response.status === 429,
  });
}
