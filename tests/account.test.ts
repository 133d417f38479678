import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEvents,
  identityLinkRequests,
  notifications,
  tenantMemberships,
  userIdentities,
  users,
} from "@/db/schema";
import { accountIdentities, unlinkMicrosoftIdentity } from "@/lib/account/identities";
import { createLinkRequest } from "@/lib/account/link-requests";
import { changePassword } from "@/lib/account/password";
import { currentSessionEpoch, sessionUser, signOutOtherSessions } from "@/lib/account/sessions";
import { applyMicrosoftSignIn, type MicrosoftSignIn } from "@/lib/audit/microsoft-sign-in";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { InputError } from "@/lib/errors";
import { createInvite } from "@/lib/team/invites";
import { actor, createTestTenant, createUser, openHarness } from "./support/harness";

let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => {
  await h.close();
});

const PASSWORD = "correct horse battery staple";

async function passwordUser(name = "Account Holder") {
  const user = await createUser(h.db, name);
  await h.db
    .update(users)
    .set({ passwordHash: await hashPassword(PASSWORD) })
    .where(eq(users.id, user.id));
  return user;
}

/** A Microsoft sign-in from a directory that is not allow-listed (so it may never create an account by itself). */
const microsoft = (overrides: Partial<MicrosoftSignIn> = {}): MicrosoftSignIn => ({
  identity: { tenantGuid: randomUUID(), objectId: randomUUID(), email: "person@contoso.test", name: "Person" },
  linkToken: null,
  inviteToken: null,
  allowedTenants: [],
  address: null,
  ...overrides,
});

const identitiesOf = (userId: string) => h.db.select().from(userIdentities).where(eq(userIdentities.userId, userId));
const eventsOf = (userId: string, action: string) =>
  h.db
    .select({ outcome: auditEvents.outcome, details: auditEvents.details })
    .from(auditEvents)
    .where(and(eq(auditEvents.actorUserId, userId), eq(auditEvents.action, action)));
const userRow = async (userId: string) => (await h.db.select().from(users).where(eq(users.id, userId)))[0]!;

describe("linking a Microsoft identity", () => {
  it("links after a fresh password confirmation, and tells the user in the bell and the audit log", async () => {
    const user = await passwordUser();
    const linkToken = await createLinkRequest(h.db, { actor: actor(user), password: PASSWORD });
    const signIn = microsoft({ linkToken });
    expect(await applyMicrosoftSignIn(h.db, signIn)).toEqual({ ok: true, userId: user.id, action: "linked" });
    expect(await identitiesOf(user.id)).toMatchObject([
      { tenantGuid: signIn.identity.tenantGuid, subject: signIn.identity.objectId, username: "person@contoso.test" },
    ]);
    expect(await h.db.select().from(notifications).where(eq(notifications.userId, user.id))).toMatchObject([
      { kind: "identity_linked", tenantId: null, runId: null },
    ]);
    expect(await eventsOf(user.id, "identity.link")).toMatchObject([{ outcome: "success" }]);
    // One confirmation links one identity: the token is spent.
    expect(await applyMicrosoftSignIn(h.db, microsoft({ linkToken }))).toEqual({ ok: false, refusal: "link_expired" });
  });

  it("refuses a link whose password confirmation is older than five minutes, and links nothing", async () => {
    const user = await passwordUser();
    const linkToken = await createLinkRequest(h.db, { actor: actor(user), password: PASSWORD });
    await h.db
      .update(identityLinkRequests)
      .set({ reauthenticatedAt: sql`now() - interval '5 minutes 1 second'` })
      .where(eq(identityLinkRequests.userId, user.id));
    expect(await applyMicrosoftSignIn(h.db, microsoft({ linkToken }))).toEqual({ ok: false, refusal: "link_expired" });
    expect(await identitiesOf(user.id)).toEqual([]);
    expect(await h.db.select().from(notifications).where(eq(notifications.userId, user.id))).toEqual([]);
  });

  it("takes no link request for a wrong password", async () => {
    const user = await passwordUser();
    await expect(createLinkRequest(h.db, { actor: actor(user), password: "not it" })).rejects.toThrow(InputError);
    expect(await h.db.select().from(identityLinkRequests).where(eq(identityLinkRequests.userId, user.id))).toEqual([]);
    expect(await eventsOf(user.id, "identity.link")).toMatchObject([{ outcome: "refused" }]);
  });
});

