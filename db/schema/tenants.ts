import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { membershipRole, verificationStatus } from "./enums";
import { users } from "./users";

/** An application permission the app lacks, and the operations that need it (lib/operations/permissions.ts). */
export type StoredPermissionGap = { permission: string; alternatives: string[]; operations: string[] };

export const tenants = pgTable(
  "tenants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The Entra ID (directory) tenant GUID. */
    tenantGuid: uuid("tenant_guid").notNull(),
    displayName: text("display_name").notNull(),
    /** Application (client) id of the app registration used for app-only Graph calls. */
    clientId: uuid("client_id").notNull(),
    /** AES-256-GCM ciphertext (lib/crypto/secret-box.ts). Never selected by pages. */
    clientSecretEnc: text("client_secret_enc").notNull(),
    /** When the current client secret was stored (the settings page shows only this, never the secret). */
    clientSecretSetAt: timestamp("client_secret_set_at", { withTimezone: true }).notNull().defaultNow(),
    /**
     * When a verification first proved the app signs in to this Entra tenant: from then on this
     * registration holds the GUID (lib/tenants/guid-claim.ts). Null: it claims nothing.
     */
    guidClaimedAt: timestamp("guid_claimed_at", { withTimezone: true }),
    verificationStatus: verificationStatus("verification_status").notNull().default("unverified"),
    verifiedAt: timestamp("verified_at", { withTimezone: true }),
    verificationError: text("verification_error"),
    organizationName: text("organization_name"),
    defaultDomain: text("default_domain"),
    /** Application permissions the app's token carried at the last verification (null: not read). */
    appPermissions: jsonb("app_permissions").$type<string[]>(),
    /** What the app lacks for which operations, as of the last verification. */
    permissionGaps: jsonb("permission_gaps").$type<StoredPermissionGap[]>().notNull().default([]),
    /** Intune's subscriptionState, "notLicensed", or "unknown"; null before a verification read it. */
    intuneStatus: text("intune_status"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Only a verified registration holds its GUID; unverified ones may share it and claim nothing.
    uniqueIndex("tenants_claimed_guid_key").on(t.tenantGuid).where(sql`guid_claimed_at is not null`),
    index("tenants_tenant_guid_idx").on(t.tenantGuid),
  ],
);

export const tenantMemberships = pgTable(
  "tenant_memberships",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    role: membershipRole("role").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.tenantId] }), index("tenant_memberships_tenant_idx").on(t.tenantId)],
);

export type Tenant = typeof tenants.$inferSelect;
export type TenantMembership = typeof tenantMemberships.$inferSelect;
