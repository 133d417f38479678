import { containedType, pickWritable } from "@/lib/graph/writable";

/**
 * An administrative template's values, as a backup holds them (read with `$expand=definition`, each
 * with its `presentationValues` read with `$expand=presentation`) and as `updateDefinitionValues`
 * takes them: each value bound to its definition (`definition@odata.bind`), each presentation value
 * to a presentation of that definition (`presentation@odata.bind`), with only what the metadata
 * lets a create carry (lib/graph/writable-properties.generated.json: enabled, configurationType;
 * value or values).
 *
 * A built-in definition (`policyType` admxBacked) has the same id in every tenant: Microsoft ships
 * the catalogue, and backup tools bind the exported id in another tenant (IntuneCD,
 * IntuneBackupAndRestore). An imported ADMX's definitions (admxIngested) get their ids in the tenant
 * that imported the file, so into another tenant such a value is left out and named, never bound
 * to a foreign id.
 */
export type BackedUpValue = Record<string, unknown> & {
  definition?: Record<string, unknown> & { id?: string; policyType?: string; displayName?: string | null };
  presentationValues?: (Record<string, unknown> & { presentation?: { id?: string; label?: string | null } })[];
};

/** The value's definition id, the key of a configuration's values (one value per definition). */
export const definitionIdOf = (value: BackedUpValue) =>
  typeof value.definition?.id === "string" ? value.definition.id : undefined;

export const definitionLabel = (value: BackedUpValue) => {
  const d = value.definition ?? {};
  return [d.categoryPath, d.displayName].filter((s) => typeof s === "string" && s).join("\\") || String(d.id);
};

const PRESENTATION_VALUE =
  /^#microsoft\.graph\.(groupPolicyPresentationValue(?:Boolean|Decimal|List|LongDecimal|MultiText|Text))$/;
/** The metadata of a presentation value's type; none for a type the list does not have. */
const presentationValueType = (odataType: unknown) => {
  const name = typeof odataType === "string" ? PRESENTATION_VALUE.exec(odataType)?.[1] : undefined;
  return name ? containedType(name) : undefined;
};

export type DefinitionValuesUpdate = {
  /** The `updateDefinitionValues` body, or null when nothing is left to add. */
  body: { added: Record<string, unknown>[]; updated: []; deletedIds: [] } | null;
  /** Values not sent, each named with why. */
  leftOut: string[];
};

/**
 * What to send so the configuration at `graphUrl` holds the backup's values: only those whose
 * definition it does not hold yet (`present`), so a retry after a partial success adds the rest and
 * nothing twice.
 */
export function definitionValuesUpdate(
  values: BackedUpValue[],
  { present, crossTenant, graphUrl }: { present: Set<string>; crossTenant: boolean; graphUrl: string },
): DefinitionValuesUpdate {
  const valueType = containedType("groupPolicyDefinitionValue");
  const added: Record<string, unknown>[] = [];
  const leftOut: string[] = [];
  for (const value of values) {
    const id = definitionIdOf(value);
    if (!id) {
      leftOut.push(`a value without its definition (the backup did not read it)`);
      continue;
    }
    if (crossTenant && value.definition?.policyType === "admxIngested") {
      leftOut.push(`“${definitionLabel(value)}” (an imported ADMX: import it in this tenant and set it again)`);
      continue;
    }
    if (present.has(id)) continue;
    const definitionUrl = `${graphUrl}/beta/deviceManagement/groupPolicyDefinitions('${id}')`;
    added.push({
      ...pickWritable(valueType, value).body,
      "definition@odata.bind": definitionUrl,
      presentationValues: (value.presentationValues ?? []).flatMap((pv) => {
        const type = presentationValueType(pv["@odata.type"]);
        const presentationId = pv.presentation?.id;
        if (!type || typeof presentationId !== "string") return [];
        return [
          {
            "@odata.type": pv["@odata.type"],
            ...pickWritable(type, pv).body,
            "presentation@odata.bind": `${definitionUrl}/presentations('${presentationId}')`,
          },
        ];
      }),
    });
  }
  return { body: added.length ? { added, updated: [], deletedIds: [] } : null, leftOut };
}
