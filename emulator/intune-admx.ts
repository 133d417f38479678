import { seededGuid } from "./directory";
import type { EmulatedGroup } from "./groups";
import type { EmulatedPolicy } from "./intune";
import { assignmentsFor } from "./intune-assignments";

/**
 * Administrative templates (`groupPolicyConfigurations`, beta) in the shapes of Microsoft's beta
 * reference (groupPolicyConfiguration, groupPolicyDefinitionValue, groupPolicyPresentationValue and
 * its subtypes; properties checked against the beta typings). A configuration holds only its name:
 * each configured policy is a definition value bound to a group policy definition, and each value
 * of a definition's presentations (text box, check box, decimal) is a presentation value.
 *
 * Definitions: Microsoft's built-in ADMX (`policyType` admxBacked) are one catalogue with the same
 * ids in every tenant — backup tools bind a value to the exported definition id in another tenant
 * (IntuneCD, IntuneBackupAndRestore). An imported ADMX (admxIngested) gets its ids in the tenant
 * that imported it: each tenant here has its own.
 */
export type EmulatedPresentation = { "@odata.type": string; id: string; label: string; valueType: string };
export type EmulatedDefinition = Record<string, unknown> & {
  id: string;
  policyType: "admxBacked" | "admxIngested";
  presentations: EmulatedPresentation[];
};
export type EmulatedPresentationValue = Record<string, unknown> & { id: string; presentationId: string };
export type EmulatedDefinitionValue = {
  id: string;
  enabled: boolean;
  configurationType: "policy" | "preference";
  createdDateTime: string;
  lastModifiedDateTime: string;
  definitionId: string;
  presentationValues: EmulatedPresentationValue[];
};

const CATALOGUE_KEY = 0x41444d58; // built-in ids do not depend on the emulator's seed or the tenant
const day = (i: number) => new Date(Date.UTC(2024, 2, 1) + i * 86_400_000).toISOString();

/** Presentation kinds with the presentation value type each takes (GroupPolicyPresentation* / …Value*). */
const KINDS = [
  ["#microsoft.graph.groupPolicyPresentationTextBox", "#microsoft.graph.groupPolicyPresentationValueText"],
  ["#microsoft.graph.groupPolicyPresentationCheckBox", "#microsoft.graph.groupPolicyPresentationValueBoolean"],
  ["#microsoft.graph.groupPolicyPresentationDecimalTextBox", "#microsoft.graph.groupPolicyPresentationValueDecimal"],
] as const;

function definition(key: string, i: number, policyType: EmulatedDefinition["policyType"]): EmulatedDefinition {
  const id = seededGuid(CATALOGUE_KEY, `gpdef:${key}:${i}`);
  return {
    id,
    displayName: `${policyType === "admxBacked" ? "Windows" : "Line of business"} policy ${i + 1}`,
    explainText: "Configures one registry-backed policy.",
    categoryPath: policyType === "admxBacked" ? `\\Windows Components\\Area ${1 + (i % 4)}` : "\\Imported",
    classType: i % 3 === 2 ? "user" : "machine",
    supportedOn: "At least Windows 10",
    policyType,
    hasRelatedDefinitions: false,
    groupPolicyCategoryId: seededGuid(CATALOGUE_KEY, `gpcat:${key}:${i % 4}`),
    minDeviceCspVersion: "10.0",
    minUserCspVersion: "10.0",
    version: "1.0",
    lastModifiedDateTime: day(0),
    // Every other definition has one presentation, every fourth a second one.
    presentations: Array.from({ length: i % 2 === 0 ? 0 : i % 4 === 3 ? 2 : 1 }, (_, p) => {
      const [type, valueType] = KINDS[(i + p) % KINDS.length]!;
      return {
        "@odata.type": type,
        id: seededGuid(CATALOGUE_KEY, `gppres:${key}:${i}:${p}`),
        label: `Option ${p + 1}:`,
        valueType,
      };
    }),
  };
}

/** Microsoft's built-in definitions: the same in every tenant. */
export const BUILT_IN_DEFINITIONS: EmulatedDefinition[] = Array.from({ length: 16 }, (_, i) =>
  definition("builtin", i, "admxBacked"),
);
/** The definitions of the ADMX file a tenant imported: ids of its own. */
export const ingestedDefinitions = (tenantKey: string): EmulatedDefinition[] =>
  Array.from({ length: 2 }, (_, i) => definition(`ingested:${tenantKey}`, i, "admxIngested"));

