/**
 * The application permissions an app-only access token carries (its `roles` claim: what an
 * administrator consented for the app in that tenant; IntuneManagement reads them the same way,
 * Extensions/MSALAuthentication.psm1). For diagnostics only — telling an operator what to grant —
 * never for identity or access decisions: the payload is decoded, not verified, because the console
 * is the token's client, not its audience; Graph is what verifies it. The identity platform treats
 * access tokens as opaque to clients, so a token that does not decode gives `undefined` ("could not
 * tell"), never "no permissions".
 */
export function applicationPermissionsOf(accessToken: string): string[] | undefined {
  const payload = accessToken.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { roles?: unknown };
    if (claims.roles === undefined) return [];
    return Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === "string") : undefined;
  } catch {
    return undefined;
  }
}
