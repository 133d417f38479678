import { generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWTPayload } from "jose";

export const GRAPH_AUDIENCE = "https://graph.microsoft.com";

export type TokenIssuer = {
  issueAppToken(tenantId: string, clientId: string): Promise<{ token: string; expiresIn: number }>;
  verify(token: string): Promise<JWTPayload & { tid: string; appid?: string; idtyp?: string }>;
};

/** Signs access tokens the way the identity platform shapes them (v1 app-only claims). */
export async function createTokenIssuer(): Promise<TokenIssuer> {
  const { privateKey, publicKey } = (await generateKeyPair("RS256")) as { privateKey: CryptoKey; publicKey: CryptoKey };
  const keyId = crypto.randomUUID();
  const expiresIn = 3599;
  return {
    async issueAppToken(tenantId, clientId) {
      const token = await new SignJWT({
        tid: tenantId,
        appid: clientId,
        appidacr: "1",
        idtyp: "app",
        oid: clientId,
        roles: ["Organization.Read.All", "DeviceManagementConfiguration.ReadWrite.All", "Group.Read.All"],
        ver: "1.0",
      })
        .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: keyId })
        .setIssuer(`https://sts.windows.net/${tenantId}/`)
        .setAudience(GRAPH_AUDIENCE)
        .setSubject(clientId)
        .setIssuedAt()
        .setNotBefore("0s")
        .setExpirationTime(`${expiresIn}s`)
        .sign(privateKey);
      return { token, expiresIn };
    },
    async verify(token) {
      const { payload } = await jwtVerify(token, publicKey, { audience: GRAPH_AUDIENCE });
      if (typeof payload.tid !== "string") throw new Error("token has no tenant");
      return payload as JWTPayload & { tid: string };
    },
  };
}
