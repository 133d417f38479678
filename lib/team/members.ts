import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { type MembershipRole, tenantMemberships, users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { InputError, NotFoundError } from "@/lib/errors";
import { requireTenantAccess } from "@/lib/tenants/access";
import { recordTeamChange } from "./audit";

export type Member = { userId: string; name: string; email: string; role: MembershipRole; joinedAt: Date };

/** Every member of a tenant; any member may see who their colleagues are and what they may do. */
export async function listMembers(db: DbOrTx, { userId, tenantId }: { userId: string; tenantId: string }) {
  await requireTenantAccess(db, { userId, tenantId });
  return db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      role: tenantMemberships.role,
      joinedAt: tenantMemberships.createdAt,
    })
    .from(tenantMemberships)
    .innerJoin(users, eq(users.id, tenantMemberships.userId))
    .where(eq(tenantMemberships.tenantId, tenantId))
    .orderBy(asc(users.name), asc(users.email)) satisfies Promise<Member[]>;
}

type MemberChange = { actor: Actor; tenantId: string; memberId: string };

/**
 * Locks every membership of the tenant (FOR UPDATE) before anything is read for a decision: two
 * owners demoting each other at once are serialised, and the second sees the first's change.
 */
async function lockMemberships(tx: DbOrTx, tenantId: string) {
  return tx
    .select({ userId: tenantMemberships.userId, role: tenantMemberships.role })
    .from(tenantMemberships)
    .where(eq(tenantMemberships.tenantId, tenantId))
    .orderBy(asc(tenantMemberships.userId))
    .for("update");
}

const LAST_OWNER = "A tenant needs at least one owner: make another member an owner first.";

/** Gives a member another role (owners only). The last owner cannot be demoted. */
export async function changeMemberRole(db: Db, change: MemberChange & { role: MembershipRole }) {
  return db.transaction(async (tx) => {
    const locked = await lockMemberships(tx, change.tenantId);
    await requireTenantAccess(tx, { userId: change.actor.userId, tenantId: change.tenantId, minRole: "owner" });
    const target = locked.find((m) => m.userId === change.memberId);
    if (!target) throw new NotFoundError("member");
    if (target.role === change.role) return { changed: false, from: target.role };
    if (target.role === "owner" && locked.filter((m) => m.role === "owner").length <= 1)
      throw new InputError(LAST_OWNER);
    await tx
      .update(tenantMemberships)
      .set({ role: change.role })
      .where(and(eq(tenantMemberships.tenantId, change.tenantId), eq(tenantMemberships.userId, change.memberId)));
    await recordTeamChange(tx, {
      actor: change.actor,
      tenantId: change.tenantId,
      action: "member.role_change",
      target: { type: "member", id: change.memberId },
      details: { from: target.role, to: change.role },
    });
    return { changed: true, from: target.role };
  });
}

/** Removes a member: owners may remove anyone, every member may leave. The last owner may do neither. */
export async function removeMember(db: Db, change: MemberChange) {
  return db.transaction(async (tx) => {
    const locked = await lockMemberships(tx, change.tenantId);
    const leaving = change.actor.userId === change.memberId;
    await requireTenantAccess(tx, {
      userId: change.actor.userId,
      tenantId: change.tenantId,
      minRole: leaving ? "viewer" : "owner",
    });
    const target = locked.find((m) => m.userId === change.memberId);
    if (!target) throw new NotFoundError("member");
    if (target.role === "owner" && locked.filter((m) => m.role === "owner").length <= 1) {
      throw new InputError(leaving ? `You are the last owner. ${LAST_OWNER}` : LAST_OWNER);
    }
    await tx
      .delete(tenantMemberships)
      .where(and(eq(tenantMemberships.tenantId, change.tenantId), eq(tenantMemberships.userId, change.memberId)));
    await recordTeamChange(tx, {
      actor: change.actor,
      tenantId: change.tenantId,
      action: leaving ? "member.leave" : "member.remove",
      target: { type: "member", id: change.memberId },
      details: { role: target.role },
    });
    return { removed: target.role };
  });
}

/** Whether this email already belongs to a member of the tenant. */
export async function isMemberEmail(tx: DbOrTx, { tenantId, email }: { tenantId: string; email: string }) {
  const [row] = await tx
    .select({ one: sql<number>`1` })
    .from(tenantMemberships)
    .innerJoin(users, eq(users.id, tenantMemberships.userId))
    .where(and(eq(tenantMemberships.tenantId, tenantId), sql`lower(${users.email}) = ${email}`));
  return Boolean(row);
}
