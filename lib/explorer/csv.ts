import { csvLine } from "@/lib/audit/csv";
import type { GroupAssignment, PolicyTarget } from "./queries";

/** How an assignment reaches the picked group, in words ("direct", "through B → A", "all users"). */
export function reachLabel(row: Pick<GroupAssignment, "kind" | "through">): string {
  if (row.kind === "all_users") return "all users";
  if (row.kind === "all_devices") return "all devices";
  if (row.through.length === 0) return "direct";
  return `through ${row.through.map((g) => g.name ?? g.id).join(" → ")}`;
}

export const GROUP_CSV_HEADER = csvLine([
  "policy_id",
  "policy",
  "family",
  "platform",
  "intent",
  "reach",
  "assigned_group_id",
  "assigned_group",
  "filter_id",
  "filter",
  "filter_type",
]);

const intent = (kind: GroupAssignment["kind"]) => (kind === "exclusion_group" ? "exclude" : "include");

/** The group view as CSV, every cell injection-safe (lib/audit/csv.ts). */
export function groupAssignmentsCsv(rows: GroupAssignment[]): string {
  return (
    GROUP_CSV_HEADER +
    rows
      .map((r) =>
        csvLine([
          r.policyId,
          r.policyName,
          r.family,
          r.platform,
          intent(r.kind),
          reachLabel(r),
          r.assignedGroup?.id,
          r.assignedGroup?.name,
          r.filterId,
          r.filterName,
          r.filterType,
        ]),
      )
      .join("")
  );
}

export const POLICY_CSV_HEADER = csvLine([
  "target",
  "intent",
  "group_id",
  "group",
  "filter_id",
  "filter",
  "filter_type",
]);

/** The policy view as CSV. */
export function policyTargetsCsv(targets: PolicyTarget[]): string {
  return (
    POLICY_CSV_HEADER +
    targets
      .map((t) =>
        csvLine([
          t.kind === "other" ? t.odataType : t.kind,
          intent(t.kind),
          t.group?.id,
          t.group?.name,
          t.filterId,
          t.filterName,
          t.filterType,
        ]),
      )
      .join("")
  );
}
