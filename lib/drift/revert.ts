import type { PolicyFamily } from "@/db/schema/inventory";
import { creationType, graphTypeOf, pickWritable } from "@/lib/graph/writable";
import { withoutRank } from "@/lib/intune/ranks";
import { hasCatalogSettings, intuneType } from "@/lib/intune/types";
import { ItemRefusal } from "@/lib/restores/item-refusal";
import { creationBody } from "@/lib/restores/payload";
import { encryptedOmaSettings } from "@/lib/secrets/oma-settings";

/**
 * The request that puts a policy back to its baseline version in place (same id), per family as
 * Graph documents updates (docs/graph-fidelity.md):
 * - device configurations and compliance policies: PATCH with `@odata.type` and the writable
 *   properties Microsoft's metadata lists (lib/graph/writable.ts); a compliance policy's scheduled
 *   actions are contained and not part of a PATCH, so they are left as they are;
 * - settings catalog and endpoint security of its kind: PUT of the whole policy with all its settings, which replaces them (a PATCH
 *   changes the policy's own properties only, and settings have no update of their own).
 * Throws an ItemRefusal for what cannot be sent as it is stored.
 */
export function revertRequest(
  family: PolicyFamily,
  content: Record<string, unknown>,
): { method: "patch" | "put"; body: Record<string, unknown> } {
  if (encryptedOmaSettings(content).length)
    throw new ItemRefusal(
      "secret_values",
      "Not reverted: it holds encrypted OMA-URI values, which a baseline keeps only as references. Restore it from its backup instead.",
    );
  if (hasCatalogSettings(family)) return { method: "put", body: creationBody(family, content) };
  const odataType = creationType(family, content);
  const type = graphTypeOf(family, odataType);
  if (!type)
    throw new ItemRefusal(
      "type_not_updatable",
      `Not reverted: its type (${odataType ?? "none"}) is not in the list of Intune types.`,
    );
  const writable = pickWritable(type, content).body;
  // Made by an action (an intent from its template): only what that action set, never the reference to its template.
  const { createdBy } = intuneType(family);
  const own = createdBy
    ? Object.fromEntries(Object.entries(writable).filter(([key]) => createdBy.parameters.includes(key)))
    : writable;
  // A rank is not part of an update: Revert sends it by setPriority (lib/intune/ranks.ts).
  return { method: "patch", body: withoutRank(family, { "@odata.type": odataType, ...own }) };
}
