import type { PolicyFamily } from "@/db/schema/inventory";
import { scheduledActionsForCreate } from "@/lib/graph/compliance-actions";
import { creationType, graphTypeOf, pickWritable, WRITABLE_SOURCE } from "@/lib/graph/writable";
import { createdByBody } from "@/lib/intune/created-by";
import { withoutRank } from "@/lib/intune/ranks";
import { assignmentFields, intuneType, isAssignable } from "@/lib/intune/types";
import { ItemRefusal } from "./item-refusal";
import type { PlannedItem } from "./plan";

/** An `/assign` action's body: one parameter (its name differs per type) holding the assignments. */
export type AssignBody = Record<string, { target: Record<string, unknown> }[]>;

/** The type of a backed-up item, or a refusal that names why it cannot be created. */
function typeToCreate(family: PolicyFamily, content: Record<string, unknown>) {
  const odataType = creationType(family, content);
  const type = graphTypeOf(family, odataType);
  if (!type)
    throw new ItemRefusal(
      "type_not_creatable",
      `Not sent to Graph: its type (${odataType ?? "none given"}) is not in the console's list of Intune types it can create (${WRITABLE_SOURCE}).`,
    );
  return { odataType, type };
}

/**
 * The POST body that recreates a backed-up policy: `@odata.type` and only the properties Microsoft's
 * metadata lets a create carry (lib/graph/writable.ts); settings and compliance actions, which are
 * navigation properties created with the policy, are added explicitly. Throws an ItemRefusal for a
 * type the list does not have, rather than sending guessed fields.
 */
export function creationBody(family: PolicyFamily, content: Record<string, unknown>): Record<string, unknown> {
  const { odataType, type } = typeToCreate(family, content);
  // Made by an action on another entity (an intent by its template's createInstance): that action's parameters.
  if (intuneType(family).createdBy) return createdByBody(family, content);
  // The rank of an enrollment configuration is set after the create (lib/intune/ranks.ts).
  const body: Record<string, unknown> = withoutRank(family, {
    ...(typeof content["@odata.type"] === "string" ? { "@odata.type": odataType } : {}),
    ...pickWritable(type, content).body,
  });
  const createdWith = intuneType(family).createdWith;
  if (createdWith.includes("settings")) {
    // A setting's id is the source policy's; Graph numbers the new policy's settings itself.
    body.settings = (Array.isArray(content.settings) ? content.settings : []).map((s) =>
      Object.fromEntries(Object.entries(s as Record<string, unknown>).filter(([key]) => key !== "id")),
    );
  }
  if (createdWith.includes("scheduledActionsForRule")) {
    const rules = scheduledActionsForCreate(content);
    if (!rules)
      throw new ItemRefusal(
        "compliance_actions_missing",
        "Not sent to Graph: this backup holds no compliance actions (it was taken before backups read them), and Graph creates a compliance policy only with its actions. Back the policy up again to restore it.",
      );
    body.scheduledActionsForRule = rules;
  }
  return body;
}

/** What a restore says about properties it left out because the metadata does not know them. */
export function leftOutNote(family: PolicyFamily, content: Record<string, unknown>): string | null {
  const type = graphTypeOf(family, creationType(family, content));
  const unknown = type ? pickWritable(type, content).unknown : [];
  return unknown.length ? `Not sent, unknown to ${WRITABLE_SOURCE}: ${unknown.join(", ")}.` : null;
}

/** One assignment a restore or a Revert writes: its target and the fields its type carries besides it. */
export type AssignmentWrite = Record<string, unknown> & { target: Record<string, unknown> };

/**
 * The assignments to give a restored item: mapped groups and filters swapped in, assignments whose
 * group or filter has no target left out. A filter's id is always the plan's target id — the same id
 * into the same tenant, the namesake's into another — never a source id elsewhere. Each carries the
 * fields its type's assignment has besides its target.
 */
export function plannedAssignments(item: PlannedItem): AssignmentWrite[] {
  if (!isAssignable(item.family)) return [];
  const fields = assignmentFields(item.family);
  return item.assignments
    .filter((a) => a.action === "assign")
    .map((a) => {
      const target = {
        ...a.target,
        ...(a.targetGroup ? { groupId: a.targetGroup.id } : {}),
        ...(a.filter ? { deviceAndAppManagementAssignmentFilterId: a.filter.targetId } : {}),
      };
      return { ...pickFields(a.fields, fields), target };
    });
}

/** The `/assign` body of a type assigned by the action: the assignments under the parameter it names. */
export function assignActionBody(family: PolicyFamily, assignments: AssignmentWrite[]): AssignBody {
  const how = intuneType(family).assign;
  if (how.via !== "action") throw new Error(`${family} is not assigned by /assign.`);
  return { [how.parameter]: assignments };
}

/** The `/assign` body of a restored item of a type assigned by the action (replaces the whole set). */
export const assignBody = (item: PlannedItem): AssignBody => assignActionBody(item.family, plannedAssignments(item));

/** The assignments an `/assign` body carries, whatever its parameter is named. */
export const assignmentsIn = (body: AssignBody) => Object.values(body).flat();

const pickFields = (source: Record<string, unknown> | undefined, names: string[]) =>
  Object.fromEntries(names.filter((n) => source?.[n] !== undefined).map((n) => [n, source![n]]));
