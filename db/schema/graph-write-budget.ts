import { doublePrecision, pgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenants } from "./tenants";

/**
 * One token bucket per tenant for Intune writes, shared by every worker and process
 * (lib/graph/write-budget.ts): `tokens` as of `refilledAt`; it goes below zero when callers have
 * reserved slots they are still waiting for.
 */
export const graphWriteBudgets = pgTable("graph_write_budgets", {
  tenantId: uuid("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  tokens: doublePrecision("tokens").notNull(),
  refilledAt: timestamp("refilled_at", { withTimezone: true }).notNull().defaultNow(),
});
