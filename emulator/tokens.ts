import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, jwtVerify, SignJWT } from "jose";

export type SignedInUser = { id: string; displayName: string; userPrincipalName: string };

/** The Graph resource a token is for (its `aud`) and what it grants: application `roles` or delegated `scp`. */
export type AppGrant = { audience: string; roles: readonly string[] };
export type UserGrant = { audience: string; user: SignedInUser; scope: string; lifetimeSeconds: number };

export type TokenIssuer = {
  issueAppToken(tenantId: string, clientId: string, grant: AppGrant): Promise<{ token: string; expiresIn: number }>;
  /** A delegated access token: the user's, for the app, with its scopes (`scp`). */
  issueUserToken(tenantId: string, clientId: string, grant: UserGrant): Promise<string>;
  /** An OpenID Connect ID token for the app (audience = client id). */
  issueIdToken(
    issuer: string,
    tenantId: string,
    clientId: string,
    user: SignedInUser,
    nonce: string | undefined,
  ): Promise<string>;
  jwks(): Promise<{ keys: JWK[] }>;
  /** The token's claims, if this issuer signed it for `audience` and it has not expired. */
  verify(token: string, audience: string): Promise<AccessClaims>;
};

export type AccessClaims = JWTPayload & {
  tid: string;
  appid?: string;
  idtyp?: string;
  roles?: string[];
  scp?: string;
};

/** Signs access tokens the way the identity platform shapes them (v1 app-only claims). */
export async function createTokenIssuer(): Promise<TokenIssuer> {
  const { privateKey, publicKey } = (await generateKeyPair("RS256")) as { privateKey: CryptoKey; publicKey: CryptoKey };
  const keyId = crypto.randomUUID();
  const expiresIn = 3599;
  return {
    async issueAppToken(tenantId, clientId, { audience, roles }) {
      const token = await new SignJWT({
        tid: tenantId,
        appid: clientId,
        appidacr: "1",
        idtyp: "app",
        oid: clientId,
        roles: [...roles],
        ver: "1.0",
      })
        .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: keyId })
        .setIssuer(`https://sts.windows.net/${tenantId}/`)
        .setAudience(audience)
        .setSubject(clientId)
        .setIssuedAt()
        .setNotBefore("0s")
        .setExpirationTime(`${expiresIn}s`)
        .sign(privateKey);
      return { token, expiresIn };
    },
    async issueUserToken(tenantId, clientId, { audience, user, scope, lifetimeSeconds }) {
      return new SignJWT({
        tid: tenantId,
        appid: clientId,
        idtyp: "user",
        oid: user.id,
        upn: user.userPrincipalName,
        name: user.displayName,
        scp: scope,
        ver: "1.0",
      })
        .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: keyId })
        .setIssuer(`https://sts.windows.net/${tenantId}/`)
        .setAudience(audience)
        .setSubject(user.id)
        .setIssuedAt()
        .setNotBefore("0s")
        .setExpirationTime(`${lifetimeSeconds}s`)
        .sign(privateKey);
    },
    async issueIdToken(issuer, tenantId, clientId, user, nonce) {
      return new SignJWT({
        tid: tenantId,
        oid: user.id,
        name: user.displayName,
        preferred_username: user.userPrincipalName,
        email: user.userPrincipalName,
        ver: "2.0",
        ...(nonce ? { nonce } : {}),
      })
        .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: keyId })
        .setIssuer(issuer)
        .setAudience(clientId)
        .setSubject(user.id)
        .setIssuedAt()
        .setNotBefore("0s")
        .setExpirationTime("1h")
        .sign(privateKey);
    },
    async jwks() {
      return { keys: [{ ...(await exportJWK(publicKey)), kid: keyId, use: "sig", alg: "RS256" }] };
    },
    async verify(token, audience) {
      const { payload } = await jwtVerify(token, publicKey, { audience });
      if (typeof payload.tid !== "string") throw new Error("token has no tenant");
      return payload as AccessClaims;
    },
  };
}
