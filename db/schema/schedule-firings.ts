import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { firingOutcome } from "./enums";
import { operationRuns } from "./operation-runs";
import { schedules } from "./schedules";

/**
 * Every firing of a schedule, whatever came of it. `job_id` is the pg-boss firing job's id: a
 * retried or twice-delivered firing job finds its row and starts nothing.
 */
export const scheduleFirings = pgTable(
  "schedule_firings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    scheduleId: uuid("schedule_id")
      .notNull()
      .references(() => schedules.id, { onDelete: "cascade" }),
    jobId: text("job_id").notNull().unique(),
    outcome: firingOutcome("outcome").notNull(),
    /** The run it started, or the equal active run it found (joined). */
    runId: uuid("run_id").references(() => operationRuns.id, { onDelete: "set null" }),
    /** Why it was skipped, in words. */
    reason: text("reason"),
    firedAt: timestamp("fired_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("schedule_firings_schedule_newest_idx").on(t.scheduleId, t.firedAt.desc())],
);

export type ScheduleFiring = typeof scheduleFirings.$inferSelect;
