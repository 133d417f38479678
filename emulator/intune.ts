import { type ComplianceRule, expandedActions, seedComplianceActions } from "./compliance-actions";
import { seededGuid } from "./directory";
import type { EmulatedGroup } from "./groups";
import { type EmulatedDefinitionValue, seedAdministrativeTemplates } from "./intune-admx";
import { type AppProtectionCounts, seedAppProtections } from "./intune-app-protection";
import type { Assignment } from "./intune-assignments";
import { assignmentsFor } from "./intune-assignments";
import { type AutopilotCounts, seedAutopilotProfiles } from "./intune-autopilot";
import { COLLECTIONS, type PolicyFamily } from "./intune-collections";
import { seedDeviceAppConfigurations } from "./intune-device-app-config";
import { endpointSecurityPolicy } from "./intune-endpoint-security";
import { type EnrollmentCounts, seedEnrollmentConfigurations } from "./intune-enrollment";
import { seedIntents } from "./intune-intents";
import { type EmulatedMessage, expandedMessages, seedNotificationTemplates } from "./intune-notifications";
import { type ScriptCounts, seedScripts } from "./intune-scripts";
import { seedSecrets } from "./intune-secrets";
import { seedUpdateProfiles, type UpdateProfileCounts, updateRing } from "./intune-updates";

export type { Assignment } from "./intune-assignments";
/**
 * Intune objects of one tenant, generated from the seed: device configurations and compliance
 * policies (v1.0 and beta), the beta-only settings catalog (`configurationPolicies`: `name`, not
 * displayName, with nested `/settings`), and the beta-only scripts (emulator/intune-scripts.ts).
 * Each collection is described in emulator/intune-collections.ts.
 */
export { POLICY_FAMILIES, type PolicyFamily } from "./intune-collections";
export type EmulatedPolicy = {
  family: PolicyFamily;
  /** Graph's representation (what the list and the item endpoints return). */
  body: Record<string, unknown> & { id: string };
  settings: Record<string, unknown>[];
  assignments: Assignment[];
  /** A compliance policy's scheduled actions (contained: returned only with $expand). */
  scheduledActionsForRule?: ComplianceRule[];
  /** Test switch: its /assignments answers 403, a permanent per-item failure. */
  brokenAssignments?: boolean;
  /** The apps an app protection or app configuration policy targets (contained: returned only with $expand). */
  apps?: Record<string, unknown>[];
  /** An administrative template's values (emulator/intune-admx.ts), read through their own endpoints. */
  definitionValues?: EmulatedDefinitionValue[];
  /** A notification message template's localized messages (contained: their own endpoints, or expanded). */
  localizedNotificationMessages?: EmulatedMessage[];
  /** Plain texts of its secrets by OMA `secretReferenceValueId` or catalog token (see intune-secrets.ts). */
  secrets?: Record<string, string>;
};

/**
 * A policy as the list and item endpoints answer it: a settings catalog policy's read-only
 * `isAssigned` follows its assignments; a compliance policy's actions appear only when expanded.
 */
export function policyView(policy: EmulatedPolicy, options: { expand?: string; context: string; listed?: boolean }) {
  const view = ownView(policy, options);
  // Contained apps appear only when expanded (list or item), with their own context annotation.
  const expanded = (options.expand ?? "").split(",").map((e) => e.trim());
  if (!COLLECTIONS[policy.family].targetApps || !expanded.includes("apps")) return view;
  return { ...view, "apps@odata.context": `${options.context}/apps`, apps: policy.apps ?? [] };
}

function ownView(
  policy: EmulatedPolicy,
  { expand, context, listed = false }: { expand?: string; context: string; listed?: boolean },
) {
  // Some properties only a GET by id returns (a script's content): the list answers them as null.
  const lazy = listed ? COLLECTIONS[policy.family].listedAsNull : [];
  if (lazy.length) return { ...policy.body, ...Object.fromEntries(lazy.map((p) => [p, null])) };
  if (policy.family === "configurationPolicies") return { ...policy.body, isAssigned: policy.assignments.length > 0 };
  if (policy.family === "notificationMessageTemplates")
    return { ...policy.body, ...expandedMessages(policy, { expand, context }) };
  if (policy.family === "deviceCompliancePolicies")
    return {
      ...policy.body,
      ...expandedActions(policy.scheduledActionsForRule ?? [], { context, expand: expand ?? "" }),
    };
  return policy.body;
}

/**
 * Each type with settings it really has (checked against the metadata in emulator/intune.test.ts);
 * `n` varies them per policy.
 */
