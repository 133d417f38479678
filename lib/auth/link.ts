import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { cookies } from "next/headers";
import { env } from "@/lib/env";
import { sessionSecret } from "./secret";

/**
 * "Link my Microsoft sign-in": a signed-in console user asks for it, the Microsoft sign-in that
 * follows finds this short-lived cookie, and the identity is linked to that user instead of
 * choosing an account by email. Signed with the session secret and bound to the user's id.
 */
const COOKIE = "tenantatlas.link-microsoft";
const TTL_MS = 10 * 60 * 1000;

const sign = (payload: string) => createHmac("sha256", sessionSecret()).update(`link:${payload}`).digest("base64url");

export async function requestMicrosoftLink(userId: string) {
  const payload = `${userId}.${Date.now() + TTL_MS}`;
  (await cookies()).set(COOKIE, `${payload}.${sign(payload)}`, {
    httpOnly: true,
    sameSite: "lax",
    path: "/api/auth",
    maxAge: TTL_MS / 1000,
    secure: env().NEXTAUTH_URL?.startsWith("https://"),
  });
}

/** The user a Microsoft sign-in in progress should be linked to, if one asked; `consume` ends the request. */
export async function microsoftLinkRequest({ consume }: { consume: boolean }): Promise<string | null> {
  const jar = await cookies();
  const value = jar.get(COOKIE)?.value;
  if (!value) return null;
  if (consume) jar.delete({ name: COOKIE, path: "/api/auth" });
  const [userId, expires, mac] = value.split(".");
  if (!userId || !expires || !mac) return null;
  const expected = Buffer.from(sign(`${userId}.${expires}`));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given) || Number(expires) < Date.now())
    return null;
  return userId;
}
