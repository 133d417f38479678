import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * One row per running worker process, on any host (lib/operations/worker-heartbeat.ts): written at
 * start, refreshed every few seconds, deleted on a clean shutdown. A row whose `last_seen_at` is old
 * belongs to a worker that died; any worker deletes such rows after a while. `metrics` is the
 * process's Prometheus registry as of its last beat, so any web server can report the fleet's.
 */
export const workerHeartbeats = pgTable(
  "worker_heartbeats",
  {
    id: uuid("id").primaryKey(),
    host: text("host").notNull(),
    pid: integer("pid").notNull(),
    version: text("version").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    jobsInFlight: integer("jobs_in_flight").notNull().default(0),
    metrics: jsonb("metrics").$type<unknown[]>().notNull().default([]),
  },
  (t) => [index("worker_heartbeats_last_seen_idx").on(t.lastSeenAt)],
);

export type WorkerHeartbeat = typeof workerHeartbeats.$inferSelect;
