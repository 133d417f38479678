import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { signInThrottle } from "@/db/schema";

export type ThrottleLimit = { failures: number; windowSeconds: number; lockSeconds: number };

/**
 * How many wrong passwords a key may send before it is locked. An account is what a guesser
 * targets; an address limit is looser, since many people may share one (an office's NAT).
 */
export type SignInLimits = { account: ThrottleLimit; address: ThrottleLimit };

export const SIGN_IN_LIMITS: SignInLimits = {
  account: { failures: 10, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
  address: { failures: 100, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
};

export type ThrottleKey = { key: string; limit: ThrottleLimit };

/** Seconds until the last of `keys` is unlocked; 0 when none is locked. */
export async function lockedForSeconds(db: DbOrTx, keys: ThrottleKey[]): Promise<number> {
  const { rows } = await db.execute<{ seconds: number | null }>(sql`
    select ceil(extract(epoch from max(${signInThrottle.lockedUntil}) - now()))::int as seconds
    from ${signInThrottle}
    where ${signInThrottle.key} in (${sql.join(
      keys.map((k) => sql`${k.key}`),
      sql`, `,
    )}) and ${signInThrottle.lockedUntil} > now()`);
  return rows[0]?.seconds ?? 0;
}

/**
 * Counts one wrong password against each key, in one statement per key so that concurrent
 * guesses on several web servers all count, and answers the keys this failure locked. A window that has run out starts again at 1.
 */
export async function recordFailure(db: DbOrTx, keys: ThrottleKey[]): Promise<ThrottleKey[]> {
  const locked: ThrottleKey[] = [];
  for (const throttle of keys) {
    const { key, limit } = throttle;
    const window = sql`make_interval(secs => ${limit.windowSeconds})`;
    const expired = sql`${signInThrottle.windowStartedAt} < now() - ${window}`;
    const failures = sql`case when ${expired} then 1 else ${signInThrottle.failures} + 1 end`;
    const { rows } = await db.execute<{ locked: boolean }>(sql`
      insert into ${signInThrottle} (key, failures, window_started_at, locked_until)
      values (${key}, 1, now(), ${limit.failures <= 1 ? sql`now() + make_interval(secs => ${limit.lockSeconds})` : null})
      on conflict (key) do update set
        failures = ${failures},
        window_started_at = case when ${expired} then now() else ${signInThrottle.windowStartedAt} end,
        locked_until = case
          when ${failures} >= ${limit.failures} then now() + make_interval(secs => ${limit.lockSeconds})
          else null end
      returning locked_until is not null as locked`);
    // Locked keys are refused before a password is checked, so a lock seen here is a new one.
    if (rows[0]?.locked) locked.push(throttle);
  }
  return locked;
}

/** A correct password forgives the account's earlier mistakes (not the address's). */
export async function clearFailures(db: DbOrTx, key: string): Promise<void> {
  await db.execute(sql`delete from ${signInThrottle} where ${signInThrottle.key} = ${key}`);
}
