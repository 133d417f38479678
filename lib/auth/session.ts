import "server-only";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { getServerSession } from "next-auth";
import { cache } from "react";
import { getDb } from "@/db/client";
import { type SessionUser, sessionUser } from "@/lib/account/sessions";
import { paths } from "@/lib/paths";
import type { Actor } from "./actor";
import { authOptions } from "./options";

export type { SessionUser };

/** This request's session (decoded once per request). */
const requestSession = cache(async () => {
  // Per request, never at build time: the session depends on the request's cookies.
  await connection();
  return getServerSession(authOptions());
});

/**
 * The signed-in user, re-read from the database so a deleted account — or a session signed out
 * from elsewhere (its epoch is old) — loses access at once.
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await requestSession();
  return sessionUser(getDb(), { uid: session?.user?.id, epoch: session?.epoch });
});

/** Whether this session holds a delegated Microsoft token, and for which tenant (the token stays in the cookie). */
export async function sessionMicrosoft(): Promise<{ tenantGuid?: string } | null> {
  const session = await requestSession();
  return session?.microsoft ? { tenantGuid: session.microsoftTenant } : null;
}

export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(paths.signIn());
  return user;
}

export function actorOf(user: SessionUser): Actor {
  return { userId: user.id, name: user.name };
}