const CONFIG_TYPES = [
  [
    "#microsoft.graph.windows10GeneralConfiguration",
    "Windows",
    (n: number) => ({
      passwordRequired: n % 2 === 0,
      passwordMinimumLength: 6 + (n % 8),
      storageRequireMobileDeviceEncryption: n % 3 !== 0,
    }),
  ],
  [
    "#microsoft.graph.iosGeneralDeviceConfiguration",
    "iOS",
    (n: number) => ({ passcodeRequired: n % 2 === 0, passcodeMinimumLength: 6 + (n % 8), cameraBlocked: n % 3 === 0 }),
  ],
  [
    "#microsoft.graph.androidWorkProfileGeneralDeviceConfiguration",
    "Android",
    (n: number) => ({
      passwordMinimumLength: 6 + (n % 8),
      workProfilePasswordMinimumLength: 4 + (n % 8),
      workProfileBlockCamera: n % 3 === 0,
    }),
  ],
  [
    "#microsoft.graph.macOSGeneralDeviceConfiguration",
    "macOS",
    (n: number) => ({ passwordRequired: n % 2 === 0, passwordMinimumLength: 6 + (n % 8), cameraBlocked: n % 3 === 0 }),
  ],
] as const;
const COMPLIANCE_TYPES = [
  [
    "#microsoft.graph.windows10CompliancePolicy",
    "Windows",
    (n: number) => ({ passwordRequired: true, osMinimumVersion: `10.0.${19041 + n}`, storageRequireEncryption: true }),
  ],
  [
    "#microsoft.graph.iosCompliancePolicy",
    "iOS",
    (n: number) => ({
      passcodeRequired: true,
      osMinimumVersion: `${15 + (n % 5)}.0`,
      securityBlockJailbrokenDevices: true,
    }),
  ],
  [
    "#microsoft.graph.androidCompliancePolicy",
    "Android",
    (n: number) => ({
      passwordRequired: true,
      osMinimumVersion: `${10 + (n % 5)}.0`,
      securityBlockJailbrokenDevices: true,
    }),
  ],
  [
    "#microsoft.graph.macOSCompliancePolicy",
    "macOS",
    (n: number) => ({ passwordRequired: true, osMinimumVersion: `${12 + (n % 5)}.0`, storageRequireEncryption: true }),
  ],
] as const;
/** What a real tenant returns on every policy: scope tags ("0" is Default) and, for configurations, read-only supportsScopeTags and the applicability rules. */
const SCOPE_TAGS = { roleScopeTagIds: ["0"] };
const CONFIG_COMMON = {
  ...SCOPE_TAGS,
  supportsScopeTags: true,
  deviceManagementApplicabilityRuleOsEdition: null,
  deviceManagementApplicabilityRuleOsVersion: null,
  deviceManagementApplicabilityRuleDeviceMode: null,
};
const CATALOG_PLATFORMS = ["windows10", "macOS", "iOS"] as const;
/**
 * Update rings and endpoint-security policies live in the collections of device configurations and
 * of the settings catalog: every RING_EVERY-th object of the first, every SECURITY_EVERY-th of the
 * second (from the third on, so the catalog keeps its 30-setting policies) is one: 10 of 120 and 20
 * of 120 in the default tenant.
 */
const RING_EVERY = 12;
const SECURITY_EVERY = 6;
const SECURITY_FIRST = 2;

