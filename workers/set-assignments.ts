import { type Client, GraphError } from "@microsoft/microsoft-graph-client";
import type { PolicyFamily } from "@/db/schema";
import { intuneType } from "@/lib/intune/types";
import { type AssignmentWrite, assignActionBody } from "@/lib/restores/payload";
import { assignWhenSettled, groupIdsIn, whenSettled } from "./consistency";
import type { Page } from "./intune";

/**
 * Gives a policy exactly `assignments`, the way its type is assigned (lib/intune/types.ts): the
 * `/assign` action replaces the set in one request; a type assigned through its `assignments`
 * navigation (Autopilot profiles) is brought to the set one entity at a time — the current set read,
 * each missing assignment created, then each one no longer wanted deleted. Reading first makes a
 * repeat safe: a retried attempt, or a create whose answer was lost, finds what is already there and
 * creates nothing twice. Assignments Intune made from a policy set (`source` other than `direct`)
 * are not the policy's own and are left alone. Replication (a policy or group just created) is
 * waited out as for `/assign` (workers/consistency.ts).
 */
export async function setAssignments(
  graph: Client,
  {
    family,
    policyPath,
    assignments,
    createdAt,
    signal,
  }: {
    family: PolicyFamily;
    policyPath: string;
    assignments: AssignmentWrite[];
    createdAt?: number;
    signal: AbortSignal;
  },
): Promise<void> {
  const via = intuneType(family).assign.via;
  // A type the console does not assign is never sent an assignment, whatever a caller holds.
  if (via === "none") return;
  if (via === "action") {
    await assignWhenSettled(graph, { policyPath, body: assignActionBody(family, assignments), createdAt, signal });
    return;
  }
  await whenSettled(graph, {
    write: () => reconcile(graph, { policyPath, assignments, signal }),
    groupIds: groupIdsIn(assignments),
    createdAt,
    signal,
  });
}

type ReadAssignment = { id: string; source?: string | null; target?: Record<string, unknown> };

async function reconcile(
  graph: Client,
  { policyPath, assignments, signal }: { policyPath: string; assignments: AssignmentWrite[]; signal: AbortSignal },
) {
  const path = `${policyPath}/assignments`;
  const current = (
    (await graph.api(path).version("beta").option("signal", signal).get()) as Page<ReadAssignment>
  ).value.filter((a) => (a.source ?? "direct") === "direct");
  const have = new Map(current.map((a) => [targetKey(a.target ?? {}), a]));
  const wanted = new Map(assignments.map((a) => [targetKey(a.target), a]));
  for (const [key, assignment] of wanted) {
    if (!have.has(key)) await graph.api(path).version("beta").option("signal", signal).post(assignment);
  }
  for (const [key, assignment] of have) {
    if (wanted.has(key)) continue;
    try {
      await graph.api(`${path}/${assignment.id}`).version("beta").option("signal", signal).delete();
    } catch (err) {
      // A DELETE resent after a lost answer finds the assignment gone: that is what it asked for.
      if (!(err instanceof GraphError && err.statusCode === 404)) throw err;
    }
  }
}

/**
 * What makes two assignments the same: the kind of target, its group, and its filter when it has
 * one (a filter id left on an unfiltered target, type `none`, changes nothing).
 */
export function targetKey(target: Record<string, unknown>): string {
  const filtered =
    Boolean(target.deviceAndAppManagementAssignmentFilterId) &&
    (target.deviceAndAppManagementAssignmentFilterType ?? "none") !== "none";
  return JSON.stringify([
    target["@odata.type"] ?? null,
    target.groupId ?? null,
    filtered ? target.deviceAndAppManagementAssignmentFilterId : null,
    filtered ? target.deviceAndAppManagementAssignmentFilterType : null,
  ]);
}
