import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInThrottle, users } from "@/db/schema";
import { hashPassword, needsRehash } from "@/lib/auth/password";
import { signInWithPassword } from "@/lib/auth/password-sign-in";
import { SIGN_IN_LIMITS } from "@/lib/auth/sign-in-throttle";
import { openHarness } from "./support/harness";

let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => {
  await h.close();
});

async function passwordUser(password: string, passwordHash?: string) {
  const email = `${randomUUID()}@example.test`;
  await h.db
    .insert(users)
    .values({ email, name: "Password User", passwordHash: passwordHash ?? (await hashPassword(password)) });
  return email;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe("password sign-in", () => {
  it("locks an account after 10 wrong passwords, refuses even the right one while locked, and says for how long", async () => {
    const email = await passwordUser("right-password");
    const results = [];
    for (let i = 0; i < 200; i++) results.push(await signInWithPassword(h.db, { email, password: `guess-${i}` }));
    const limit = SIGN_IN_LIMITS.account.failures;
    expect(results.slice(0, limit).every((r) => !r.ok && r.reason === "invalid")).toBe(true);
    expect(results.slice(limit).every((r) => !r.ok && r.reason === "throttled")).toBe(true);
    const locked = await signInWithPassword(h.db, { email, password: "right-password" });
    expect(locked).toMatchObject({ ok: false, reason: "throttled" });
    expect((locked as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(14 * 60);

    // Once the lock has run out, the right password works and forgives the account's mistakes.
    await h.db
      .update(signInThrottle)
      .set({ lockedUntil: sql`now() - interval '1 second'`, windowStartedAt: sql`now() - interval '1 hour'` })
      .where(eq(signInThrottle.key, `account:${email}`));
    expect(await signInWithPassword(h.db, { email, password: "right-password" })).toMatchObject({ ok: true });
    const [row] = await h.db
      .select()
      .from(signInThrottle)
      .where(eq(signInThrottle.key, `account:${email}`));
    expect(row).toBeUndefined();
  });

  it("locks an address that guesses across many accounts", async () => {
    const address = `198.51.100.${Math.floor(Math.random() * 250)}`;
    // The address limit lowered for the test: each guess costs a real hash.
    const limits = { ...SIGN_IN_LIMITS, address: { ...SIGN_IN_LIMITS.address, failures: 5 } };
    for (let i = 0; i < limits.address.failures; i++) {
      const result = await signInWithPassword(h.db, {
        email: `nobody-${i}-${randomUUID()}@example.test`,
        password: "x",
        address,
        limits,
      });
      expect(result).toMatchObject({ ok: false, reason: "invalid" });
    }
    const email = await passwordUser("right-password");
    expect(await signInWithPassword(h.db, { email, password: "right-password", address, limits })).toMatchObject({
      ok: false,
      reason: "throttled",
    });
    // Another address is not affected.
    expect(
      await signInWithPassword(h.db, { email, password: "right-password", address: "192.0.2.1", limits }),
    ).toMatchObject({
      ok: true,
    });
  });

  it("takes as long to refuse an unknown email as a wrong password for a known one (median over 50, within 2×)", async () => {
    const known = await passwordUser("right-password");
    const microsoftOnly = `${randomUUID()}@example.test`;
    await h.db.insert(users).values({ email: microsoftOnly, name: "Microsoft only" });
    const time = async (email: string) => {
      // Each try starts unthrottled, so every one of them checks a password.
      await h.db.delete(signInThrottle).where(eq(signInThrottle.key, `account:${email}`));
      const started = performance.now();
      await signInWithPassword(h.db, { email, password: "wrong-password" });
      return performance.now() - started;
    };
    const knownTimes: number[] = [];
    // Refusals that check no stored hash: unknown emails, and an account that signs in only with Microsoft.
    const refusedWithoutHash: number[] = [];
    for (let i = 0; i < 50; i++) {
      knownTimes.push(await time(known));
      refusedWithoutHash.push(await time(i % 2 ? microsoftOnly : `unknown-${i}@example.test`));
    }
    const ratio = median(knownTimes) / median(refusedWithoutHash);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  }, 400_000);

  it("makes an older hash again at a successful sign-in, with today's parameters", async () => {
    const oldHash = await hashPassword("right-password");
    // The same password hashed with the parameters of before (p=1).
    const [, n, r, , salt] = oldHash.split("$");
    const { scryptSync } = await import("node:crypto");
    const key = scryptSync("right-password", Buffer.from(salt!, "base64url"), 32, {
      N: Number(n),
      r: Number(r),
      p: 1,
      maxmem: 128 * 1024 * 1024,
    });
    const legacy = ["scrypt", n, r, 1, salt, key.toString("base64url")].join("$");
    expect(needsRehash(legacy)).toBe(true);
    const email = await passwordUser("right-password", legacy);
    expect(await signInWithPassword(h.db, { email, password: "right-password" })).toMatchObject({ ok: true });
    const [user] = await h.db.select({ hash: users.passwordHash }).from(users).where(eq(users.email, email));
    expect(user!.hash).not.toBe(legacy);
    expect(needsRehash(user!.hash!)).toBe(false);
    expect(await signInWithPassword(h.db, { email, password: "right-password" })).toMatchObject({ ok: true });
  });
});
