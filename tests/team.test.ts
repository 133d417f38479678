import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, type MembershipRole, tenantInvites, tenantMemberships, users } from "@/db/schema";
import { verifyPassword } from "@/lib/auth/password";
import { ForbiddenError, InputError } from "@/lib/errors";
import { hashInviteToken } from "@/lib/team/invite-token";
import {
  acceptInvite,
  createAccountFromInvite,
  createInvite,
  inviteByToken,
  listOpenInvites,
  openInvitesForEmail,
  revokeInvite,
} from "@/lib/team/invites";
import { changeMemberRole, listMembers, removeMember } from "@/lib/team/members";
import { actor, addMember, createTestTenant, createUser, openHarness } from "./support/harness";

let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => {
  await h.close();
});

/** A tenant with an owner and, for each given role, one more member. */
async function team(...roles: MembershipRole[]) {
  const owner = await createUser(h.db, "Owner");
  const tenant = await createTestTenant(h.db, owner.id);
  const others = [];
  for (const role of roles) {
    const user = await createUser(h.db, `A ${role}`);
    await addMember(h.db, { userId: user.id, tenantId: tenant.id, role });
    others.push(user);
  }
  return { owner, tenantId: tenant.id, others };
}

const roleOf = async (tenantId: string, userId: string) =>
  (
    await h.db
      .select({ role: tenantMemberships.role })
      .from(tenantMemberships)
      .where(and(eq(tenantMemberships.tenantId, tenantId), eq(tenantMemberships.userId, userId)))
  )[0]?.role;

/** The tenant's audit trail, oldest first: action and target id. */
const auditOf = async (tenantId: string) =>
  (
    await h.db
      .select({ action: auditEvents.action, targetId: auditEvents.targetId, actor: auditEvents.actorUserId })
      .from(auditEvents)
      .where(eq(auditEvents.tenantId, tenantId))
      .orderBy(auditEvents.occurredAt, auditEvents.id)
  ).filter((e) => e.action !== "tenant.create");

const invitesOf = (tenantId: string) => h.db.select().from(tenantInvites).where(eq(tenantInvites.tenantId, tenantId));