/** A definition as Graph returns it (presentations are a navigation of their own). */
export function definitionView(d: EmulatedDefinition): Record<string, unknown> {
  const view: Record<string, unknown> = { ...d };
  delete view.presentations;
  return view;
}
export function presentationView(p: EmulatedPresentation): Record<string, unknown> {
  const view: Record<string, unknown> = { ...p, lastModifiedDateTime: day(0) };
  delete view.valueType;
  return view;
}

const sampleValue = (valueType: string, n: number) =>
  valueType.endsWith("Boolean") ? n % 2 === 0 : valueType.endsWith("Decimal") ? 10 + n : `value-${n}`;

/** A value of `def` with a value for each of its presentations. */
export function definitionValueOf(
  def: EmulatedDefinition,
  { id, enabled, n, idOf }: { id: string; enabled: boolean; n: number; idOf: (p: number) => string },
): EmulatedDefinitionValue {
  return {
    id,
    enabled,
    configurationType: "policy",
    createdDateTime: day(n),
    lastModifiedDateTime: day(n + 1),
    definitionId: def.id,
    presentationValues: def.presentations.map((p, pi) => ({
      "@odata.type": p.valueType,
      id: idOf(pi),
      value: sampleValue(p.valueType, n + pi),
      createdDateTime: day(n),
      lastModifiedDateTime: day(n + 1),
      presentationId: p.id,
    })),
  };
}

/** Which kind of definitions a configuration's values use (policyConfigurationIngestionType). */
export function ingestionTypeOf(values: EmulatedDefinitionValue[], definitions: Map<string, EmulatedDefinition>) {
  const kinds = new Set(values.map((v) => definitions.get(v.definitionId)?.policyType));
  if (!kinds.size) return "unknown";
  if (kinds.size > 1) return "mixed";
  return kinds.has("admxIngested") ? "custom" : "builtIn";
}

/**
 * The seeded configurations of one tenant: 1 to 12 values each (the first has 12, more than a
 * definition values page), every fifth also a value of the tenant's imported ADMX.
 */
export function seedAdministrativeTemplates(
  seed: number,
  { tenantKey, groups, count }: { tenantKey: string; groups: EmulatedGroup[]; count: number },
): EmulatedPolicy[] {
  const ingested = ingestedDefinitions(tenantKey);
  const definitions = new Map([...BUILT_IN_DEFINITIONS, ...ingested].map((d) => [d.id, d]));
  const out: EmulatedPolicy[] = [];
  for (let i = 0; i < count; i++) {
    const size = i === 0 ? 12 : 1 + (i % 5);
    const chosen = Array.from(
      { length: size },
      (_, k) => BUILT_IN_DEFINITIONS[(i * 3 + k) % BUILT_IN_DEFINITIONS.length]!,
    );
    if (i % 5 === 4) chosen.push(ingested[i % ingested.length]!);
    const values = chosen.map((def, k) =>
      definitionValueOf(def, {
        id: seededGuid(seed, `gpv:${tenantKey}:${i}:${k}`),
        enabled: (i + k) % 4 !== 0,
        n: i + k,
        idOf: (p) => seededGuid(seed, `gppv:${tenantKey}:${i}:${k}:${p}`),
      }),
    );
    out.push({
      family: "groupPolicyConfigurations",
      body: {
        "@odata.type": "#microsoft.graph.groupPolicyConfiguration",
        id: seededGuid(seed, `gpc:${tenantKey}:${i}`),
        displayName: `Administrative template ${String(i + 1).padStart(3, "0")}`,
        description: i % 3 === 0 ? null : "Group policy for managed Windows devices",
        policyConfigurationIngestionType: ingestionTypeOf(values, definitions),
        roleScopeTagIds: ["0"],
        createdDateTime: day(i),
        lastModifiedDateTime: day(i + 3),
      },
      settings: [],
      definitionValues: values,
      assignments: assignmentsFor(seed, `${tenantKey}:gpc`, i, groups),
    });
  }
  return out;
}
