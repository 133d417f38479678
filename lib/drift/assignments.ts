import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { type DriftBaselineEntry, entraGroups } from "@/db/schema";
import { referencesByName } from "@/lib/directory/references";
import { assignmentFields, isAssignable } from "@/lib/intune/types";

const FILTER_FIELDS = ["deviceAndAppManagementAssignmentFilterId", "deviceAndAppManagementAssignmentFilterType"];

type Assignment = Record<string, unknown> & { target: Record<string, unknown> };

/**
 * The `/assign` assignments that put a baseline entry's assignments back in `tenantId`: each target
 * with the fields its type's assignment carries besides it (a remediation's `runRemediationScript`
 * and `runSchedule`), which `/assign` would otherwise reset. An entry read in this tenant keeps its
 * targets; one from another tenant has each group swapped for this tenant's group of the same name
 * (directory caches), and each assignment filter for this tenant's filter of the same name (filter
 * caches). A target that cannot be carried over — a group or a filter without a single namesake
 * (dropping a filter would widen who the policy reaches) — is counted as unmapped, and the caller
 * then leaves the policy's assignments alone rather than send an incomplete list that would replace them.
 */
export async function baselineAssignTargets(
  db: DbOrTx,
  { tenantId, entry }: { tenantId: string; entry: DriftBaselineEntry },
): Promise<{ assignments: Assignment[]; unmapped: number }> {
  if (!isAssignable(entry.family)) return { assignments: [], unmapped: 0 };
  const fields = assignmentFields(entry.family);
  const assignments = (Array.isArray(entry.content.assignments) ? entry.content.assignments : [])
    .map((a) => a as Record<string, unknown> & { target?: Record<string, unknown> })
    .filter((a): a is Assignment => Boolean(a.target))
    .map(
      (a): Assignment => ({
        ...Object.fromEntries(fields.filter((f) => a[f] !== undefined).map((f) => [f, a[f]])),
        target: a.target,
      }),
    );
  if (entry.sourceTenantId === tenantId) return { assignments, unmapped: 0 };
  // The names the other tenant's cache had when the baseline was chosen (it may be gone since).
  const source = Object.entries(entry.groupNames).map(([id, name]) => ({ id, name }));
  const names = [...new Set(source.map((g) => g.name.toLowerCase()))];
  const here = names.length
    ? await db
        .select({ id: entraGroups.id, name: entraGroups.displayName })
        .from(entraGroups)
        .where(
          and(
            eq(entraGroups.tenantId, tenantId),
            eq(entraGroups.deleted, false),
            inArray(sql`lower(${entraGroups.displayName})`, names),
          ),
        )
    : [];
  const sourceName = new Map(source.map((g) => [g.id, g.name.toLowerCase()]));
  const filterHere = await referencesByName(db, {
    tenantId,
    kind: "filter",
    names: Object.values(entry.filterNames ?? {}),
  });
  // A name held by two groups here is no namesake: either choice could be the wrong group.
  const targetId = new Map<string, string | null>();
  for (const g of here) {
    const name = g.name.toLowerCase();
    targetId.set(name, targetId.has(name) ? null : g.id);
  }
  let unmapped = 0;
  const mapped: Assignment[] = [];
  for (const { target, ...rest } of assignments) {
    // An unfiltered target is sent without filter fields (a stale id with type "none" included).
    const copy = Object.fromEntries(Object.entries(target).filter(([key]) => !FILTER_FIELDS.includes(key)));
    if (hasFilter(target)) {
      const name = entry.filterNames?.[String(target.deviceAndAppManagementAssignmentFilterId)];
      const id = name ? filterHere.get(name.toLowerCase()) : undefined;
      if (!id) {
        unmapped += 1;
        continue;
      }
      copy.deviceAndAppManagementAssignmentFilterId = id;
      copy.deviceAndAppManagementAssignmentFilterType = target.deviceAndAppManagementAssignmentFilterType;
    }
    if (typeof target.groupId === "string") {
      const id = targetId.get(sourceName.get(target.groupId) ?? "");
      if (!id) {
        unmapped += 1;
        continue;
      }
      copy.groupId = id;
    }
    mapped.push({ ...rest, target: copy });
  }
  return { assignments: mapped, unmapped };
}

const hasFilter = (target: Record<string, unknown>) =>
  Boolean(target.deviceAndAppManagementAssignmentFilterId) &&
  target.deviceAndAppManagementAssignmentFilterType !== "none";