describe("invites", () => {
  it("stores only the token's hash, and the link makes its holder a member once", async () => {
    const { owner, tenantId } = await team();
    const invite = await createInvite(h.db, {
      actor: actor(owner),
      tenantId,
      email: "Colleague@Example.test",
      role: "operator",
    });
    expect(invite.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(invite.expiresAt.getTime() - Date.now()).toBeGreaterThan(7 * 24 * 3600_000 - 60_000);
    expect(invite.expiresAt.getTime() - Date.now()).toBeLessThan(7 * 24 * 3600_000 + 60_000);

    // No column of the table holds the token; the row is found only by its hash.
    const rows = await invitesOf(tenantId);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(invite.token);
    expect(rows[0]).toMatchObject({ email: "colleague@example.test", tokenHash: hashInviteToken(invite.token) });
    expect(await inviteByToken(h.db, invite.token)).toMatchObject({ status: "open", role: "operator" });
    expect(await openInvitesForEmail(h.db, "colleague@example.test")).toHaveLength(1);

    const colleague = await createUser(h.db, "Colleague");
    expect(await acceptInvite(h.db, { token: invite.token, actor: actor(colleague) })).toEqual({
      tenantId,
      role: "operator",
    });
    expect(await roleOf(tenantId, colleague.id)).toBe("operator");
    expect(await inviteByToken(h.db, invite.token)).toMatchObject({ status: "accepted" });

    // Each change wrote its event; no event carries the token.
    const trail = await auditOf(tenantId);
    expect(trail.map((e) => e.action)).toEqual(["invite.create", "invite.accept"]);
    expect(trail[1]).toMatchObject({ targetId: invite.id, actor: colleague.id });
    const [raw] = await h.db
      .execute(sql`select json_agg(a)::text as all from audit_events a where tenant_id = ${tenantId}`)
      .then((r) => r.rows as { all: string }[]);
    expect(raw!.all).not.toContain(invite.token);
    expect(raw!.all).not.toContain(hashInviteToken(invite.token));

    const another = await createUser(h.db, "Another");
    await expect(acceptInvite(h.db, { token: invite.token, actor: actor(another) })).rejects.toThrow(InputError);
    expect(await roleOf(tenantId, another.id)).toBeUndefined();
  });

  it("lets exactly one of eight concurrent accepts through", async () => {
    const { owner, tenantId } = await team();
    const { token } = await createInvite(h.db, {
      actor: actor(owner),
      tenantId,
      email: "x@example.test",
      role: "viewer",
    });
    const holders = await Promise.all(Array.from({ length: 8 }, (_, i) => createUser(h.db, `Holder ${i}`)));
    const results = await Promise.allSettled(
      holders.map((holder) => acceptInvite(h.db, { token, actor: actor(holder) })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const joined = (await Promise.all(holders.map((holder) => roleOf(tenantId, holder.id)))).filter(Boolean);
    expect(joined).toEqual(["viewer"]);
  });

  it("refuses revoked and expired links", async () => {
    const { owner, tenantId } = await team();
    const user = await createUser(h.db, "Late");
    const revoked = await createInvite(h.db, {
      actor: actor(owner),
      tenantId,
      email: "r@example.test",
      role: "viewer",
    });
    await revokeInvite(h.db, { actor: actor(owner), tenantId, inviteId: revoked.id });
    await expect(acceptInvite(h.db, { token: revoked.token, actor: actor(user) })).rejects.toThrow(
      /not valid any more/,
    );
    expect(await inviteByToken(h.db, revoked.token)).toMatchObject({ status: "revoked" });

    const expired = await createInvite(h.db, {
      actor: actor(owner),
      tenantId,
      email: "e@example.test",
      role: "viewer",
    });
    await h.db
      .update(tenantInvites)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(tenantInvites.id, expired.id));
    await expect(acceptInvite(h.db, { token: expired.token, actor: actor(user) })).rejects.toThrow(
      /not valid any more/,
    );
    expect(await inviteByToken(h.db, expired.token)).toMatchObject({ status: "expired" });
    expect(await listOpenInvites(h.db, { userId: owner.id, tenantId })).toEqual([]);
    expect(await roleOf(tenantId, user.id)).toBeUndefined();
  });

  it("creates a password account with the invite's email, and only once", async () => {
    const { owner, tenantId } = await team();
    const email = `new-${Date.now()}@example.test`;
    const { token } = await createInvite(h.db, { actor: actor(owner), tenantId, email, role: "viewer" });
    const created = await createAccountFromInvite(h.db, {
      token,
      name: "New Person",
      password: "a long enough password",
    });
    expect(created.email).toBe(email);
    const [user] = await h.db.select().from(users).where(eq(users.id, created.userId));
    expect(await verifyPassword("a long enough password", user!.passwordHash!)).toBe(true);
    expect(await roleOf(tenantId, created.userId)).toBe("viewer");
    await expect(
      createAccountFromInvite(h.db, { token, name: "Again", password: "another long password" }),
    ).rejects.toThrow(InputError);
  });

  it("refuses a non-owner and writes nothing", async () => {
    const { owner, tenantId, others } = await team("operator", "viewer");
    const { id: inviteId } = await createInvite(h.db, {
      actor: actor(owner),
      tenantId,
      email: "o@example.test",
      role: "viewer",
    });
    const before = await invitesOf(tenantId);
    for (const member of others) {
      await expect(
        createInvite(h.db, { actor: actor(member), tenantId, email: "p@example.test", role: "owner" }),
      ).rejects.toThrow(ForbiddenError);
      await expect(revokeInvite(h.db, { actor: actor(member), tenantId, inviteId })).rejects.toThrow(ForbiddenError);
      await expect(listOpenInvites(h.db, { userId: member.id, tenantId })).rejects.toThrow(ForbiddenError);
      await expect(
        changeMemberRole(h.db, { actor: actor(member), tenantId, memberId: member.id, role: "owner" }),
      ).rejects.toThrow(ForbiddenError);
      await expect(removeMember(h.db, { actor: actor(member), tenantId, memberId: owner.id })).rejects.toThrow(
        ForbiddenError,
      );
    }
    expect(await invitesOf(tenantId)).toEqual(before);
    expect((await auditOf(tenantId)).map((e) => e.action)).toEqual(["invite.create"]);
    expect(await roleOf(tenantId, owner.id)).toBe("owner");
    expect(await roleOf(tenantId, others[0]!.id)).toBe("operator");
    expect(await roleOf(tenantId, others[1]!.id)).toBe("viewer");
    // Every member may see the list.
    expect(await listMembers(h.db, { userId: others[1]!.id, tenantId })).toHaveLength(3);
  });
});

describe("members", () => {
  it("changes a role and removes a member; a member may leave", async () => {
    const { owner, tenantId, others } = await team("viewer", "operator");
    const [viewer, operator] = [others[0]!, others[1]!];
    await changeMemberRole(h.db, { actor: actor(owner), tenantId, memberId: viewer.id, role: "operator" });
    expect(await roleOf(tenantId, viewer.id)).toBe("operator");
    await removeMember(h.db, { actor: actor(owner), tenantId, memberId: viewer.id });
    expect(await roleOf(tenantId, viewer.id)).toBeUndefined();
    await removeMember(h.db, { actor: actor(operator), tenantId, memberId: operator.id });
    expect(await roleOf(tenantId, operator.id)).toBeUndefined();
    expect(await auditOf(tenantId)).toEqual([
      { action: "member.role_change", targetId: viewer.id, actor: owner.id },
      { action: "member.remove", targetId: viewer.id, actor: owner.id },
      { action: "member.leave", targetId: operator.id, actor: operator.id },
    ]);
  });

  it("never demotes or removes the last owner", async () => {
    const { owner, tenantId } = await team();
    await expect(
      changeMemberRole(h.db, { actor: actor(owner), tenantId, memberId: owner.id, role: "viewer" }),
    ).rejects.toThrow(/at least one owner/);
    await expect(removeMember(h.db, { actor: actor(owner), tenantId, memberId: owner.id })).rejects.toThrow(
      /last owner/,
    );
    expect(await roleOf(tenantId, owner.id)).toBe("owner");
    expect(await auditOf(tenantId)).toEqual([]);
  });

  it("leaves an owner when two owners demote each other at the same time", async () => {
    // Repeated: without the lock, both transactions count two owners and both commit.
    for (let i = 0; i < 10; i++) {
      const { owner, tenantId, others } = await team("owner");
      const second = others[0]!;
      const results = await Promise.allSettled([
        changeMemberRole(h.db, { actor: actor(owner), tenantId, memberId: second.id, role: "viewer" }),
        changeMemberRole(h.db, { actor: actor(second), tenantId, memberId: owner.id, role: "viewer" }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const roles = [await roleOf(tenantId, owner.id), await roleOf(tenantId, second.id)];
      expect(roles.filter((r) => r === "owner")).toHaveLength(1);
    }
  });

  it("leaves an owner when two owners leave at the same time", async () => {
    for (let i = 0; i < 10; i++) {
      const { owner, tenantId, others } = await team("owner");
      const second = others[0]!;
      const results = await Promise.allSettled([
        removeMember(h.db, { actor: actor(owner), tenantId, memberId: owner.id }),
        removeMember(h.db, { actor: actor(second), tenantId, memberId: second.id }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const roles = [await roleOf(tenantId, owner.id), await roleOf(tenantId, second.id)];
      expect(roles.filter((r) => r === "owner")).toHaveLength(1);
    }
  });
});
