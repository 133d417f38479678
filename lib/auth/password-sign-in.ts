import "server-only";
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { users } from "@/db/schema";
import { hashPassword, needsRehash, verifyAgainstNothing, verifyPassword } from "./password";
import {
  clearFailures,
  lockedForSeconds,
  recordFailure,
  SIGN_IN_LIMITS,
  type SignInLimits,
  type ThrottleKey,
} from "./sign-in-throttle";

export type PasswordSignIn =
  | { ok: true; user: { id: string; name: string; email: string } }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * Email and password sign-in. Locked keys are refused before any password is checked; an unknown
 * email costs the same hash as a known one; a stored hash with old parameters is made again.
 */
export async function signInWithPassword(
  db: DbOrTx,
  {
    email,
    password,
    address,
    limits = SIGN_IN_LIMITS,
  }: { email: string; password: string; address?: string; limits?: SignInLimits },
): Promise<PasswordSignIn> {
  const account: ThrottleKey = { key: `account:${email.toLowerCase()}`, limit: limits.account };
  const keys = address ? [account, { key: `address:${address}`, limit: limits.address }] : [account];
  const locked = await lockedForSeconds(db, keys);
  if (locked > 0) return { ok: false, reason: "throttled", retryAfterSeconds: locked };

  const [user] = await db
    .select({ id: users.id, name: users.name, email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  const valid = user?.passwordHash
    ? await verifyPassword(password, user.passwordHash)
    : await verifyAgainstNothing(password);
  if (!user || !valid) {
    await recordFailure(db, keys);
    return { ok: false, reason: "invalid" };
  }
  await clearFailures(db, account.key);
  if (user.passwordHash && needsRehash(user.passwordHash)) {
    await db
      .update(users)
      .set({ passwordHash: await hashPassword(password) })
      .where(eq(users.id, user.id));
  }
  return { ok: true, user: { id: user.id, name: user.name, email: user.email } };
}
