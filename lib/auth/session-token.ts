import "server-only";
import { cookies } from "next/headers";
import { decode, encode, type JWT } from "next-auth/jwt";
import { env } from "@/lib/env";
import { authOptions } from "./options";
import { sessionSecret } from "./secret";

/** next-auth splits a session cookie larger than this into `.0`, `.1`, … chunks. */
const CHUNK = 4096 - 163;

const cookieName = () => `${env().NEXTAUTH_URL?.startsWith("https://") ? "__Secure-" : ""}next-auth.session-token`;

/** This request's session JWT, decoded (whole or chunked cookie). */
export async function readSessionToken(): Promise<JWT | null> {
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

/** Rewrites this browser's session cookie (server actions and route handlers only). */
export async function writeSessionToken(token: JWT) {
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

/** Keeps the caller's own session alive across an epoch bump: it is re-issued with the new epoch. */
export async function reissueSession(epoch: number) {
  const token = await readSessionToken();
  if (token) await writeSessionToken({ ...token, epoch });
}
