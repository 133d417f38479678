import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { membershipRole } from "./enums";
import { tenants } from "./tenants";
import { users } from "./users";

/**
 * An invitation to join a tenant with a role: a single-use link whose token is kept only as its
 * sha256 (lib/team/invite-token.ts), so a read of this table cannot be replayed as a link.
 */
export const tenantInvites = pgTable(
  "tenant_invites",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** Lower-cased. Who the inviter meant; a password account created from the invite gets this email. */
    email: text("email").notNull(),
    role: membershipRole("role").notNull(),
    /** Hex sha256 of the link's token; the token itself is shown once to the inviter and never stored. */
    tokenHash: text("token_hash").notNull(),
    invitedBy: uuid("invited_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedBy: uuid("accepted_by").references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("tenant_invites_token_hash_key").on(t.tokenHash),
    index("tenant_invites_tenant_idx").on(t.tenantId),
    index("tenant_invites_email_idx").on(t.email),
    check("tenant_invites_email_lower", sql`${t.email} = lower(${t.email})`),
  ],
);

export type TenantInvite = typeof tenantInvites.$inferSelect;
