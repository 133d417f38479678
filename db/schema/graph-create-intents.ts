import { index, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { operationRuns } from "./operation-runs";
import { tenants } from "./tenants";

/**
 * `pending`: recorded before the POST, its answer not (yet) seen — the object may exist.
 * `created`: Graph answered with the new object. `adopted`: the answer was lost and the object was
 * found again by its marker. `not_applied`: Graph refused it, or it was looked for and not found.
 */
export const graphCreateIntentStatus = pgEnum("graph_create_intent_status", [
  "pending",
  "created",
  "adopted",
  "not_applied",
]);

/**
 * One Graph create a run is about to send (lib/graph/create-once.ts), written before the POST so that
 * a create whose answer is lost (a 5xx after the write, a dropped connection, a killed worker, a
 * cancelled run) can be found again in the tenant by its marker and adopted instead of made twice.
 */
export const graphCreateIntents = pgTable(
  "graph_create_intents",
  {
    /** Also the marker written into the created object's description. */
    id: uuid("id").primaryKey().defaultRandom(),
    runId: uuid("run_id")
      .notNull()
      .references(() => operationRuns.id, { onDelete: "cascade" }),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** The Graph collection posted to, e.g. /deviceManagement/deviceConfigurations. */
    collection: text("collection").notNull(),
    /** What is being created, the same for a retry or a re-run of the same work (e.g. a backup item and mapping). */
    itemKey: text("item_key").notNull(),
    status: graphCreateIntentStatus("status").notNull().default("pending"),
    /** The object's id in the tenant, once known. */
    objectId: text("object_id"),
    /** The run that found and took over the object when the answer was lost. */
    adoptedByRunId: uuid("adopted_by_run_id").references(() => operationRuns.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("graph_create_intents_item_idx").on(t.tenantId, t.collection, t.itemKey),
    index("graph_create_intents_run_idx").on(t.runId),
  ],
);

export type GraphCreateIntent = typeof graphCreateIntents.$inferSelect;
