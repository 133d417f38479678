import { type BackedUpValue, definitionIdOf, definitionValuesUpdate } from "@/lib/intune/definition-values";
import { definitionValueEntry } from "./normalize";

/**
 * The `updateDefinitionValues` body that puts an administrative template's values back to its
 * baseline in place: a value whose definition the baseline lacks, or whose state or options differ
 * from the baseline's, is deleted (`deletedIds`) and the baseline's value added in its place; a
 * baseline value the object lacks is added. Sending it again after it applied finds nothing to change.
 * Into another tenant an imported ADMX's values are neither deleted nor added (their ids are each
 * tenant's): the baseline's are named as left out.
 */
export function definitionValuesRevert(
  baseline: BackedUpValue[],
  current: BackedUpValue[],
  { crossTenant, graphUrl }: { crossTenant: boolean; graphUrl: string },
) {
  const entryOf = (v: BackedUpValue) => definitionValueEntry(v, "id");
  const wanted = new Map(
    baseline.flatMap((v) => (entryOf(v) ? [[entryOf(v)![0], entryOf(v)![1].value] as const] : [])),
  );
  const deletedIds: string[] = [];
  const kept = new Set<string>();
  for (const value of current) {
    const entry = entryOf(value);
    if (!entry) continue;
    if (crossTenant && value.definition?.policyType === "admxIngested") continue;
    if (wanted.get(entry[0]) === entry[1].value) kept.add(definitionIdOf(value)!);
    else deletedIds.push(String(value.id));
  }
  const { body, leftOut } = definitionValuesUpdate(baseline, { present: kept, crossTenant, graphUrl });
  const added = body?.added ?? [];
  return {
    body: added.length || deletedIds.length ? { added, updated: [] as [], deletedIds } : null,
    leftOut,
  };
}
