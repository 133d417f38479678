import { sql } from "drizzle-orm";
import { boolean, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenants } from "./tenants";

/**
 * The Entra group directory cache, filled by `directory_groups.sync`. Pages and the restore wizard's
 * group mapping read this table only, never Graph.
 */
export const entraGroups = pgTable(
  "entra_groups",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** The group's object id in Entra ID. */
    id: uuid("id").notNull(),
    displayName: text("display_name").notNull(),
    description: text("description"),
    mail: text("mail"),
    groupTypes: jsonb("group_types").$type<string[]>().notNull().default([]),
    securityEnabled: boolean("security_enabled").notNull().default(false),
    mailEnabled: boolean("mail_enabled").notNull().default(false),
    /** Removed in Entra ID (seen as `@removed` in a delta round); kept so history reads right. */
    deleted: boolean("deleted").notNull().default(false),
    syncedAt: timestamp("synced_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("entra_groups_tenant_name_idx").on(t.tenantId, sql`lower(${t.displayName})`, t.id).where(sql`not deleted`),
    // The explorer's search by name prefix: in the "C" collation one btree serves `like 'x%'` and
    // the order, so a search reads only its matches (an infix `like '%x%'` reads every group).
    index("entra_groups_name_prefix_idx")
      .on(t.tenantId, sql`(lower(${t.displayName}) collate "C")`, t.id)
      .where(sql`not deleted`),
  ],
);

/** Per-tenant sync state of the directory cache: where the next delta round starts. */
export const tenantDirectoryState = pgTable("tenant_directory_state", {
  tenantId: uuid("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  /** Graph's `@odata.deltaLink` from the last complete round (null until the first one). */
  groupsDeltaLink: text("groups_delta_link"),
  groupsSyncedAt: timestamp("groups_synced_at", { withTimezone: true }),
  /** The stored deltaLink tracks `members` too: a link from before membership was cached forces one full round. */
  groupsDeltaTracksMembers: boolean("groups_delta_tracks_members").notNull().default(false),
});

export type EntraGroup = typeof entraGroups.$inferSelect;