export function seedPolicies(
  seed: number,
  tenantKey: string,
  groups: EmulatedGroup[],
  perFamily: {
    deviceConfigurations: number;
    deviceCompliancePolicies: number;
    configurationPolicies: number;
  } & Partial<ScriptCounts> &
    Partial<UpdateProfileCounts> &
    Partial<AutopilotCounts> &
    Partial<AppProtectionCounts> &
    Partial<EnrollmentCounts> & {
      groupPolicyConfigurations?: number;
      mobileAppConfigurations?: number;
      intents?: number;
      notificationMessageTemplates?: number;
    } = {
    deviceConfigurations: 120,
    deviceCompliancePolicies: 80,
    configurationPolicies: 120,
  },
): EmulatedPolicy[] {
  const created = (i: number) => new Date(Date.UTC(2023, 0, 1) + i * 86_400_000).toISOString();
  const policies: EmulatedPolicy[] = [];
  // Compliance notifications name this tenant's own templates.
  const templates = seedNotificationTemplates(seed, { tenantKey, count: perFamily.notificationMessageTemplates ?? 12 });
  for (let i = 0; i < perFamily.deviceConfigurations; i++) {
    if (i % RING_EVERY === RING_EVERY - 1) {
      policies.push(updateRing(seed, { tenantKey, i: Math.floor(i / RING_EVERY), groups, created: created(i) }));
      continue;
    }
    const [type, platform, settings] = CONFIG_TYPES[i % CONFIG_TYPES.length]!;
    policies.push({
      family: "deviceConfigurations",
      body: {
        "@odata.type": type,
        id: seededGuid(seed, `cfg:${tenantKey}:${i}`),
        displayName: `${platform} baseline ${String(i + 1).padStart(3, "0")}`,
        description: i % 4 === 0 ? null : `Configuration for ${platform} devices`,
        createdDateTime: created(i),
        lastModifiedDateTime: created(i + 30),
        version: 1,
        ...CONFIG_COMMON,
        ...settings(i),
      },
      settings: [],
      assignments: assignmentsFor(seed, `${tenantKey}:cfg`, i, groups),
    });
  }
  for (let i = 0; i < perFamily.deviceCompliancePolicies; i++) {
    const [type, platform, settings] = COMPLIANCE_TYPES[i % COMPLIANCE_TYPES.length]!;
    policies.push({
      family: "deviceCompliancePolicies",
      body: {
        "@odata.type": type,
        id: seededGuid(seed, `cmp:${tenantKey}:${i}`),
        displayName: `${platform} compliance ${String(i + 1).padStart(3, "0")}`,
        description: null,
        createdDateTime: created(i),
        lastModifiedDateTime: created(i + 10),
        version: 1,
        ...SCOPE_TAGS,
        ...settings(i),
      },
      settings: [],
      scheduledActionsForRule: seedComplianceActions(seed, {
        key: `${tenantKey}:${i}`,
        index: i,
        ccGroupId: groups[(i * 11) % Math.max(1, groups.length)]?.id,
        templateIds: templates.map((t) => t.body.id),
      }),
      assignments: assignmentsFor(seed, `${tenantKey}:cmp`, i, groups),
    });
  }
  for (let i = 0; i < perFamily.configurationPolicies; i++) {
    if (i % SECURITY_EVERY === SECURITY_FIRST) {
      const n = Math.floor(i / SECURITY_EVERY);
      policies.push(endpointSecurityPolicy(seed, { tenantKey, i: n, groups, created: created(i) }));
      continue;
    }
    const platform = CATALOG_PLATFORMS[i % CATALOG_PLATFORMS.length]!;
    const settingCount = 1 + (i % 30);
    policies.push({
      family: "configurationPolicies",
      body: {
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationPolicy",
        id: seededGuid(seed, `cat:${tenantKey}:${i}`),
        name: `Settings catalog ${platform} ${String(i + 1).padStart(3, "0")}`,
        description: "",
        platforms: platform,
        technologies: "mdm",
        settingCount,
        createdDateTime: created(i),
        lastModifiedDateTime: created(i + 5),
        creationSource: null,
        priorityMetaData: null,
        ...SCOPE_TAGS,
        templateReference: {
          templateId: "",
          templateFamily: "none",
          templateDisplayName: null,
          templateDisplayVersion: null,
        },
      },
      settings: Array.from({ length: settingCount }, (_, s) => ({
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting",
        id: String(s),
        settingInstance: {
          "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
          settingDefinitionId: `device_vendor_msft_policy_config_setting_${s}`,
          choiceSettingValue: {
            value: `device_vendor_msft_policy_config_setting_${s}_${(i + s) % 2}`,
            children:
              s % 5 === 0
                ? [
                    {
                      "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance",
                      settingDefinitionId: `child_${s}`,
                      simpleSettingValue: {
                        "@odata.type": "#microsoft.graph.deviceManagementConfigurationIntegerSettingValue",
                        value: s * 10,
                      },
                    },
                  ]
                : [],
          },
        },
      })),
      assignments: assignmentsFor(seed, `${tenantKey}:cat`, i, groups),
    });
  }
  policies.push(...seedScripts(seed, { tenantKey, groups, counts: perFamily }));
  policies.push(...seedUpdateProfiles(seed, { tenantKey, groups, counts: perFamily }));
  policies.push(...seedAutopilotProfiles(seed, { tenantKey, groups, counts: perFamily }));
  policies.push(...seedAppProtections(seed, { tenantKey, groups, counts: perFamily }));
  policies.push(
    ...seedDeviceAppConfigurations(seed, { tenantKey, groups, count: perFamily.mobileAppConfigurations ?? 12 }),
  );
  policies.push(
    ...seedAdministrativeTemplates(seed, { tenantKey, groups, count: perFamily.groupPolicyConfigurations ?? 14 }),
    ...seedIntents(seed, { tenantKey, groups, count: perFamily.intents ?? 8 }),
  );
  policies.push(...seedEnrollmentConfigurations(seed, { tenantKey, groups, counts: perFamily }));
  policies.push(...templates);
  return seedSecrets(policies, { seed, tenantKey });
}
