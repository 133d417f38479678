import { CronExpressionParser } from "cron-parser";
import { z } from "zod";
import type { Recurrence } from "@/db/schema/schedules";
import { WEEKDAYS } from "./weekdays";

const time = z
  .string()
  .trim()
  .regex(/^\d{1,2}:\d{2}$/, "Give a time as HH:MM (24-hour).")
  .refine((v) => {
    const [h, m] = v.split(":").map(Number);
    return h! <= 23 && m! <= 59;
  }, "The time is out of range: hours 00–23, minutes 00–59.")
  .transform((v) => v.padStart(5, "0"));

/** Five fields (minute hour day month weekday), read the way pg-boss's cron pass reads them. */
export const cronExpressionSchema = z
  .string()
  .trim()
  .min(1, "Give a cron expression.")
  .max(100, "That cron expression is too long.")
  .refine((v) => v.split(/\s+/).length === 5, "A cron expression has five fields: minute hour day month weekday.")
  .refine((v) => {
    try {
      CronExpressionParser.parse(v, { tz: "UTC", strict: false });
      return true;
    } catch {
      return false;
    }
  }, "That is not a valid cron expression.");

/** An IANA zone name ("Europe/Berlin", "UTC") that this server's time zone data knows; no offsets. */
export const timezoneSchema = z
  .string()
  .trim()
  .max(64)
  .refine((v) => {
    if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(v)) return false;
    try {
      new Intl.DateTimeFormat("en", { timeZone: v });
      CronExpressionParser.parse("0 0 * * *", { tz: v, currentDate: new Date() }).next();
      return true;
    } catch {
      return false;
    }
  }, "Unknown time zone: use an IANA name such as Europe/Berlin or UTC.");

export const recurrenceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("hourly") }),
  z.object({ kind: z.literal("daily"), time }),
  z.object({ kind: z.literal("weekly"), weekday: z.coerce.number().int().min(0).max(6), time }),
  z.object({ kind: z.literal("cron"), expression: cronExpressionSchema }),
]);

/** The cron expression a recurrence comes to (its time zone is the schedule's). */
export function toCron(recurrence: Recurrence): string {
  if (recurrence.kind === "cron") return recurrence.expression;
  if (recurrence.kind === "hourly") return "0 * * * *";
  const [hour, minute] = recurrence.time.split(":").map(Number);
  return recurrence.kind === "daily" ? `${minute} ${hour} * * *` : `${minute} ${hour} * * ${recurrence.weekday}`;
}

/** "Daily at 06:30", "Weekly on Monday at 07:00", "Cron 5 * * * *". */
export function describeRecurrence(recurrence: Recurrence): string {
  switch (recurrence.kind) {
    case "hourly":
      return "Hourly, on the hour";
    case "daily":
      return `Daily at ${recurrence.time}`;
    case "weekly":
      return `Weekly on ${WEEKDAYS[recurrence.weekday]} at ${recurrence.time}`;
    case "cron":
      return `Cron ${recurrence.expression}`;
  }
}

/** The next firing after `from`. */
export function nextFiring(cron: string, timezone: string, from: Date): Date {
  return CronExpressionParser.parse(cron, { tz: timezone, currentDate: from, strict: false }).next().toDate();
}

/** The latest firing at or before `at` (null when the expression never fired before it). */
export function previousFiring(cron: string, timezone: string, at: Date): Date | null {
  const interval = CronExpressionParser.parse(cron, {
    tz: timezone,
    currentDate: new Date(at.getTime() + 1),
    strict: false,
  });
  return interval.hasPrev() ? interval.prev().toDate() : null;
}
