import { createHash } from "node:crypto";

/**
 * The marker a create leaves in the object's `description`, so that a create whose answer was lost
 * can be found again. `description` is where every object the console creates keeps free text it
 * returns on list: device configurations, compliance policies, settings-catalog policies and Intune
 * role assignments all define it, writable (Microsoft's beta metadata, lib/graph/writable-properties.generated.json;
 * learn.microsoft.com/graph/api/resources/intune-rbac-deviceandappmanagementroleassignment).
 */
const MARKER = /\s*\[TenantAtlas:[0-9a-f-]{36}\]/gi;

export const markerOf = (intentId: string) => `[TenantAtlas:${intentId}]`;

/**
 * `description` with this create's marker at its end. Markers of earlier creates (a backup of a
 * tenant the console restored into carries one) are taken out first: each object names only the
 * create that made it.
 */
export function withMarker(description: unknown, marker: string): string {
  const text = typeof description === "string" ? description.replace(MARKER, "").trimEnd() : "";
  return text ? `${text} ${marker}` : marker;
}

/** `description` as its author wrote it: without the console's create markers ("" when there is none). */
export const withoutMarker = (description: unknown) =>
  typeof description === "string" ? description.replace(MARKER, "").trimEnd() : "";

export const carriesMarker = (object: { description?: unknown }, marker: string) =>
  typeof object.description === "string" && object.description.includes(marker);

/** A stable key for "the same create" from what decides it (ids, mappings; never secrets). */
export const createKey = (parts: unknown) => createHash("sha256").update(JSON.stringify(parts)).digest("hex");
