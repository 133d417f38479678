import { seededGuid } from "./directory";
import type { EmulatedGroup } from "./groups";

/** An assignment as `/assignments` lists it: a target, and for some types more (a remediation's schedule). */
export type Assignment = Record<string, unknown> & { id: string; target: Record<string, unknown> };

/**
 * The seeded assignments of the `i`th object of a collection: a sixth each included in a group,
 * included in one group and excluded from another, all users, all devices; a third not assigned.
 */
export function assignmentsFor(seed: number, key: string, i: number, groups: EmulatedGroup[]): Assignment[] {
  const group = (n: number) => groups[(i * 7 + n * 13) % Math.max(1, groups.length)]?.id;
  const kinds = i % 6;
  const out: Assignment[] = [];
  if (kinds === 1 || kinds === 4)
    out.push({
      id: seededGuid(seed, `asg:${key}:${i}:0`),
      target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: group(0) },
    });
  if (kinds === 4)
    out.push({
      id: seededGuid(seed, `asg:${key}:${i}:1`),
      target: { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: group(1) },
    });
  if (kinds === 2)
    out.push({
      id: seededGuid(seed, `asg:${key}:${i}:2`),
      target: { "@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget" },
    });
  if (kinds === 3)
    out.push({
      id: seededGuid(seed, `asg:${key}:${i}:3`),
      target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" },
    });
  return out; // kinds 0 and 5: not assigned
}
