import "server-only";
import { refreshedDelegatedToken } from "./microsoft";
import { readSessionToken, writeSessionToken } from "./session-token";

export type Delegated = { accessToken: string; tenantGuid?: string } | { missing: string };

/**
 * The signed-in user's delegated Microsoft token, for a server action about to call Graph on
 * their behalf. Refreshing happens only here: an action can write the session cookie, a
 * server-component render cannot — and the identity platform rotates refresh tokens, so a refresh
 * whose result is not stored would spend the only refresh token the session has.
 */
export async function delegatedToken(): Promise<Delegated> {
  const token = await readSessionToken();
  if (!token?.microsoft) return { missing: "This session has no Microsoft sign-in: you signed in with a password." };
  const fresh = await refreshedDelegatedToken(token);
  if (!fresh?.accessToken) {
    delete token.microsoft;
    await writeSessionToken(token);
    return { missing: "Your Microsoft sign-in has expired. Sign in with Microsoft again." };
  }
  if (fresh !== token.microsoft) await writeSessionToken({ ...token, microsoft: fresh });
  return { accessToken: fresh.accessToken, tenantGuid: token.microsoft.tenantGuid };
}
