import "server-only";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { verifyPassword } from "@/lib/auth/password";
import { clearFailures, lockedForSeconds, recordFailure, SIGN_IN_LIMITS } from "@/lib/auth/sign-in-throttle";
import { InputError } from "@/lib/errors";
import { type AccountAction, recordAccountChange } from "./audit";

const WRONG = "The current password is not right.";

/**
 * Checks the signed-in user's password before a sensitive change. A wrong one counts against the
 * account's sign-in limit (a stolen session must not become a password-guessing oracle) and is
 * audited under the change it was for; then it throws, having changed nothing else.
 */
export async function reauthenticate(
  db: DbOrTx,
  { actor, password, action }: { actor: Actor; password: string; action: AccountAction },
): Promise<{ passwordHash: string }> {
  const [user] = await db
    .select({ email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, actor.userId));
  if (!user?.passwordHash) throw new InputError("This account has no password: it signs in with Microsoft only.");
  const account = { key: `account:${user.email.toLowerCase()}`, limit: SIGN_IN_LIMITS.account };
  const locked = await lockedForSeconds(db, [account]);
  if (locked > 0) {
    throw new InputError(`Too many wrong passwords. Try again in ${Math.max(1, Math.ceil(locked / 60))} minutes.`);
  }
  if (!(await verifyPassword(password, user.passwordHash))) {
    await recordFailure(db, [account]);
    await recordAccountChange(db, { actor, action, outcome: "refused", details: { reason: "wrong_password" } });
    throw new InputError(WRONG, { currentPassword: [WRONG] });
  }
  await clearFailures(db, account.key);
  return { passwordHash: user.passwordHash };
}
