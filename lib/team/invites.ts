import "server-only";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { type MembershipRole, tenantInvites, tenantMemberships, tenants, users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { hashPassword } from "@/lib/auth/password";
import { InputError, NotFoundError } from "@/lib/errors";
import { requireTenantAccess } from "@/lib/tenants/access";
import { recordTeamChange } from "./audit";
import { hashInviteToken, newInviteToken } from "./invite-token";
import { isMemberEmail } from "./members";
import { emailSchema } from "./schema";

/** How long a link works: long enough for a colleague on leave for a week, short enough to go stale. */
export const INVITE_TTL_DAYS = 7;

/** Invites that can still be accepted. */
const open = () =>
  and(isNull(tenantInvites.acceptedAt), isNull(tenantInvites.revokedAt), gt(tenantInvites.expiresAt, sql`now()`));

/**
 * Invites someone by email with a role (owners only). Answers the token, which exists only in
 * this answer: the table keeps its hash. A newer invite to the same email replaces an open one.
 */
export async function createInvite(
  db: Db,
  input: { actor: Actor; tenantId: string; email: string; role: MembershipRole },
) {
  const parsed = emailSchema.safeParse(input.email);
  if (!parsed.success) throw new InputError("Enter a valid email address.", { email: ["Enter an email address."] });
  const email = parsed.data;
  const token = newInviteToken();
  return db.transaction(async (tx) => {
    await requireTenantAccess(tx, { userId: input.actor.userId, tenantId: input.tenantId, minRole: "owner" });
    if (await isMemberEmail(tx, { tenantId: input.tenantId, email })) {
      throw new InputError(`${email} is already a member of this tenant.`, { email: ["Already a member."] });
    }
    await tx
      .update(tenantInvites)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(tenantInvites.tenantId, input.tenantId), eq(tenantInvites.email, email), open()));
    const [invite] = await tx
      .insert(tenantInvites)
      .values({
        tenantId: input.tenantId,
        email,
        role: input.role,
        tokenHash: hashInviteToken(token),
        invitedBy: input.actor.userId,
        expiresAt: sql`now() + make_interval(days => ${INVITE_TTL_DAYS})`,
      })
      .returning({ id: tenantInvites.id, expiresAt: tenantInvites.expiresAt });
    // The email is what identifies an invite to a reader of the log; never the token or its hash.
    await recordTeamChange(tx, {
      actor: input.actor,
      tenantId: input.tenantId,
      action: "invite.create",
      target: { type: "invite", id: invite!.id, label: email },
      details: { role: input.role },
    });
    return { id: invite!.id, token, expiresAt: invite!.expiresAt };
  });
}

/** A tenant's open invites, for its owners (others do not see who is about to join). */
export async function listOpenInvites(db: DbOrTx, { userId, tenantId }: { userId: string; tenantId: string }) {
  await requireTenantAccess(db, { userId, tenantId, minRole: "owner" });
  return db
    .select({
      id: tenantInvites.id,
      email: tenantInvites.email,
      role: tenantInvites.role,
      createdAt: tenantInvites.createdAt,
      expiresAt: tenantInvites.expiresAt,
    })
    .from(tenantInvites)
    .where(and(eq(tenantInvites.tenantId, tenantId), open()))
    .orderBy(desc(tenantInvites.createdAt));
}

/** Revokes an open invite (owners only): its link stops working at once. */
export async function revokeInvite(db: Db, input: { actor: Actor; tenantId: string; inviteId: string }) {
  return db.transaction(async (tx) => {
    await requireTenantAccess(tx, { userId: input.actor.userId, tenantId: input.tenantId, minRole: "owner" });
    const [revoked] = await tx
      .update(tenantInvites)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(tenantInvites.id, input.inviteId), eq(tenantInvites.tenantId, input.tenantId), open()))
      .returning({ id: tenantInvites.id, email: tenantInvites.email });
    if (!revoked) throw new NotFoundError("invite");
    await recordTeamChange(tx, {
      actor: input.actor,
      tenantId: input.tenantId,
      action: "invite.revoke",
      target: { type: "invite", id: revoked.id, label: revoked.email },
    });
  });
}

export type InviteView = {
  tenantId: string;
  tenantName: string;
  email: string;
  role: MembershipRole;
  invitedBy: string | null;
  expiresAt: Date;
  status: "open" | "accepted" | "revoked" | "expired";
  /** Who accepted it, if anyone: the page sends that user on to the tenant. */
  acceptedBy: string | null;
};

/** What the invite page shows to whoever holds the link; undefined for a token we never issued. */
export async function inviteByToken(db: DbOrTx, token: string): Promise<InviteView | undefined> {
  const [row] = await db
    .select({
      tenantId: tenantInvites.tenantId,
      tenantName: tenants.displayName,
      email: tenantInvites.email,
      role: tenantInvites.role,
      invitedBy: users.name,
      expiresAt: tenantInvites.expiresAt,
      acceptedAt: tenantInvites.acceptedAt,
      acceptedBy: tenantInvites.acceptedBy,
      revokedAt: tenantInvites.revokedAt,
      expired: sql<boolean>`${tenantInvites.expiresAt} <= now()`,
    })
    .from(tenantInvites)
    .innerJoin(tenants, eq(tenants.id, tenantInvites.tenantId))
    .leftJoin(users, eq(users.id, tenantInvites.invitedBy))
    .where(eq(tenantInvites.tokenHash, hashInviteToken(token)));
  if (!row) return undefined;
  const status = row.acceptedAt ? "accepted" : row.revokedAt ? "revoked" : row.expired ? "expired" : "open";
  return {
    tenantId: row.tenantId,
    tenantName: row.tenantName,
    email: row.email,
    role: row.role,
    invitedBy: row.invitedBy,
    expiresAt: row.expiresAt,
    status,
    acceptedBy: row.acceptedBy,
  };
}

