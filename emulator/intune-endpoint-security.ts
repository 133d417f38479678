import { seededGuid } from "./directory";
import type { EmulatedGroup } from "./groups";
import type { EmulatedPolicy } from "./intune";
import { assignmentsFor } from "./intune-assignments";

/**
 * Endpoint-security policies of the settings-catalog kind: `configurationPolicies` created from one of
 * Microsoft's endpoint-security templates, whose `templateReference` names the template. Its
 * templateFamily, templateDisplayName and templateDisplayVersion are read-only (beta reference page
 * deviceManagementConfigurationPolicyTemplateReference): Graph fills them from `templateId`, the one
 * part a create sets. The template ids are Microsoft's, the same in every tenant (`<baseId>_<version>`
 * of deviceManagementConfigurationPolicyTemplate); each is the one Microsoft365DSC and CIPP create
 * these policies with (sources in docs/graph-fidelity.md).
 */
export type PolicyTemplate = {
  templateId: string;
  templateFamily: string;
  templateDisplayName: string;
  templateDisplayVersion: string;
  technologies: string;
  /** Setting definition ids of the template, for seeded settings. */
  settings: string[];
};

export const ENDPOINT_SECURITY_TEMPLATES: readonly PolicyTemplate[] = [
  {
    templateId: "804339ad-1553-4478-a742-138fb5807418_1",
    templateFamily: "endpointSecurityAntivirus",
    templateDisplayName: "Microsoft Defender Antivirus",
    templateDisplayVersion: "Version 1",
    technologies: "mdm,microsoftSense",
    settings: [
      "device_vendor_msft_policy_config_defender_allowrealtimemonitoring",
      "device_vendor_msft_policy_config_defender_allowcloudprotection",
      "device_vendor_msft_policy_config_defender_submitsamplesconsent",
    ],
  },
  {
    templateId: "6078910e-d808-4a9f-a51d-1b8a7bacb7c0_1",
    templateFamily: "endpointSecurityFirewall",
    templateDisplayName: "Windows Firewall",
    templateDisplayVersion: "Version 1",
    technologies: "mdm,microsoftSense",
    settings: [
      "vendor_msft_firewall_mdmstore_domainprofile_enablefirewall",
      "vendor_msft_firewall_mdmstore_privateprofile_enablefirewall",
      "vendor_msft_firewall_mdmstore_publicprofile_enablefirewall",
    ],
  },
  {
    templateId: "46ddfc50-d10f-4867-b852-9434254b3bff_1",
    templateFamily: "endpointSecurityDiskEncryption",
    templateDisplayName: "BitLocker",
    templateDisplayVersion: "Version 1",
    technologies: "mdm",
    settings: [
      "device_vendor_msft_bitlocker_requiredeviceencryption",
      "device_vendor_msft_bitlocker_allowwarningforotherdiskencryption",
    ],
  },
  {
    templateId: "0385b795-0f2f-44ac-8602-9f65bf6adede_1",
    templateFamily: "endpointSecurityEndpointDetectionAndResponse",
    templateDisplayName: "Endpoint detection and response",
    templateDisplayVersion: "Version 1",
    technologies: "mdm,microsoftSense",
    settings: [
      "device_vendor_msft_windowsadvancedthreatprotection_configurationtype",
      "device_vendor_msft_windowsadvancedthreatprotection_configuration_samplesharing",
    ],
  },
  {
    templateId: "e8c053d6-9f95-42b1-a7f1-ebfd71c67a4b_1",
    templateFamily: "endpointSecurityAttackSurfaceReduction",
    templateDisplayName: "Attack Surface Reduction Rules",
    templateDisplayVersion: "Version 1",
    technologies: "mdm,microsoftSense",
    settings: [
      "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutablecontentfromemailclientandwebmail",
      "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockcredentialstealingfromwindowslocalsecurityauthoritysubsystem",
    ],
  },
  {
    templateId: "fcef01f2-439d-4c3f-9184-823fd6e97646_1",
    templateFamily: "endpointSecurityAccountProtection",
    templateDisplayName: "Account Protection",
    templateDisplayVersion: "Version 1",
    technologies: "mdm",
    settings: [
      "device_vendor_msft_passportforwork_{tenantid}_policies_usepassportforwork",
      "device_vendor_msft_passportforwork_{tenantid}_policies_pincomplexity_minimumpinlength",
    ],
  },
];

/** A catalog policy made from no template: Graph answers an empty templateId and family `none`. */
const NO_TEMPLATE = { templateId: "", templateFamily: "none", templateDisplayName: null, templateDisplayVersion: null };

/**
 * The templateReference Graph stores for a create or a PUT: what `templateId` names, whatever the
 * body says of the read-only parts; `undefined` when the id names no template Graph has.
 */
export function resolvedTemplateReference(reference: unknown) {
  const templateId = (reference as { templateId?: unknown } | null | undefined)?.templateId;
  if (templateId === undefined || templateId === null || templateId === "") return NO_TEMPLATE;
  const template = ENDPOINT_SECURITY_TEMPLATES.find((t) => t.templateId === templateId);
  if (!template) return undefined;
  const { templateFamily, templateDisplayName, templateDisplayVersion } = template;
  return { templateId, templateFamily, templateDisplayName, templateDisplayVersion };
}

const setting = (definitionId: string, s: number, i: number) => ({
  "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting",
  id: String(s),
  settingInstance: {
    "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
    settingDefinitionId: definitionId,
    // Template-made settings name the setting template they come from.
    settingInstanceTemplateReference: { settingInstanceTemplateId: seededGuid(0, `es-setting:${definitionId}`) },
    choiceSettingValue: {
      value: `${definitionId}_${(i + s) % 2}`,
      children: [],
      settingValueTemplateReference: null,
    },
  },
});

/** One seeded endpoint-security policy of a tenant (`i` picks its template and varies its settings). */
export function endpointSecurityPolicy(
  seed: number,
  { tenantKey, i, groups, created }: { tenantKey: string; i: number; groups: EmulatedGroup[]; created: string },
): EmulatedPolicy {
  const template = ENDPOINT_SECURITY_TEMPLATES[i % ENDPOINT_SECURITY_TEMPLATES.length]!;
  const settings = template.settings.map((d, s) => setting(d, s, i));
  return {
    family: "configurationPolicies",
    body: {
      "@odata.type": "#microsoft.graph.deviceManagementConfigurationPolicy",
      id: seededGuid(seed, `es:${tenantKey}:${i}`),
      name: `${template.templateDisplayName} ${String(i + 1).padStart(3, "0")}`,
      description: "",
      platforms: "windows10",
      technologies: template.technologies,
      settingCount: settings.length,
      createdDateTime: created,
      lastModifiedDateTime: created,
      creationSource: null,
      priorityMetaData: null,
      roleScopeTagIds: ["0"],
      templateReference: resolvedTemplateReference({ templateId: template.templateId }),
    },
    settings,
    assignments: assignmentsFor(seed, `${tenantKey}:es`, i, groups),
  };
}
