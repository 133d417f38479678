import { describe, expect, it } from "vitest";
import { compareHealth, FLEET_THRESHOLDS, type FleetHealthInput, fleetHealth, formatAge } from "./health";

const now = new Date("2026-11-29T12:00:00Z");
const ago = (days: number) => new Date(now.getTime() - days * 86_400_000);
const healthy: FleetHealthInput = {
  verificationStatus: "verified",
  permissionGaps: 0,
  lastInventorySyncAt: ago(0.5),
  lastBackupAt: ago(1),
  failedRuns: 0,
};
const health = (change: Partial<FleetHealthInput>) => fleetHealth({ ...healthy, ...change }, now);

describe("fleetHealth", () => {
  it("is green with no reasons when verified, synced and backed up recently, with nothing failed", () => {
    expect(health({})).toEqual({ level: "green", reasons: [], summary: "All checks pass" });
  });

  it("names the connection state", () => {
    expect(health({ verificationStatus: "failed" }).reasons).toEqual([{ level: "red", text: "Connection failed" }]);
    expect(health({ verificationStatus: "unverified" }).reasons).toEqual([{ level: "amber", text: "Not verified" }]);
    expect(health({ permissionGaps: 2 }).reasons).toEqual([{ level: "amber", text: "2 permissions missing" }]);
  });

  it("turns amber, then red, as the last backup ages, and says how old it is", () => {
    const { amber, red } = FLEET_THRESHOLDS.backupAgeDays;
    expect(health({ lastBackupAt: ago(amber - 0.01) }).level).toBe("green");
    expect(health({ lastBackupAt: ago(amber) }).reasons).toEqual([
      { level: "amber", text: `Last backup ${amber} days ago` },
    ]);
    expect(health({ lastBackupAt: ago(9) })).toMatchObject({
      level: "red",
      summary: "Last backup 9 days ago",
    });
    expect(health({ lastBackupAt: ago(red) }).level).toBe("red");
    expect(health({ lastBackupAt: null }).reasons).toEqual([{ level: "amber", text: "Never backed up" }]);
  });

  it("treats the inventory sync's age the same way", () => {
    expect(health({ lastInventorySyncAt: ago(3) }).reasons).toEqual([
      { level: "amber", text: "Last inventory sync 3 days ago" },
    ]);
    expect(health({ lastInventorySyncAt: ago(30) }).level).toBe("red");
    expect(health({ lastInventorySyncAt: null }).summary).toBe("Inventory never synced");
  });

  it("counts failed runs in the window: one is amber, three are red", () => {
    expect(health({ failedRuns: 1 }).reasons).toEqual([{ level: "amber", text: "1 failed run in 24 h" }]);
    expect(health({ failedRuns: 3 }).reasons).toEqual([{ level: "red", text: "3 failed runs in 24 h" }]);
  });

  it("takes drift and overdue schedules as optional inputs that default to none", () => {
    expect(health({ driftCount: 0, overdueSchedules: 0 }).level).toBe("green");
    expect(health({ driftCount: 1 }).reasons).toEqual([{ level: "amber", text: "1 policy drifted from the baseline" }]);
    expect(health({ driftCount: FLEET_THRESHOLDS.driftCount.red }).reasons).toEqual([
      { level: "red", text: `${FLEET_THRESHOLDS.driftCount.red} policies drifted from the baseline` },
    ]);
    expect(health({ overdueSchedules: 1 }).reasons).toEqual([{ level: "amber", text: "1 schedule overdue" }]);
    expect(health({ overdueSchedules: 4 }).reasons).toEqual([{ level: "red", text: "4 schedules overdue" }]);
  });

  it("takes the worst reason's level and lists every reason, worst first", () => {
    const h = health({ verificationStatus: "unverified", lastBackupAt: ago(9), failedRuns: 1 });
    expect(h.level).toBe("red");
    expect(h.reasons.map((r) => r.level)).toEqual(["red", "amber", "amber"]);
    expect(h.summary).toBe("Last backup 9 days ago; Not verified; 1 failed run in 24 h");
  });
});

describe("compareHealth", () => {
  it("sorts red before amber before green, then more reasons first", () => {
    const red = health({ failedRuns: 5 });
    const amberTwo = health({ failedRuns: 1, verificationStatus: "unverified" });
    const amberOne = health({ failedRuns: 1 });
    const green = health({});
    expect([green, amberOne, red, amberTwo].sort(compareHealth)).toEqual([red, amberTwo, amberOne, green]);
  });
});

describe("formatAge", () => {
  it("reads like people speak", () => {
    expect(formatAge(new Date(now.getTime() - 20_000), now)).toBe("just now");
    expect(formatAge(new Date(now.getTime() - 5 * 60_000), now)).toBe("5 min ago");
    expect(formatAge(new Date(now.getTime() - 3 * 3_600_000), now)).toBe("3 h ago");
    expect(formatAge(ago(1.5), now)).toBe("1 day ago");
    expect(formatAge(ago(9), now)).toBe("9 days ago");
    // A clock a little ahead of the database's never reads "-1 min ago".
    expect(formatAge(new Date(now.getTime() + 5_000), now)).toBe("just now");
  });
});
