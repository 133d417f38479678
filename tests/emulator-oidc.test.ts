import { createHash, randomBytes } from "node:crypto";
import { createLocalJWKSet, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { createHttpFetch } from "@/lib/graph/transport";
import { emulatorAdmin, emulatorUrl, graphConfig } from "./support/harness";
import { claimEmulatedTenant } from "./support/tenants";

/** Signing in with Microsoft against the emulator, the way an OpenID Connect client does. */
const http = createHttpFetch(graphConfig.caFile);
const tenant = claimEmulatedTenant(import.meta.url);
const app = tenant.apps[0]!;
const redirectUri = "http://localhost:3000/api/auth/callback/azure-ad";

async function signIn(userIndex: number) {
  const discovery = (await (
    await http(`${emulatorUrl}/${tenant.tenantId}/v2.0/.well-known/openid-configuration`)
  ).json()) as Record<string, string>;
  const verifier = randomBytes(32).toString("base64url");
  const params = new URLSearchParams({
    client_id: app.clientId,
    response_type: "code",
    redirect_uri: redirectUri,
    scope: `openid profile email offline_access ${emulatorUrl}/GroupMember.Read.All`,
    state: "st-1",
    nonce: "n-1",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  });
  const page = await http(`${discovery.authorization_endpoint}?${params}`);
  const htmlText = await page.text();
  const form = new URLSearchParams(params);
  form.set("user", tenant.users[userIndex]!.id);
  const chosen = await http(`${discovery.authorization_endpoint}`, { method: "POST", body: form, redirect: "manual" });
  const callback = new URL(chosen.headers.get("location")!);
  const exchange = await http(discovery.token_endpoint!, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: callback.searchParams.get("code")!,
      redirect_uri: redirectUri,
      client_id: app.clientId,
      client_secret: app.clientSecret,
      code_verifier: verifier,
    }),
  });
  return { discovery, htmlText, callback, tokens: (await exchange.json()) as Record<string, string> };
}

describe("Graph emulator: Microsoft sign-in (OpenID Connect)", () => {
  it("signs a demo user in with authorization code + PKCE and returns verifiable tokens", async () => {
    const { discovery, htmlText, callback, tokens } = await signIn(0);
    expect(discovery.issuer).toBe(`${emulatorUrl}/${tenant.tenantId}/v2.0`);
    expect(htmlText).toContain(tenant.users[0]!.displayName);
    expect(callback.origin + callback.pathname).toBe(redirectUri);
    expect(callback.searchParams.get("state")).toBe("st-1");
    expect(Object.keys(tokens).sort()).toEqual([
      "access_token",
      "expires_in",
      "ext_expires_in",
      "id_token",
      "refresh_token",
      "scope",
      "token_type",
    ]);

    const jwks = createLocalJWKSet(
      (await (await http(discovery.jwks_uri!)).json()) as Parameters<typeof createLocalJWKSet>[0],
    );
    const { payload } = await jwtVerify(tokens.id_token!, jwks, { issuer: discovery.issuer, audience: app.clientId });
    expect(payload).toMatchObject({
      preferred_username: tenant.users[0]!.userPrincipalName,
      nonce: "n-1",
      tid: tenant.tenantId,
    });
  });

  it("accepts the user's token on Graph and tells it apart from the app's", async () => {
    const { tokens } = await signIn(1);
    const before =
      ((await (await emulatorAdmin("/requests")).json()) as { callers: Record<string, { user: number }> }).callers[
        "GET /v1.0/groups"
      ]?.user ?? 0;
    const search = await http(`${emulatorUrl}/v1.0/groups?$search="displayName:finance"&$top=5`, {
      headers: { authorization: `Bearer ${tokens.access_token}`, ConsistencyLevel: "eventual" },
    });
    expect(search.status).toBe(200);
    const after = ((await (await emulatorAdmin("/requests")).json()) as { callers: Record<string, { user: number }> })
      .callers["GET /v1.0/groups"]!.user;
    expect(after).toBe(before + 1);
  });

  it("refreshes with the refresh token once, and refuses a wrong PKCE verifier or a reused code", async () => {
    const { discovery, tokens } = await signIn(0);
    const refresh = (refresh_token: string) =>
      http(discovery.token_endpoint!, {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "refresh_token",
          refresh_token,
          client_id: app.clientId,
          client_secret: app.clientSecret,
        }),
      });
    const renewed = await refresh(tokens.refresh_token!);
    expect(renewed.status).toBe(200);
    expect(((await renewed.json()) as { access_token: string }).access_token).toBeTruthy();
    expect((await refresh(tokens.refresh_token!)).status).toBe(400); // rotated: the old one is spent

    const bad = await http(discovery.token_endpoint!, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: "not-a-code",
        redirect_uri: redirectUri,
        client_id: app.clientId,
        client_secret: app.clientSecret,
        code_verifier: "x",
      }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe("invalid_grant");
  });
});
