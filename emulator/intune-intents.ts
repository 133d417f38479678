import { seededGuid } from "./directory";
import type { EmulatedGroup } from "./groups";
import type { EmulatedPolicy } from "./intune";
import { assignmentsFor } from "./intune-assignments";

/**
 * Endpoint-security intents (beta `deviceManagement/intents`, deviceManagementIntent) and the
 * templates they are made from (`deviceManagement/templates`, deviceManagementTemplate), in the
 * shapes of Microsoft's beta reference (intune-deviceintent-*) and the beta typings: an intent holds
 * its name, description, scope tags and `templateId`; its settings are deviceManagementSettingInstance
 * subtypes (boolean, integer, string), each with the `definitionId` of one of its template's setting
 * definitions and its value in `valueJson`.
 *
 * Templates are Microsoft's: the same ids in every tenant (IntuneBackupAndRestore creates an intent
 * in another tenant from the exported `templateId`: Invoke-IntuneRestoreDeviceManagementIntent.ps1).
 * The ids here are the emulator's own, fixed across tenants and seeds like Microsoft's.
 */
export type EmulatedTemplate = Record<string, unknown> & {
  id: string;
  displayName: string;
  isDeprecated: boolean;
  /** The setting definitions an intent of this template may set, with each one's instance type. */
  definitions: { id: string; kind: "boolean" | "integer" | "string" }[];
};

const CATALOGUE_KEY = 0x494e5445; // template ids do not depend on the emulator's seed or the tenant
const day = (i: number) => new Date(Date.UTC(2024, 4, 1) + i * 86_400_000).toISOString();
const KINDS = ["boolean", "integer", "string"] as const;
const INSTANCE_TYPES = {
  boolean: "#microsoft.graph.deviceManagementBooleanSettingInstance",
  integer: "#microsoft.graph.deviceManagementIntegerSettingInstance",
  string: "#microsoft.graph.deviceManagementStringSettingInstance",
} as const;

function template(
  key: string,
  { displayName, subtype, isDeprecated = false }: { displayName: string; subtype: string; isDeprecated?: boolean },
): EmulatedTemplate {
  return {
    id: seededGuid(CATALOGUE_KEY, `template:${key}`),
    displayName,
    description: `${displayName} settings for Windows 10 and later.`,
    versionInfo: "2006",
    isDeprecated,
    intentCount: 0,
    templateType: "securityTemplate",
    platformType: "windows10AndLater",
    templateSubtype: subtype,
    publishedDateTime: day(0),
    definitions: Array.from({ length: 24 }, (_, i) => ({
      id: `deviceConfiguration--windows10EndpointProtectionConfiguration_${key}Setting${String(i + 1).padStart(2, "0")}`,
      kind: KINDS[i % KINDS.length]!,
    })),
  };
}

/** Microsoft's templates, the same in every tenant; the last is deprecated (no new intents from it). */
export const TEMPLATES: EmulatedTemplate[] = [
  template("antivirus", { displayName: "Microsoft Defender Antivirus", subtype: "antivirus" }),
  template("firewall", { displayName: "Microsoft Defender Firewall", subtype: "firewall" }),
  template("bitlocker", { displayName: "BitLocker", subtype: "diskEncryption" }),
  template("asr", { displayName: "Attack surface reduction rules", subtype: "attackSurfaceReduction" }),
  template("legacyav", { displayName: "Windows 10 antivirus (legacy)", subtype: "antivirus", isDeprecated: true }),
];

/** A template as Graph returns it (its definitions are a navigation of their own). */
export function templateView(t: EmulatedTemplate): Record<string, unknown> {
  return Object.fromEntries(Object.entries(t).filter(([key]) => key !== "definitions"));
}

const sampleValue = (kind: EmulatedTemplate["definitions"][number]["kind"], n: number) =>
  kind === "boolean" ? n % 2 === 0 : kind === "integer" ? 10 + n : `value-${n}`;

/** A setting instance of `definition` with `value`, as `/settings` lists it. */
export function settingInstance(
  definition: EmulatedTemplate["definitions"][number],
  { id, value }: { id: string; value: unknown },
): Record<string, unknown> {
  return {
    "@odata.type": INSTANCE_TYPES[definition.kind],
    id,
    definitionId: definition.id,
    valueJson: JSON.stringify(value),
    value,
  };
}

/**
 * The seeded intents of one tenant: 2 to 7 settings each, the first 14 (more than a settings page),
 * of the four current templates in turn.
 */
export function seedIntents(
  seed: number,
  { tenantKey, groups, count }: { tenantKey: string; groups: EmulatedGroup[]; count: number },
): EmulatedPolicy[] {
  return Array.from({ length: count }, (_, i) => {
    const tpl = TEMPLATES[i % 4]!;
    const size = i === 0 ? 14 : 2 + (i % 6);
    const assignments = assignmentsFor(seed, `${tenantKey}:intent`, i, groups);
    return {
      family: "intents",
      body: {
        "@odata.type": "#microsoft.graph.deviceManagementIntent",
        id: seededGuid(seed, `intent:${tenantKey}:${i}`),
        displayName: `${tpl.displayName} intent ${String(i + 1).padStart(3, "0")}`,
        description: i % 3 === 0 ? null : "Endpoint security for managed Windows devices",
        isAssigned: assignments.length > 0,
        isMigratingToConfigurationPolicy: false,
        lastModifiedDateTime: day(i + 2),
        templateId: tpl.id,
        roleScopeTagIds: ["0"],
      },
      settings: tpl.definitions.slice(0, size).map((d, k) =>
        settingInstance(d, {
          id: seededGuid(seed, `intent-setting:${tenantKey}:${i}:${k}`),
          value: sampleValue(d.kind, i + k),
        }),
      ),
      assignments,
    } satisfies EmulatedPolicy;
  });
}
