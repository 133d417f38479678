import { sql } from "drizzle-orm";
import { pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    /** scrypt hash (see lib/auth/password.ts); null for accounts that only sign in with Microsoft. */
    passwordHash: text("password_hash"),
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
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.tenantGuid, t.subject] })],
);
