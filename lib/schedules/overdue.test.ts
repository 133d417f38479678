import { describe, expect, it } from "vitest";
import { overdueSince } from "./overdue";
import { nextFiring, recurrenceSchema, toCron } from "./recurrence";

const at = (iso: string) => new Date(iso);
const hourly = { cron: "0 * * * *", timezone: "UTC", paused: false, activeSince: at("2026-11-01T00:00:00Z") };

describe("overdueSince", () => {
  it("flags a schedule whose last firing is two intervals old, from the occurrence it missed", () => {
    const now = at("2026-11-28T12:10:00Z");
    expect(overdueSince({ ...hourly, lastFiredAt: at("2026-11-28T10:00:04Z") }, now)).toEqual(
      at("2026-11-28T12:00:00Z"),
    );
  });

  it("does not flag a schedule that fired on its last occurrence, or one still inside the grace", () => {
    expect(overdueSince({ ...hourly, lastFiredAt: at("2026-11-28T12:00:03Z") }, at("2026-11-28T12:59:00Z"))).toBeNull();
    // 13:00 was due three minutes ago: within the five-minute grace.
    expect(overdueSince({ ...hourly, lastFiredAt: at("2026-11-28T12:00:03Z") }, at("2026-11-28T13:03:00Z"))).toBeNull();
    // A firing a little before the occurrence (clock skew) counts for it.
    expect(overdueSince({ ...hourly, lastFiredAt: at("2026-11-28T11:59:58Z") }, at("2026-11-28T12:30:00Z"))).toBeNull();
  });

  it("owes nothing before the schedule was active, and a paused schedule is never overdue", () => {
    const fresh = { ...hourly, activeSince: at("2026-11-28T12:20:00Z"), lastFiredAt: null };
    expect(overdueSince(fresh, at("2026-11-28T12:50:00Z"))).toBeNull();
    expect(overdueSince(fresh, at("2026-11-28T13:06:00Z"))).toEqual(at("2026-11-28T13:00:00Z"));
    expect(overdueSince({ ...hourly, paused: true, lastFiredAt: null }, at("2026-11-28T13:06:00Z"))).toBeNull();
  });

  it("reads the occurrence in the schedule's time zone", () => {
    // Daily 06:00 in Berlin is 05:00 UTC in winter.
    const daily = {
      cron: "0 6 * * *",
      timezone: "Europe/Berlin",
      paused: false,
      activeSince: at("2026-11-01T00:00:00Z"),
    };
    expect(overdueSince({ ...daily, lastFiredAt: at("2026-11-27T05:00:02Z") }, at("2026-11-28T05:04:00Z"))).toBeNull();
    expect(overdueSince({ ...daily, lastFiredAt: at("2026-11-27T05:00:02Z") }, at("2026-11-28T05:06:00Z"))).toEqual(
      at("2026-11-28T05:00:00Z"),
    );
  });
});

describe("recurrence", () => {
  it("turns presets into cron and finds the next firing in the zone", () => {
    const weekly = recurrenceSchema.parse({ kind: "weekly", weekday: "1", time: "7:30" });
    expect(toCron(weekly)).toBe("30 7 * * 1");
    expect(toCron({ kind: "hourly" })).toBe("0 * * * *");
    expect(nextFiring("30 7 * * 1", "America/New_York", at("2026-11-28T12:00:00Z"))).toEqual(
      at("2026-11-30T12:30:00Z"),
    );
  });
});
