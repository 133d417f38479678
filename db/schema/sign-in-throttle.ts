import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Failed sign-ins per key (`account:<email>` or `address:<client address>`) in the current window,
 * in PostgreSQL so that every web server counts the same guesses.
 */
export const signInThrottle = pgTable("sign_in_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull(),
  /** Set when `failures` reaches the key's limit: no password is checked for this key until then. */
  lockedUntil: timestamp("locked_until", { withTimezone: true }),
});
