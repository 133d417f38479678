import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userIdentities, users } from "@/db/schema";
import { resolveMicrosoftAccount } from "@/lib/auth/microsoft-account";
import { createUser, openHarness } from "./support/harness";

let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => {
  await h.close();
});

const ALLOWED = randomUUID();
const identity = (overrides: { email?: string; tenantGuid?: string; objectId?: string } = {}) => ({
  tenantGuid: ALLOWED,
  objectId: randomUUID(),
  email: `${randomUUID()}@example.test`,
  name: "Microsoft Person",
  ...overrides,
});
const resolve = (id: ReturnType<typeof identity>, options: { linkTo?: string | null; apply?: boolean } = {}) =>
  resolveMicrosoftAccount(h.db, {
    identity: id,
    linkTo: options.linkTo ?? null,
    allowedTenants: [ALLOWED],
    apply: options.apply ?? true,
  });
const identitiesOf = (userId: string) => h.db.select().from(userIdentities).where(eq(userIdentities.userId, userId));

describe("which console account a Microsoft sign-in is", () => {
  it("never takes over an existing account by its email: the mutable claim is refused, nothing is written", async () => {
    const victim = await createUser(h.db, "Victim");
    const attacker = identity({ email: victim.email.toUpperCase() });
    expect(await resolve(attacker)).toEqual({ ok: false, refusal: "email_taken" });
    expect(await identitiesOf(victim.id)).toEqual([]);
  });

  it("creates an account only for an allowed Entra tenant", async () => {
    const outsider = identity({ tenantGuid: randomUUID() });
    expect(await resolve(outsider)).toEqual({ ok: false, refusal: "not_allowed" });
    expect(await h.db.select().from(users).where(eq(users.email, outsider.email))).toEqual([]);
  });

  it("finds the account again by (tid, oid) even after the email claim changed, and only in that tenant", async () => {
    const person = identity();
    const created = await resolve(person);
    expect(created).toMatchObject({ ok: true, action: "created" });
    const userId = (created as { userId: string }).userId;
    expect(await resolve({ ...person, email: "someone-else@example.test" })).toEqual({
      ok: true,
      userId,
      action: "signed_in",
    });
    // The same object id issued by another tenant is another identity.
    const elsewhere = await resolve({ ...person, tenantGuid: randomUUID() });
    expect(elsewhere).toEqual({ ok: false, refusal: "not_allowed" });
  });

  it("links only on the signed-in user's request, and never to a second account", async () => {
    const owner = await createUser(h.db, "Owner");
    const other = await createUser(h.db, "Other");
    const person = identity({ tenantGuid: randomUUID() });
    expect(await resolve(person, { linkTo: owner.id })).toEqual({ ok: true, userId: owner.id, action: "linked" });
    expect(await identitiesOf(owner.id)).toHaveLength(1);
    expect(await resolve(person, { linkTo: other.id })).toEqual({ ok: false, refusal: "linked_elsewhere" });
    expect(await identitiesOf(other.id)).toEqual([]);
  });

  it("writes nothing when only deciding", async () => {
    const person = identity();
    expect(await resolve(person, { apply: false })).toMatchObject({ ok: true, action: "created" });
    expect(await h.db.select().from(users).where(eq(users.email, person.email))).toEqual([]);
  });

  it("refuses a sign-in without tenant or object id", async () => {
    expect(await resolve({ ...identity(), tenantGuid: "" })).toEqual({ ok: false, refusal: "no_tenant" });
  });
});
