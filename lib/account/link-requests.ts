import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { eq, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { identityLinkRequests } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { reauthenticate } from "./reauthenticate";

/** How recent the password confirmation behind a link must be (issue 12: five minutes). */
export const LINK_REAUTH_MINUTES = 5;

const hash = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");
const fresh = sql`${identityLinkRequests.reauthenticatedAt} > now() - make_interval(mins => ${LINK_REAUTH_MINUTES})`;

/**
 * The user confirmed their password to link a Microsoft account: records when (server-side) and
 * answers a random token (a cookie, lib/auth/flow-cookies.ts) for the browser to carry through the Microsoft sign-in. A wrong password
 * throws (see reauthenticate) and records nothing here.
 */
export async function createLinkRequest(db: DbOrTx, { actor, password }: { actor: Actor; password: string }) {
  await reauthenticate(db, { actor, password, action: "identity.link" });
  const token = randomBytes(32).toString("base64url");
  // One pending link per user: the newest confirmation replaces any older one.
  await db.delete(identityLinkRequests).where(eq(identityLinkRequests.userId, actor.userId));
  await db.insert(identityLinkRequests).values({ tokenHash: hash(token), userId: actor.userId });
  return token;
}

/** What a link token is: the user it links to, a confirmation too old to use, or nothing we issued. */
export type LinkRequest = { userId: string } | "expired" | null;

/**
 * Reads a link token; `consume` deletes it (the sign-in that uses it), so one confirmation links
 * one identity. Expired requests are swept on the way.
 */
export async function findLinkRequest(
  db: DbOrTx,
  { token, consume }: { token: string | null; consume: boolean },
): Promise<LinkRequest> {
  if (!token) return null;
  const key = eq(identityLinkRequests.tokenHash, hash(token));
  const [row] = consume
    ? await db
        .delete(identityLinkRequests)
        .where(key)
        .returning({ userId: identityLinkRequests.userId, fresh: sql<boolean>`${fresh}` })
    : await db
        .select({ userId: identityLinkRequests.userId, fresh: sql<boolean>`${fresh}` })
        .from(identityLinkRequests)
        .where(key);
  if (consume)
    await db
      .delete(identityLinkRequests)
      .where(lt(identityLinkRequests.reauthenticatedAt, sql`now() - interval '1 day'`));
  // A token we do not know (used already, swept) still meant "link": it must not become a plain sign-in.
  if (!row) return "expired";
  return row.fresh ? { userId: row.userId } : "expired";
}