const UNUSABLE = "This invite link is not valid any more: it was used, revoked or has expired. Ask for a new one.";

/**
 * Consumes an open invite for `userId` — one UPDATE … WHERE still open, so of two concurrent
 * accepts exactly one gets the row — and answers it; throws when the link is not usable.
 */
async function consume(tx: DbOrTx, { token, userId }: { token: string; userId: string }) {
  const [invite] = await tx
    .update(tenantInvites)
    .set({ acceptedAt: sql`now()`, acceptedBy: userId })
    .where(and(eq(tenantInvites.tokenHash, hashInviteToken(token)), open()))
    .returning({
      id: tenantInvites.id,
      tenantId: tenantInvites.tenantId,
      role: tenantInvites.role,
      email: tenantInvites.email,
    });
  if (!invite) throw new InputError(UNUSABLE);
  return invite;
}

/**
 * A signed-in user accepts: whoever holds the link may (see docs/decisions.md, "Invites are
 * bearer links"), since a console account's email is not a proof of identity for Microsoft users.
 */
export async function acceptInvite(db: Db, { token, actor }: { token: string; actor: Actor }) {
  const userId = actor.userId;
  return db.transaction(async (tx) => {
    const invite = await consume(tx, { token, userId });
    const [joined] = await tx
      .insert(tenantMemberships)
      .values({ tenantId: invite.tenantId, userId, role: invite.role })
      .onConflictDoNothing()
      .returning({ role: tenantMemberships.role });
    // Rolls the consumption back too: the link stays usable for whom it was meant.
    if (!joined) throw new InputError("You are already a member of this tenant.");
    await recordTeamChange(tx, {
      actor,
      tenantId: invite.tenantId,
      action: "invite.accept",
      target: { type: "invite", id: invite.id, label: invite.email },
      details: { role: invite.role },
    });
    return { tenantId: invite.tenantId, role: invite.role };
  });
}

/**
 * Creates a password account from an invite: the only way a password account comes to be. The
 * email is the invite's, so the inviter vouches for it; the account joins the tenant at once.
 */
export async function createAccountFromInvite(
  db: Db,
  input: { token: string; name: string; password: string; clientAddress?: string | null },
) {
  const [pending] = await db
    .select({ email: tenantInvites.email })
    .from(tenantInvites)
    .where(and(eq(tenantInvites.tokenHash, hashInviteToken(input.token)), open()));
  if (!pending) throw new InputError(UNUSABLE);
  // Hashed only for a real invite (a made-up token costs no scrypt), and outside the transaction.
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ email: pending.email, name: input.name, passwordHash })
      .onConflictDoNothing()
      .returning({ id: users.id, email: users.email });
    if (!user) {
      throw new InputError(`An account for ${pending.email} exists already: sign in, then open this link again.`);
    }
    const invite = await consume(tx, { token: input.token, userId: user.id });
    await tx.insert(tenantMemberships).values({ tenantId: invite.tenantId, userId: user.id, role: invite.role });
    await recordTeamChange(tx, {
      actor: { userId: user.id, name: input.name, clientAddress: input.clientAddress },
      tenantId: invite.tenantId,
      action: "account.create_from_invite",
      target: { type: "invite", id: invite.id, label: invite.email },
      details: { role: invite.role },
    });
    return { userId: user.id, email: user.email, tenantId: invite.tenantId };
  });
}

/** The email an open invite was sent to (a Microsoft account made from it takes it), or null. */
export async function openInviteEmail(db: DbOrTx, token: string): Promise<string | null> {
  const [pending] = await db
    .select({ email: tenantInvites.email })
    .from(tenantInvites)
    .where(and(eq(tenantInvites.tokenHash, hashInviteToken(token)), open()));
  return pending?.email ?? null;
}

/**
 * A Microsoft account just made from an invite joins its tenant, in the transaction that made it:
 * the second way (after ALLOWED_ENTRA_TENANT_IDS) a Microsoft sign-in may create an account.
 */
export async function joinFromInvite(tx: DbOrTx, { token, actor }: { token: string; actor: Actor }) {
  const invite = await consume(tx, { token, userId: actor.userId });
  await tx.insert(tenantMemberships).values({ tenantId: invite.tenantId, userId: actor.userId, role: invite.role });
  await recordTeamChange(tx, {
    actor,
    tenantId: invite.tenantId,
    action: "account.create_from_invite",
    target: { type: "invite", id: invite.id, label: invite.email },
    details: { role: invite.role, method: "microsoft" },
  });
  return { tenantId: invite.tenantId };
}

/**
 * Open invites addressed to an email, for the tenants page's banner. It only tells the user an
 * invite is waiting; accepting still takes the link (an account's email is no proof, above).
 */
export async function openInvitesForEmail(db: DbOrTx, email: string) {
  return db
    .select({
      tenantName: tenants.displayName,
      role: tenantInvites.role,
      invitedBy: users.name,
      expiresAt: tenantInvites.expiresAt,
    })
    .from(tenantInvites)
    .innerJoin(tenants, eq(tenants.id, tenantInvites.tenantId))
    .leftJoin(users, eq(users.id, tenantInvites.invitedBy))
    .where(and(eq(tenantInvites.email, email.toLowerCase()), open()))
    .orderBy(desc(tenantInvites.createdAt));
}
