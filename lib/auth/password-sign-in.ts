import "server-only";
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { users } from "@/db/schema";
import { recordSignInAudit } from "@/lib/audit/sign-in";
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
  const [user] = await db
    .select({ id: users.id, name: users.name, email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  // An attempt is recorded against the account it named; an unknown email is not stored (people
  // type passwords into the email field).
  const attempt = { user: user ? { id: user.id, name: user.name } : null, address };

  const locked = await lockedForSeconds(db, keys);
  if (locked > 0) {
    await recordSignInAudit(db, { ...attempt, action: "auth.sign_in_failed", outcome: "refused", reason: "throttled" });
    return { ok: false, reason: "throttled", retryAfterSeconds: locked };
  }

  const valid = user?.passwordHash
    ? await verifyPassword(password, user.passwordHash)
    : await verifyAgainstNothing(password);
  if (!user || !valid) {
    await db.transaction(async (tx) => {
      const lockedNow = await recordFailure(tx, keys);
      await recordSignInAudit(tx, { ...attempt, action: "auth.sign_in_failed", outcome: "failed", reason: "invalid" });
      if (lockedNow.length) {
        await recordSignInAudit(tx, {
          ...attempt,
          action: "auth.locked",
          outcome: "refused",
          reason: "too_many_failures",
          locked: lockedNow.map((k) => (k === account ? "account" : "address")),
        });
      }
    });
    return { ok: false, reason: "invalid" };
  }
  const rehash = user.passwordHash && needsRehash(user.passwordHash) ? await hashPassword(password) : null;
  await db.transaction(async (tx) => {
    await clearFailures(tx, account.key);
    if (rehash) await tx.update(users).set({ passwordHash: rehash }).where(eq(users.id, user.id));
    await recordSignInAudit(tx, { ...attempt, action: "auth.sign_in", outcome: "success", method: "password" });
  });
  return { ok: true, user: { id: user.id, name: user.name, email: user.email } };
}
