import type { PolicyFamily } from "@/db/schema/inventory";
import { creationType, graphTypeOf, pickWritable } from "@/lib/graph/writable";
import { ItemRefusal } from "@/lib/restores/item-refusal";
import { type CreatedBy, intuneType, partOf } from "./types";

/**
 * Objects Graph creates through an action bound to another entity (the catalogue's `createdBy`): an
 * endpoint-security intent is made by `POST /deviceManagement/templates/{templateId}/createInstance`
 * with `displayName`, `description`, `settingsDelta` and `roleScopeTagIds` (Microsoft's beta
 * reference, intune-deviceintent-devicemanagementtemplate-createinstance; the same parameters
 * IntuneBackupAndRestore's Invoke-IntuneRestoreDeviceManagementIntent.ps1 posts). The object is
 * then listed in its own collection, where lib/graph/create-once.ts finds it again by its marker.
 */

/** An item's part without the ids Graph gave it in its source: Graph numbers the new object's itself. */
export const partWithoutIds = (family: PolicyFamily, content: Record<string, unknown>) =>
  partOf(family, content).map((item) => Object.fromEntries(Object.entries(item).filter(([key]) => key !== "id")));

/** The reference (a template id) an item of a `createdBy` type is created from; refused when the backup has none. */
export function createdFrom(createdBy: CreatedBy, content: Record<string, unknown>): string {
  const id = content[createdBy.reference];
  if (typeof id !== "string" || !id)
    throw new ItemRefusal(
      "template_unknown",
      `Not sent to Graph: the backup names no ${createdBy.reference}, and Graph creates this object only from its template.`,
    );
  return id;
}

/** The action's body: the object's parameters that the metadata lets a write carry, and its part. */
export function createdByBody(family: PolicyFamily, content: Record<string, unknown>): Record<string, unknown> {
  const { createdBy } = intuneType(family);
  if (!createdBy) throw new Error(`${family} is created by a POST to its collection.`);
  const type = graphTypeOf(family, creationType(family, content));
  const writable = type ? pickWritable(type, content).body : {};
  return {
    ...Object.fromEntries(createdBy.parameters.filter((p) => p in writable).map((p) => [p, writable[p]])),
    [createdBy.partParameter]: partWithoutIds(family, content),
  };
}

/** Where an item's create is posted: its collection, or the action on the entity it is created from. */
export function createPath(family: PolicyFamily, content: Record<string, unknown>): string {
  const { collection, createdBy } = intuneType(family);
  if (!createdBy) return collection;
  return `${createdBy.on}/${encodeURIComponent(createdFrom(createdBy, content))}/${createdBy.action}`;
}

/** The body that sets an object's part in place (an intent's `updateSettings` takes `settings`). */
export function partUpdateBody(family: PolicyFamily, content: Record<string, unknown>) {
  const { partSetBy } = intuneType(family);
  if (partSetBy !== "updateSettings") throw new Error(`${family} has no updateSettings.`);
  return { settings: partWithoutIds(family, content) };
}
