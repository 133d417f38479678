import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { type AssignmentTargetKind, policyAssignmentTargets } from "@/db/schema";
import { UUID_PATTERN } from "@/lib/pagination";

/**
 * Target types shared by every Intune family's assignments (deviceAndAppManagementAssignmentTarget
 * and its derived types in the Graph metadata); anything else is kept as "other" with its type.
 */
const KIND_BY_TYPE: Record<string, AssignmentTargetKind> = {
  "#microsoft.graph.groupAssignmentTarget": "group",
  "#microsoft.graph.exclusionGroupAssignmentTarget": "exclusion_group",
  "#microsoft.graph.allLicensedUsersAssignmentTarget": "all_users",
  "#microsoft.graph.allDevicesAssignmentTarget": "all_devices",
};

export type AssignmentTargetRow = Omit<
  typeof policyAssignmentTargets.$inferInsert,
  "tenantId" | "policyId" | "policyName" | "family" | "platform"
>;
/** What the explorer shows of the policy beside each of its targets. */
export type PolicyLabel = { policyName: string; family: string; platform: string };

const text = (value: unknown) => (typeof value === "string" && value ? value : null);

/**
 * The assignments of a policy's stored content (`content.assignments[].target`), read the same way
 * for every family. A group id that is no GUID is dropped (it could name no group); a filter of type
 * "none" (Graph's default when no filter is set) is no filter.
 */
export function assignmentTargetsOf(content: Record<string, unknown>): AssignmentTargetRow[] {
  const assignments = Array.isArray(content.assignments) ? content.assignments : [];
  return assignments.flatMap((assignment, position): AssignmentTargetRow[] => {
    const target = (assignment as { target?: unknown } | null)?.target;
    if (!target || typeof target !== "object") return [];
    const t = target as Record<string, unknown>;
    const odataType = text(t["@odata.type"]) ?? "";
    const kind = KIND_BY_TYPE[odataType] ?? "other";
    const groupId = text(t.groupId);
    const filterId = text(t.deviceAndAppManagementAssignmentFilterId);
    const filterType = text(t.deviceAndAppManagementAssignmentFilterType);
    const hasFilter = Boolean(filterId) && filterType !== "none";
    return [
      {
        position,
        kind,
        odataType: odataType.slice(0, 200),
        groupId: groupId && UUID_PATTERN.test(groupId) ? groupId : null,
        filterId: hasFilter ? filterId!.slice(0, 100) : null,
        filterType: hasFilter ? (filterType ?? "include").slice(0, 20) : null,
      },
    ];
  });
}

/** Replaces each policy's rows with those of its current content (call in the transaction that records it). */
export async function replaceAssignmentTargets(
  tx: DbOrTx,
  tenantId: string,
  changed: { policyId: string; label: PolicyLabel; content: Record<string, unknown> }[],
) {
  await dropAssignmentTargets(
    tx,
    tenantId,
    changed.map((c) => c.policyId),
  );
  const rows = changed.flatMap(({ policyId, label, content }) =>
    assignmentTargetsOf(content).map((r) => ({ ...r, ...label, tenantId, policyId })),
  );
  // Rows per statement: ~10 columns each, far below PostgreSQL's 65,535 bound parameters.
  for (let i = 0; i < rows.length; i += 1000) await tx.insert(policyAssignmentTargets).values(rows.slice(i, i + 1000));
}

/** Deleted policies drop out of the explorer. */
export async function dropAssignmentTargets(tx: DbOrTx, tenantId: string, policyIds: string[]) {
  if (policyIds.length === 0) return;
  await tx
    .delete(policyAssignmentTargets)
    .where(and(eq(policyAssignmentTargets.tenantId, tenantId), inArray(policyAssignmentTargets.policyId, policyIds)));
}
