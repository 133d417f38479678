import { seededGuid } from "./directory";
import type { EmulatedGroup } from "./groups";
import { seedSecrets } from "./intune-secrets";

/**
 * Intune policies of one tenant in the three families the console inventories, generated from the
 * seed: device configurations and compliance policies (v1.0 and beta) and the beta-only settings
 * catalog (`configurationPolicies`: `name`, not displayName, with nested `/settings`).
 */
export type PolicyFamily = "deviceConfigurations" | "deviceCompliancePolicies" | "configurationPolicies";
export const POLICY_FAMILIES: PolicyFamily[] = [
  "deviceConfigurations",
  "deviceCompliancePolicies",
  "configurationPolicies",
];

export type Assignment = { id: string; target: Record<string, unknown> };
export type EmulatedPolicy = {
  family: PolicyFamily;
  /** Graph's representation (what the list and the item endpoints return). */
  body: Record<string, unknown> & { id: string };
  settings: Record<string, unknown>[];
  assignments: Assignment[];
  /** Test switch: its /assignments answers 403, a permanent per-item failure. */
  brokenAssignments?: boolean;
  /** Plain texts of its secrets by OMA `secretReferenceValueId` or catalog token (see intune-secrets.ts). */
  secrets?: Record<string, string>;
};

const CONFIG_TYPES = [
  ["#microsoft.graph.windows10GeneralConfiguration", "Windows"],
  ["#microsoft.graph.iosGeneralDeviceConfiguration", "iOS"],
  ["#microsoft.graph.androidWorkProfileGeneralDeviceConfiguration", "Android"],
  ["#microsoft.graph.macOSGeneralDeviceConfiguration", "macOS"],
] as const;
const COMPLIANCE_TYPES = [
  ["#microsoft.graph.windows10CompliancePolicy", "Windows"],
  ["#microsoft.graph.iosCompliancePolicy", "iOS"],
  ["#microsoft.graph.androidCompliancePolicy", "Android"],
  ["#microsoft.graph.macOSCompliancePolicy", "macOS"],
] as const;
const CATALOG_PLATFORMS = ["windows10", "macOS", "iOS"] as const;

function assignmentsFor(seed: number, key: string, i: number, groups: EmulatedGroup[]): Assignment[] {
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

export function seedPolicies(
  seed: number,
  tenantKey: string,
  groups: EmulatedGroup[],
  perFamily = { deviceConfigurations: 120, deviceCompliancePolicies: 80, configurationPolicies: 120 },
): EmulatedPolicy[] {
  const created = (i: number) => new Date(Date.UTC(2023, 0, 1) + i * 86_400_000).toISOString();
  const policies: EmulatedPolicy[] = [];
  for (let i = 0; i < perFamily.deviceConfigurations; i++) {
    const [type, platform] = CONFIG_TYPES[i % CONFIG_TYPES.length]!;
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
        passwordRequired: i % 2 === 0,
        passwordMinimumLength: 6 + (i % 8),
        storageRequireEncryption: i % 3 !== 0,
      },
      settings: [],
      assignments: assignmentsFor(seed, `${tenantKey}:cfg`, i, groups),
    });
  }
  for (let i = 0; i < perFamily.deviceCompliancePolicies; i++) {
    const [type, platform] = COMPLIANCE_TYPES[i % COMPLIANCE_TYPES.length]!;
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
        passwordRequired: true,
        osMinimumVersion: `${10 + (i % 5)}.0`,
      },
      settings: [],
      assignments: assignmentsFor(seed, `${tenantKey}:cmp`, i, groups),
    });
  }
  for (let i = 0; i < perFamily.configurationPolicies; i++) {
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
  return seedSecrets(policies, { seed, tenantKey });
}
