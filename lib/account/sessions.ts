import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { recordAccountChange } from "./audit";

export type SessionUser = { id: string; name: string; email: string };

/** What a session token says about its user: who, and the epoch it was issued in. */
export type SessionClaims = { uid?: string; epoch?: number };

/**
 * The user a session names, re-read from the database on every request, or null when the account
 * is gone or the session's epoch is older than the account's (signed out elsewhere, password
 * changed). The epoch rides on the primary-key read the console did anyway: no extra query.
 * Tokens issued before epochs existed carry none and count as epoch 0.
 */
export async function sessionUser(db: DbOrTx, claims: SessionClaims): Promise<SessionUser | null> {
  if (!claims.uid) return null;
  const [user] = await db
    .select({ id: users.id, name: users.name, email: users.email, epoch: users.sessionEpoch })
    .from(users)
    .where(eq(users.id, claims.uid));
  if (!user || user.epoch !== (claims.epoch ?? 0)) return null;
  return { id: user.id, name: user.name, email: user.email };
}

/** The epoch a session signed in now gets. */
export async function currentSessionEpoch(db: DbOrTx, userId: string): Promise<number> {
  const [user] = await db.select({ epoch: users.sessionEpoch }).from(users).where(eq(users.id, userId));
  return user?.epoch ?? 0;
}

/** Makes every session issued so far invalid; answers the new epoch, which the caller's own session takes. */
export async function bumpSessionEpoch(tx: DbOrTx, userId: string): Promise<number> {
  const [user] = await tx
    .update(users)
    .set({ sessionEpoch: sql`${users.sessionEpoch} + 1` })
    .where(eq(users.id, userId))
    .returning({ epoch: users.sessionEpoch });
  return user!.epoch;
}

/** "Sign out other sessions": every session but the one that asked (it is re-issued with the answer). */
export async function signOutOtherSessions(db: Db, { actor }: { actor: Actor }): Promise<number> {
  return db.transaction(async (tx) => {
    const epoch = await bumpSessionEpoch(tx, actor.userId);
    await recordAccountChange(tx, { actor, action: "auth.sessions_revoke" });
    return epoch;
  });
}
