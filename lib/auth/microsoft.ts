import "server-only";
import type { JWT } from "next-auth/jwt";
import AzureADProvider from "next-auth/providers/azure-ad";
import { env } from "@/lib/env";
import { delegatedScopes, openIdConfigurationUrl } from "./microsoft-endpoints";

/**
 * "Sign in with Microsoft", when the console has an app registration for it. The profile step is
 * replaced so that sign-in never calls Graph (the stock one downloads a photo), and claims come
 * from the verified ID token.
 */
export function microsoftProvider() {
  const e = env();
  if (!e.MICROSOFT_CLIENT_ID || !e.MICROSOFT_CLIENT_SECRET) return null;
  return AzureADProvider({
    clientId: e.MICROSOFT_CLIENT_ID,
    clientSecret: e.MICROSOFT_CLIENT_SECRET,
    tenantId: e.MICROSOFT_TENANT_ID,
    wellKnown: openIdConfigurationUrl(e),
    authorization: { params: { scope: delegatedScopes(e.GRAPH_URL) } },
    idToken: true,
    checks: ["pkce", "state"],
    profile(profile) {
      return {
        id: String(profile.oid ?? profile.sub),
        name: String(profile.name ?? profile.preferred_username),
        email: String(profile.preferred_username ?? profile.email ?? ""),
      };
    },
  });
}

export type DelegatedToken = { accessToken?: string; refreshToken?: string; expiresAt: number; tenantGuid?: string };

/**
 * The delegated token, refreshed when it has less than a minute left (the same object when it
 * needs no refresh; undefined when it cannot be refreshed). The caller stores the result.
 */
export async function refreshedDelegatedToken(token: JWT): Promise<DelegatedToken | undefined> {
  const current = token.microsoft as DelegatedToken | undefined;
  if (!current || current.expiresAt - Date.now() > 60_000) return current;
  const e = env();
  if (!current.refreshToken || !e.MICROSOFT_CLIENT_ID || !e.MICROSOFT_CLIENT_SECRET) return undefined;
  try {
    const discovery = (await (await fetch(openIdConfigurationUrl(e))).json()) as { token_endpoint: string };
    const response = await fetch(discovery.token_endpoint, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: current.refreshToken,
        client_id: e.MICROSOFT_CLIENT_ID,
        client_secret: e.MICROSOFT_CLIENT_SECRET,
        scope: delegatedScopes(e.GRAPH_URL),
      }),
    });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { access_token: string; refresh_token?: string; expires_in: number };
    return {
      ...current,
      accessToken: body.access_token,
      refreshToken: body.refresh_token ?? current.refreshToken,
      expiresAt: Date.now() + body.expires_in * 1000,
    };
  } catch {
    return undefined;
  }
}
