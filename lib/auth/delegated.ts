import "server-only";
import { cookies } from "next/headers";
import { decode, encode, type JWT } from "next-auth/jwt";
import { env } from "@/lib/env";
import { refreshedDelegatedToken } from "./microsoft";
import { authOptions } from "./options";
import { sessionSecret } from "./secret";

/** next-auth splits a session cookie larger than this into `.0`, `.1`, … chunks. */
const CHUNK = 4096 - 163;

const cookieName = () => `${env().NEXTAUTH_URL?.startsWith("https://") ? "__Secure-" : ""}next-auth.session-token`;

async function readSessionToken(): Promise<JWT | null> {
  const jar = await cookies();
  const name = cookieName();
  const whole = jar.get(name)?.value;
  const chunks = jar
    .getAll()
    .filter((c) => c.name.startsWith(`${name}.`))
    .sort((a, b) => Number(a.name.slice(name.length + 1)) - Number(b.name.slice(name.length + 1)))
    .map((c) => c.value)
    .join("");
  const raw = whole ?? (chunks || undefined);
  return raw ? decode({ token: raw, secret: sessionSecret() }) : null;
}

async function writeSessionToken(token: JWT) {
  const jar = await cookies();
  const name = cookieName();
  const maxAge = authOptions().session?.maxAge ?? 8 * 60 * 60;
  const value = await encode({ token, secret: sessionSecret(), maxAge });
  const options = { httpOnly: true, sameSite: "lax" as const, path: "/", secure: name.startsWith("__Secure-"), maxAge };
  for (const c of jar.getAll()) if (c.name === name || c.name.startsWith(`${name}.`)) jar.delete(c.name);
  if (value.length <= CHUNK) jar.set(name, value, options);
  else
    for (let i = 0; i * CHUNK < value.length; i++)
      jar.set(`${name}.${i}`, value.slice(i * CHUNK, (i + 1) * CHUNK), options);
}

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
