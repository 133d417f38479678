import "server-only";
import { eq } from "drizzle-orm";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { getServerSession } from "next-auth";
import { cache } from "react";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { paths } from "@/lib/paths";
import type { Actor } from "./actor";
import { authOptions } from "./options";

export type SessionUser = { id: string; name: string; email: string };

/** This request's session (decoded once per request). */
const requestSession = cache(async () => {
  // Per request, never at build time: the session depends on the request's cookies.
  await connection();
  return getServerSession(authOptions());
});

/** The signed-in user, re-read from the database so a deleted account loses access at once. */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await requestSession();
  const id = session?.user?.id;
  if (!id) return null;
  const [user] = await getDb()
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(eq(users.id, id));
  return user ?? null;
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
