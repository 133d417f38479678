import { createHash, randomBytes } from "node:crypto";
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { type EmulatorEnv, type EmulatorState, findTenant } from "./app";
import { grantedRoles } from "./authorization";
import type { EmulatedApp, EmulatedTenant, EmulatedUser } from "./directory";
import { identityError } from "./graph-errors";

/**
 * The identity platform, v2 endpoints: client credentials for the console's workers, and OpenID
 * Connect with authorization code (+ PKCE) and refresh tokens for people who sign in with
 * Microsoft. The sign-in page lists the tenant's demo users; choosing one is signing in.
 */
type Grant = {
  tenantId: string;
  clientId: string;
  userId: string;
  scope: string;
  redirectUri: string;
  nonce?: string;
  challenge?: string;
  expires: number;
};
export type SignInState = {
  codes: Map<string, Grant>;
  refreshTokens: Map<string, Omit<Grant, "redirectUri" | "nonce" | "challenge" | "expires">>;
};

const token = () => randomBytes(24).toString("base64url");
const issuerOf = (origin: string, tenantId: string) => `${origin}/${tenantId}/v2.0`;
const OIDC_SCOPES = ["openid", "profile", "email", "offline_access"];

/**
 * The Graph permissions a delegated request asks for. A scope names its resource by URI
 * ("https://graph.microsoft.us/Group.Read.All"); a bare name ("User.Read") means Microsoft Graph
 * (learn.microsoft.com/graph/sdks/national-clouds, "Permission scopes"). The emulator is one Graph,
 * whose resource URI is its audience: a scope for any other resource names what this tenant does
 * not have.
 */
function graphPermissions(scope: string, audience: string): { permissions: string[] } | { unknownResource: string } {
  const permissions: string[] = [];
  for (const s of scope.split(" ").filter((part) => part && !OIDC_SCOPES.includes(part))) {
    const slash = s.lastIndexOf("/");
    if (slash === -1) permissions.push(s);
    else if (s.slice(0, slash) === audience) permissions.push(s.slice(slash + 1));
    else return { unknownResource: s.slice(0, slash) };
  }
  return { permissions };
}

