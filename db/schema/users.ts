import { sql } from "drizzle-orm";
import { index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    /** scrypt hash (see lib/auth/password.ts); null for accounts that only sign in with Microsoft. */
    passwordHash: text("password_hash"),
    /**
     * Copied into the session JWT at sign-in; a session carrying an older value is refused. Raised by
     * "sign out other sessions" and a password change (lib/account/sessions.ts).
     */
    sessionEpoch: integer("session_epoch").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_email_key").on(sql`lower(${t.email})`)],
);

export type User = typeof users.$inferSelect;

/**
 * Microsoft identities linked to console accounts: the Entra object id (and its tenant) of whoever
 * signed in with Microsoft as this user. Identifiers only, never tokens.
 */
export const userIdentities = pgTable(
  "user_identities",
  {
    provider: text("provider").notNull(),
    /** The identity's object id (`oid`) in Entra ID. */
    subject: text("subject").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The identity's Entra tenant (`tid`): with `subject`, what names a Microsoft identity for good. */
    tenantGuid: text("tenant_guid").notNull(),
    /** The username claim at the last sign-in: shown on the Account page, never used to match. */
    username: text("username"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.tenantGuid, t.subject] })],
);

/**
 * A pending "link a Microsoft account": made when the user re-entered their password (the time is
 * kept here, not in the browser), redeemed by the Microsoft sign-in that follows within five
 * minutes. The browser holds only the random token whose hash is the key.
 */
export const identityLinkRequests = pgTable(
  "identity_link_requests",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    reauthenticatedAt: timestamp("reauthenticated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("identity_link_requests_user_idx").on(t.userId)],
);