describe("unlinking", () => {
  async function microsoftOnlyUser(identities: number) {
    const user = await createUser(h.db, "Microsoft Only");
    for (let i = 0; i < identities; i++)
      await h.db
        .insert(userIdentities)
        .values({ provider: "azure-ad", tenantGuid: randomUUID(), subject: randomUUID(), userId: user.id });
    return user;
  }

  it("refuses to unlink the last way to sign in, and changes nothing", async () => {
    const user = await microsoftOnlyUser(1);
    const [only] = await identitiesOf(user.id);
    await expect(
      unlinkMicrosoftIdentity(h.db, { actor: actor(user), tenantGuid: only!.tenantGuid, objectId: only!.subject }),
    ).rejects.toThrow(/only way you sign in/);
    expect(await identitiesOf(user.id)).toHaveLength(1);
    expect(await eventsOf(user.id, "identity.unlink")).toEqual([]);
  });

  it("unlinks one of two Microsoft identities, or the only one of an account with a password", async () => {
    const user = await microsoftOnlyUser(2);
    const [first] = await identitiesOf(user.id);
    await unlinkMicrosoftIdentity(h.db, {
      actor: actor(user),
      tenantGuid: first!.tenantGuid,
      objectId: first!.subject,
    });
    expect((await accountIdentities(h.db, user.id)).microsoft).toHaveLength(1);
    expect(await eventsOf(user.id, "identity.unlink")).toMatchObject([{ outcome: "success" }]);

    const withPassword = await passwordUser();
    await h.db
      .insert(userIdentities)
      .values({ provider: "azure-ad", tenantGuid: randomUUID(), subject: randomUUID(), userId: withPassword.id });
    const [linked] = await identitiesOf(withPassword.id);
    await unlinkMicrosoftIdentity(h.db, {
      actor: actor(withPassword),
      tenantGuid: linked!.tenantGuid,
      objectId: linked!.subject,
    });
    expect(await accountIdentities(h.db, withPassword.id)).toEqual({ hasPassword: true, microsoft: [] });
  });
});

describe("session epochs", () => {
  it("signing out other sessions refuses their tokens and keeps the current one (re-issued with the new epoch)", async () => {
    const user = await passwordUser();
    const epoch = await currentSessionEpoch(h.db, user.id);
    const current = { uid: user.id, epoch };
    const other = { uid: user.id, epoch };
    expect(await sessionUser(h.db, other)).toMatchObject({ id: user.id });

    const next = await signOutOtherSessions(h.db, { actor: actor(user) });
    expect(next).toBeGreaterThan(epoch);
    expect(await sessionUser(h.db, other)).toBeNull();
    expect(await sessionUser(h.db, current)).toBeNull();
    expect(await sessionUser(h.db, { ...current, epoch: next })).toMatchObject({ id: user.id });
    expect(await eventsOf(user.id, "auth.sessions_revoke")).toMatchObject([{ outcome: "success" }]);
  });

  it("a token from before epochs existed counts as epoch 0", async () => {
    const user = await passwordUser();
    expect(await sessionUser(h.db, { uid: user.id })).toMatchObject({ id: user.id });
  });
});

describe("changing the password", () => {
  it("refuses a wrong current password and changes nothing on the account", async () => {
    const user = await passwordUser();
    const before = await userRow(user.id);
    await expect(
      changePassword(h.db, { actor: actor(user), currentPassword: "wrong", newPassword: "a brand new password" }),
    ).rejects.toThrow("The current password is not right.");
    const after = await userRow(user.id);
    expect(after.passwordHash).toBe(before.passwordHash);
    expect(after.sessionEpoch).toBe(before.sessionEpoch);
    // Only the refused attempt is on record.
    expect(await eventsOf(user.id, "auth.password_change")).toMatchObject([{ outcome: "refused" }]);
  });

  it("takes the new password and signs out the other sessions", async () => {
    const user = await passwordUser();
    const before = await userRow(user.id);
    const epoch = await changePassword(h.db, {
      actor: actor(user),
      currentPassword: PASSWORD,
      newPassword: "a brand new password",
    });
    const after = await userRow(user.id);
    expect(await verifyPassword("a brand new password", after.passwordHash!)).toBe(true);
    expect(await verifyPassword(PASSWORD, after.passwordHash!)).toBe(false);
    expect(epoch).toBe(before.sessionEpoch + 1);
    expect(await sessionUser(h.db, { uid: user.id, epoch: before.sessionEpoch })).toBeNull();
    expect(await eventsOf(user.id, "auth.password_change")).toMatchObject([{ outcome: "success" }]);
  });
});

describe("Microsoft sign-in from an invite", () => {
  async function invite(email = `${randomUUID()}@invited.test`) {
    const owner = await createUser(h.db, "Owner");
    const tenant = await createTestTenant(h.db, owner.id);
    const { token } = await createInvite(h.db, { actor: actor(owner), tenantId: tenant.id, email, role: "operator" });
    return { token, tenantId: tenant.id, email };
  }

  it("creates the account (with the invite's email) and joins the tenant, once", async () => {
    const { token, tenantId, email } = await invite();
    const signIn = microsoft({ inviteToken: token });
    const result = await applyMicrosoftSignIn(h.db, signIn);
    expect(result).toMatchObject({ ok: true, action: "created" });
    const userId = (result as { userId: string }).userId;
    expect((await userRow(userId)).email).toBe(email);
    expect(
      await h.db
        .select({ role: tenantMemberships.role })
        .from(tenantMemberships)
        .where(eq(tenantMemberships.userId, userId)),
    ).toEqual([{ role: "operator" }]);
    // The link is spent: another Microsoft account cannot use it to get in.
    expect(await applyMicrosoftSignIn(h.db, microsoft({ inviteToken: token }))).toEqual({
      ok: false,
      refusal: "not_allowed",
    });
    expect(tenantId).toBeTruthy();
  });

  it("a made-up invite token creates nothing", async () => {
    const signIn = microsoft({ inviteToken: "x".repeat(43) });
    expect(await applyMicrosoftSignIn(h.db, signIn)).toEqual({ ok: false, refusal: "not_allowed" });
  });
});
