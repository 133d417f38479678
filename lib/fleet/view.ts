import "server-only";
import { z } from "zod";
import type { Db } from "@/db/client";
import { compareHealth, type FleetHealth, fleetHealth } from "./health";
import { type FleetRow, listFleet } from "./queries";

/**
 * The fleet view's rows: the query's figures, each tenant's health, in the order the URL asks for.
 * Sorting happens here on the server, after the health is judged (its thresholds live in TypeScript
 * only), over at most a few hundred rows: microseconds, no client-side table state, and a sorted
 * view is a link that survives the live refresh.
 */
export const FLEET_SORTS = ["health", "name", "sync", "backup", "drift", "overdue", "failed", "active"] as const;
export type FleetSort = (typeof FLEET_SORTS)[number];

export const fleetQuerySchema = z.object({
  sort: z.enum(FLEET_SORTS).optional().catch(undefined),
  dir: z.enum(["asc", "desc"]).optional().catch(undefined),
});

export type FleetTenant = FleetRow & { health: FleetHealth };

const byTime = (d: Date | null) => d?.getTime() ?? Number.NEGATIVE_INFINITY;

/** Each order "ascending": worst health, A→Z, stalest first (never = stalest), fewest. */
const ORDER: Record<FleetSort, (a: FleetTenant, b: FleetTenant) => number> = {
  health: (a, b) => compareHealth(a.health, b.health),
  name: (a, b) => a.displayName.localeCompare(b.displayName, "en"),
  sync: (a, b) => byTime(a.lastInventorySyncAt) - byTime(b.lastInventorySyncAt),
  backup: (a, b) => byTime(a.lastBackupAt) - byTime(b.lastBackupAt),
  drift: (a, b) => a.driftCount - b.driftCount,
  overdue: (a, b) => a.overdueSchedules - b.overdueSchedules,
  failed: (a, b) => a.failedRuns - b.failedRuns,
  active: (a, b) => a.activeRuns - b.activeRuns,
};

/** The direction a column sorts in when first chosen: what needs attention first. */
export const DEFAULT_DIR: Record<FleetSort, "asc" | "desc"> = {
  health: "asc",
  name: "asc",
  sync: "asc",
  backup: "asc",
  drift: "desc",
  overdue: "desc",
  failed: "desc",
  active: "desc",
};

export function sortFleet(rows: FleetTenant[], sort: FleetSort, dir: "asc" | "desc"): FleetTenant[] {
  const sign = dir === "asc" ? 1 : -1;
  // Ties keep the query's order (by name), whatever the direction.
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => sign * ORDER[sort](a.row, b.row) || a.index - b.index)
    .map(({ row }) => row);
}

/** The signed-in user's fleet, judged and sorted; `query` is the page's search params. */
export async function fleetView(db: Db, userId: string, query: unknown) {
  const parsed = fleetQuerySchema.parse(query ?? {});
  const sort = parsed.sort ?? "health";
  const dir = parsed.dir ?? DEFAULT_DIR[sort];
  const rows = await listFleet(db, userId);
  // The row is the health's input: a figure the query adds under its input's name (driftCount,
  // overdueSchedules) is judged without a change here.
  const judged = rows.map((row) => ({ ...row, health: fleetHealth(row, row.observedAt) }));
  return { rows: sortFleet(judged, sort, dir), sort, dir };
}
