import type { VerificationStatus } from "@/db/schema/enums";

/**
 * Red / amber / green for one tenant of the fleet view, with every reason in words. Every threshold
 * lives here, so what "healthy" means is decided (and tested) in one place.
 */
export type HealthLevel = "green" | "amber" | "red";

export const FLEET_THRESHOLDS = {
  /** A sealed backup older than this many days is amber, older than `red` days red. */
  backupAgeDays: { amber: 2, red: 7 },
  /** The same for the last inventory sync that succeeded (fully or partly). */
  inventorySyncAgeDays: { amber: 2, red: 7 },
  /** Failed runs within `failedRunsWindowHours`: from `amber` amber, from `red` red. */
  failedRuns: { amber: 1, red: 3 },
  failedRunsWindowHours: 24,
  /** Policies that drifted from the tenant's baseline (issue 13 §3). */
  driftCount: { amber: 1, red: 10 },
  /** Schedules that missed a firing by more than one interval (issue 13 §1). */
  overdueSchedules: { amber: 1, red: 3 },
} as const;

export type FleetHealthInput = {
  verificationStatus: VerificationStatus;
  /** Application permissions the app lacks for some operation (tenants.permission_gaps). */
  permissionGaps: number;
  lastInventorySyncAt: Date | null;
  lastBackupAt: Date | null;
  failedRuns: number;
  driftCount?: number;
  overdueSchedules?: number;
};

export type HealthReason = { level: Exclude<HealthLevel, "green">; text: string };
export type FleetHealth = { level: HealthLevel; reasons: HealthReason[]; summary: string };

const DAY_MS = 86_400_000;
const RANK: Record<HealthLevel, number> = { green: 0, amber: 1, red: 2 };

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/** How long ago, as people say it: "just now", "5 min ago", "3 h ago", "1 day ago", "9 days ago". */
export function formatAge(at: Date, now: Date): string {
  const ms = Math.max(0, now.getTime() - at.getTime());
  if (ms < 60_000) return "just now";
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ago`;
  if (ms < DAY_MS) return `${Math.floor(ms / 3_600_000)} h ago`;
  return `${plural(Math.floor(ms / DAY_MS), "day")} ago`;
}

/** A count against `{ amber, red }`: the level it reaches, or null below amber. */
function countLevel(n: number, { amber, red }: { amber: number; red: number }): HealthReason["level"] | null {
  if (n >= red) return "red";
  if (n >= amber) return "amber";
  return null;
}

function ageReason(
  what: string,
  at: Date | null,
  { amber, red }: { amber: number; red: number },
  now: Date,
): HealthReason | null {
  if (!at) return null;
  const days = (now.getTime() - at.getTime()) / DAY_MS;
  if (days < amber) return null;
  return { level: days >= red ? "red" : "amber", text: `${what} ${formatAge(at, now)}` };
}

/** The tenant's level (its worst reason's) and the reasons, worst first; green has none. */
export function fleetHealth(input: FleetHealthInput, now: Date): FleetHealth {
  const t = FLEET_THRESHOLDS;
  const reasons: (HealthReason | null)[] = [
    input.verificationStatus === "failed" ? { level: "red", text: "Connection failed" } : null,
    input.verificationStatus === "unverified" ? { level: "amber", text: "Not verified" } : null,
    input.permissionGaps > 0 ? { level: "amber", text: `${plural(input.permissionGaps, "permission")} missing` } : null,
    input.lastBackupAt
      ? ageReason("Last backup", input.lastBackupAt, t.backupAgeDays, now)
      : { level: "amber", text: "Never backed up" },
    input.lastInventorySyncAt
      ? ageReason("Last inventory sync", input.lastInventorySyncAt, t.inventorySyncAgeDays, now)
      : { level: "amber", text: "Inventory never synced" },
    counted(input.failedRuns, t.failedRuns, (n) => `${plural(n, "failed run")} in ${t.failedRunsWindowHours} h`),
    counted(input.driftCount ?? 0, t.driftCount, (n) => `${plural(n, "policy", "policies")} drifted from the baseline`),
    counted(input.overdueSchedules ?? 0, t.overdueSchedules, (n) => `${plural(n, "schedule")} overdue`),
  ];
  const found = reasons.filter((r): r is HealthReason => r !== null).sort((a, b) => RANK[b.level] - RANK[a.level]);
  const level = found[0]?.level ?? "green";
  return { level, reasons: found, summary: found.length ? found.map((r) => r.text).join("; ") : "All checks pass" };
}

function counted(n: number, thresholds: { amber: number; red: number }, text: (n: number) => string) {
  const level = countLevel(n, thresholds);
  return level ? { level, text: text(n) } : null;
}

/** Worse health sorts first: red, then amber, then green; more reasons before fewer. */
export function compareHealth(a: FleetHealth, b: FleetHealth): number {
  return RANK[b.level] - RANK[a.level] || b.reasons.length - a.reasons.length;
}
