import "server-only";
import { cookies } from "next/headers";
import { env } from "@/lib/env";

/**
 * What a Microsoft sign-in carries through its round trip to the identity platform: short-lived,
 * httpOnly cookies scoped to next-auth's routes, read by its callbacks. Each holds a secret the
 * server checks against its own table — a link token (lib/account/link-requests.ts) or the invite
 * link's token — never an id a browser could swap for someone else's.
 */
const FLOWS = {
  link: "tenantatlas.link-microsoft",
  invite: "tenantatlas.invite",
} as const;
const TTL_SECONDS = 10 * 60;
const PATH = "/api/auth";

export type SignInFlow = keyof typeof FLOWS;

export async function setFlowCookie(flow: SignInFlow, token: string) {
  (await cookies()).set(FLOWS[flow], token, {
    httpOnly: true,
    sameSite: "lax",
    path: PATH,
    maxAge: TTL_SECONDS,
    secure: env().NEXTAUTH_URL?.startsWith("https://"),
  });
}

/** The flow's token, if the browser sent one; `consume` removes it (the sign-in that uses it). */
export async function flowCookie(flow: SignInFlow, { consume }: { consume: boolean }): Promise<string | null> {
  const jar = await cookies();
  const value = jar.get(FLOWS[flow])?.value ?? null;
  if (consume && value) jar.delete({ name: FLOWS[flow], path: PATH });
  return value;
}