/** AADSTS500011: the resource a scope names is not known in the tenant (e.g. another cloud's Graph). */
const unknownResource = (c: Context<EmulatorEnv>, resource: string, tenant: EmulatedTenant) =>
  identityError(
    c,
    400,
    "invalid_resource",
    500011,
    `The resource principal named ${resource} was not found in the tenant named ${tenant.displayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
  );

function authenticateClient(
  c: Context<EmulatorEnv>,
  tenant: EmulatedTenant,
  form: Record<string, unknown>,
): EmulatedApp | Response {
  let clientId = String(form.client_id ?? "");
  let secret = form.client_secret === undefined ? undefined : String(form.client_secret);
  const basic = /^Basic (.+)$/i.exec(c.req.header("authorization") ?? "");
  if (basic) {
    const [id, pass] = Buffer.from(basic[1]!, "base64").toString("utf8").split(":").map(decodeURIComponent);
    clientId = id ?? clientId;
    secret = pass;
  }
  const app = tenant.apps.find((a) => a.clientId === clientId.toLowerCase());
  if (!app) {
    return identityError(
      c,
      400,
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    );
  }
  if (secret !== app.clientSecret) {
    return identityError(
      c,
      401,
      "invalid_client",
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
    );
  }
  return app;
}

export function registerIdentityRoutes(app: Hono<EmulatorEnv>, state: EmulatorState) {
  const tenantOr404 = (c: Context<EmulatorEnv>) => findTenant(state, c.req.param("tenant")!);
  const unknownTenant = (c: Context<EmulatorEnv>) =>
    identityError(
      c,
      400,
      "invalid_request",
      90002,
      `Tenant '${c.req.param("tenant")}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    );

  app.get("/:tenant/v2.0/.well-known/openid-configuration", (c) => {
    const tenant = tenantOr404(c);
    if (!tenant) return unknownTenant(c);
    const origin = new URL(c.req.url).origin;
    return c.json({
      issuer: issuerOf(origin, tenant.tenantId),
      authorization_endpoint: `${origin}/${tenant.tenantId}/oauth2/v2.0/authorize`,
      token_endpoint: `${origin}/${tenant.tenantId}/oauth2/v2.0/token`,
      jwks_uri: `${origin}/${tenant.tenantId}/discovery/v2.0/keys`,
      end_session_endpoint: `${origin}/${tenant.tenantId}/oauth2/v2.0/logout`,
      response_types_supported: ["code"],
      response_modes_supported: ["query"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
      code_challenge_methods_supported: ["S256"],
      claims_supported: [
        "sub",
        "iss",
        "aud",
        "exp",
        "iat",
        "name",
        "preferred_username",
        "email",
        "oid",
        "tid",
        "nonce",
      ],
      tenant_region_scope: "EU",
    });
  });

  app.get("/:tenant/discovery/v2.0/keys", async (c) =>
    tenantOr404(c) ? c.json(await state.issuer.jwks()) : unknownTenant(c),
  );

  // The sign-in page: pick a demo user of the tenant.
  app.get("/:tenant/oauth2/v2.0/authorize", (c) => {
    const tenant = tenantOr404(c);
    if (!tenant) return unknownTenant(c);
    const q = c.req.query();
    const client = tenant.apps.find((a) => a.clientId === (q.client_id ?? "").toLowerCase());
    if (!client)
      return identityError(
        c,
        400,
        "unauthorized_client",
        700016,
        `Application with identifier '${q.client_id}' was not found in the directory '${tenant.displayName}'.`,
      );
    if (q.response_type !== "code" || !q.redirect_uri)
      return identityError(
        c,
        400,
        "invalid_request",
        900144,
        "The request body must contain the following parameter: 'response_type=code' and 'redirect_uri'.",
      );
    const requested = graphPermissions(q.scope ?? "", state.audience);
    if ("unknownResource" in requested) return unknownResource(c, requested.unknownResource, tenant);
    return c.html(html`<!doctype html>
      <html lang="en">
        <head><meta charset="utf-8" /><title>Sign in to your account</title>
          <style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}button{display:block;width:100%;margin:.5rem 0;padding:.75rem;font-size:1rem;text-align:left;cursor:pointer}</style>
        </head>
        <body>
          <h1>Sign in</h1>
          <p>${tenant.displayName} (emulated Microsoft Entra ID) · ${client.displayName}</p>
          <form method="post">
            ${Object.entries(q).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`)}
            ${tenant.users.map((u) => html`<button type="submit" name="user" value="${u.id}">${u.displayName}<br /><small>${u.userPrincipalName}</small></button>`)}
          </form>
        </body>
      </html>`);
  });

  app.post("/:tenant/oauth2/v2.0/authorize", async (c) => {
    const tenant = tenantOr404(c);
    if (!tenant) return unknownTenant(c);
    const form = (await c.req.parseBody()) as Record<string, string>;
    const user = tenant.users.find((u) => u.id === form.user);
    if (!user || !form.redirect_uri || !form.client_id)
      return identityError(c, 400, "invalid_request", 900144, "The sign-in was not completed.");
    const requested = graphPermissions(form.scope ?? "", state.audience);
    if ("unknownResource" in requested) return unknownResource(c, requested.unknownResource, tenant);
    const code = token();
    state.signIns.codes.set(code, {
      tenantId: tenant.tenantId,
      clientId: form.client_id.toLowerCase(),
      userId: user.id,
      scope: form.scope ?? "openid profile",
      redirectUri: form.redirect_uri,
      nonce: form.nonce,
      challenge: form.code_challenge,
      expires: Date.now() + 5 * 60_000,
    });
    const target = new URL(form.redirect_uri);
    target.searchParams.set("code", code);
    if (form.state) target.searchParams.set("state", form.state);
    return c.redirect(target.toString(), 302);
  });

  app.post("/:tenant/oauth2/v2.0/token", async (c) => {
    const form = (await c.req.parseBody()) as Record<string, string>;
    const tenant = tenantOr404(c);
    if (!tenant) return unknownTenant(c);
    const client = authenticateClient(c, tenant, form);
    if (client instanceof Response) return client;
    const origin = new URL(c.req.url).origin;

    if (form.grant_type === "client_credentials") {
      const scope = String(form.scope ?? "");
      if (!scope.endsWith("/.default")) {
        return identityError(
          c,
          400,
          "invalid_scope",
          1002012,
          `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
        );
      }
      // The token is for the resource the scope names, which must be this Graph (its audience).
      const resource = scope.slice(0, -"/.default".length);
      if (resource !== state.audience) return unknownResource(c, resource, tenant);
      const { token: accessToken, expiresIn } = await state.issuer.issueAppToken(tenant.tenantId, client.clientId, {
        audience: state.audience,
        roles: grantedRoles(state.access, tenant.tenantId, client.clientId),
      });
      return c.json({
        token_type: "Bearer",
        expires_in: expiresIn,
        ext_expires_in: expiresIn,
        access_token: accessToken,
      });
    }

    let grant: Omit<Grant, "redirectUri" | "expires" | "challenge"> | undefined;
    if (form.grant_type === "authorization_code") {
      const pending = state.signIns.codes.get(form.code ?? "");
      state.signIns.codes.delete(form.code ?? "");
      const challengeOk =
        !pending?.challenge ||
        createHash("sha256")
          .update(form.code_verifier ?? "")
          .digest("base64url") === pending.challenge;
      if (
        !pending ||
        pending.expires < Date.now() ||
        pending.clientId !== client.clientId ||
        pending.redirectUri !== form.redirect_uri ||
        !challengeOk
      ) {
        return identityError(
          c,
          400,
          "invalid_grant",
          70000,
          "The provided authorization code or PKCE verifier is invalid, expired or was issued for another client.",
        );
      }
      grant = pending;
    } else if (form.grant_type === "refresh_token") {
      const previous = state.signIns.refreshTokens.get(form.refresh_token ?? "");
      state.signIns.refreshTokens.delete(form.refresh_token ?? "");
      if (!previous || previous.clientId !== client.clientId) {
        return identityError(
          c,
          400,
          "invalid_grant",
          700082,
          "The refresh token has expired or was revoked. Sign in again.",
        );
      }
      grant = previous;
    } else {
      return identityError(c, 400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
    }

    const user = tenant.users.find((u) => u.id === grant.userId) as EmulatedUser;
    const refreshToken = token();
    state.signIns.refreshTokens.set(refreshToken, {
      tenantId: grant.tenantId,
      clientId: grant.clientId,
      userId: grant.userId,
      scope: grant.scope,
    });
    const requested = graphPermissions(grant.scope, state.audience);
    if ("unknownResource" in requested) return unknownResource(c, requested.unknownResource, tenant);
    // Consent is taken as given: the token carries every Graph permission the sign-in asked for.
    const scope = requested.permissions.join(" ") || "User.Read";
    return c.json({
      token_type: "Bearer",
      scope,
      expires_in: state.userTokenSeconds,
      ext_expires_in: state.userTokenSeconds,
      access_token: await state.issuer.issueUserToken(tenant.tenantId, client.clientId, {
        audience: state.audience,
        user,
        scope,
        lifetimeSeconds: state.userTokenSeconds,
      }),
      refresh_token: refreshToken,
      id_token: await state.issuer.issueIdToken(
        issuerOf(origin, tenant.tenantId),
        tenant.tenantId,
        client.clientId,
        user,
        "nonce" in grant ? grant.nonce : undefined,
      ),
    });
  });
}
