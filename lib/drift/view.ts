import "server-only";
import type { Db } from "@/db/client";
import type { MembershipRole } from "@/db/schema/enums";
import { allNamed } from "@/lib/named-all";
import { operations } from "@/lib/operations/registry";
import { roleShortfall } from "@/lib/tenants/roles";
import { baselineCandidates, driftBaselineOf } from "./baseline";
import { findingsOfRun, latestDetectRun } from "./findings";

/** Drift counts of the latest completed detect (the overview and the drift page show them). */
export type DriftCounts = { changed: number; missing: number; new: number };

export const driftCountsOf = (run: { summaryCounts: Record<string, number> } | null): DriftCounts | null =>
  run
    ? {
        changed: run.summaryCounts.changed ?? 0,
        missing: run.summaryCounts.missing ?? 0,
        new: run.summaryCounts.new ?? 0,
      }
    : null;

/** Everything the drift page shows, from the database only. */
export async function loadDriftPage(
  db: Db,
  { tenantId, userId, role }: { tenantId: string; userId: string; role: MembershipRole },
) {
  const data = await allNamed({
    baseline: driftBaselineOf(db, tenantId),
    candidates: role === "owner" ? baselineCandidates(db, userId) : Promise.resolve([]),
    latest: latestDetectRun(db, tenantId),
  });
  const findings = data.latest ? await findingsOfRun(db, { tenantId, runId: data.latest.id }) : [];
  return {
    ...data,
    counts: driftCountsOf(data.latest),
    findings: {
      changed: findings.filter((f) => f.kind === "changed"),
      missing: findings.filter((f) => f.kind === "missing"),
      new: findings.filter((f) => f.kind === "new"),
    },
    can: {
      baseline: role === "owner",
      detect: roleShortfall(role, operations["drift.detect"].minRole) ?? null,
      accept: roleShortfall(role, operations["drift.accept"].minRole) ?? null,
      revert: roleShortfall(role, operations["drift.revert"].minRole) ?? null,
    },
  };
}
