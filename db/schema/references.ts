import { sql } from "drizzle-orm";
import { boolean, index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenants } from "./tenants";

/**
 * The tenant's Intune assignment filters, filled by `directory_references.sync` (the whole list
 * replaced at once). Restore mapping, drift and pages name filters from here, never from Graph.
 */
export const assignmentFilters = pgTable(
  "assignment_filters",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** The filter's id in Intune (a GUID there; kept as text, as Graph types it a string). */
    id: text("id").notNull(),
    displayName: text("display_name").notNull(),
    platform: text("platform"),
    syncedAt: timestamp("synced_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("assignment_filters_tenant_name_idx").on(t.tenantId, sql`lower(${t.displayName})`),
  ],
);

/** The tenant's Intune role scope tags ("0" is the built-in Default), filled like assignmentFilters. */
export const scopeTags = pgTable(
  "scope_tags",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** A small number per tenant, as a string ("0", "3"). */
    id: text("id").notNull(),
    displayName: text("display_name").notNull(),
    isBuiltIn: boolean("is_built_in").notNull().default(false),
    syncedAt: timestamp("synced_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("scope_tags_tenant_name_idx").on(t.tenantId, sql`lower(${t.displayName})`),
  ],
);
