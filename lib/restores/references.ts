import type { PolicyFamily } from "@/db/schema/inventory";
import { hasCatalogSettings, INTUNE_TYPE_KEYS } from "@/lib/intune/types";

/**
 * Ids inside a policy that name other objects of its tenant (besides assignment groups and filters,
 * handled with the assignments). Restored into another tenant they would point at nothing, or at a
 * different object that happens to have the same id (scope tags are small numbers per tenant). A
 * reference is mapped where the console caches the target's objects (groups here; scope tags and
 * filters by name in lib/restores/reference-mapping.ts); otherwise the
 * item is refused, at plan time, with the reference named. Sources: docs/graph-fidelity.md.
 */

type Content = Record<string, unknown>;
export type FoundReference = { id: string; label: string };
type ReferenceKind = {
  families: PolicyFamily[];
  find(content: Content): FoundReference[];
  /** Groups are mapped with the restore's group mapping; everything else is not mapped yet. */
  mappedBy?: "groups";
  /** Why an unmapped reference stops the item ("compliance scripts are not mapped yet"). */
  reason: string;
  /** Refused even into the same tenant: the backup cannot carry the reference at all. */
  notBackedUp?: boolean;
};

const objects = (value: unknown): Content[] =>
  Array.isArray(value) ? value.filter((v): v is Content => Boolean(v) && typeof v === "object") : [];

/** Every object in the tree whose `@odata.type` is `type` (nested arrays and objects included). */
function objectsOfType(node: unknown, type: string, found: Content[] = []): Content[] {
  if (Array.isArray(node)) for (const child of node) objectsOfType(child, type, found);
  else if (node && typeof node === "object") {
    const object = node as Content;
    if (object["@odata.type"] === type) found.push(object);
    for (const value of Object.values(object)) objectsOfType(value, type, found);
  }
  return found;
}

const scheduledActionConfigurations = (content: Content) =>
  objects(content.scheduledActionsForRule).flatMap((rule) => objects(rule.scheduledActionConfigurations));

const EMPTY_GUID = "00000000-0000-0000-0000-000000000000";
const isSet = (id: unknown): id is string => typeof id === "string" && id !== "" && id !== EMPTY_GUID;

/**
 * Device configuration types whose certificate relationships (navigation properties, so not in the
 * object a backup reads) name a certificate profile of the tenant. From the beta metadata
 * (type-mappings/beta-entity-types.json), derived types included.
 */
const CERTIFICATE_RELATIONSHIPS: Record<string, string[]> = Object.fromEntries(
  Object.entries({
    rootCertificate: [
      "androidScepCertificateProfile",
      "androidPkcsCertificateProfile",
      "androidImportedPFXCertificateProfile",
      "androidDeviceOwnerScepCertificateProfile",
      "androidDeviceOwnerPkcsCertificateProfile",
      "androidDeviceOwnerImportedPFXCertificateProfile",
      "androidForWorkScepCertificateProfile",
      "androidForWorkPkcsCertificateProfile",
      "androidForWorkImportedPFXCertificateProfile",
      "androidWorkProfileScepCertificateProfile",
      "androidWorkProfilePkcsCertificateProfile",
      "aospDeviceOwnerScepCertificateProfile",
      "aospDeviceOwnerPkcsCertificateProfile",
      "iosScepCertificateProfile",
      "macOSScepCertificateProfile",
      "windows81SCEPCertificateProfile",
      "windowsPhone81SCEPCertificateProfile",
    ],
    identityCertificate: [
      "androidVpnConfiguration",
      "androidDeviceOwnerVpnConfiguration",
      "androidForWorkVpnConfiguration",
      "androidWorkProfileVpnConfiguration",
      "androidEasEmailProfileConfiguration",
      "androidForWorkGmailEasConfiguration",
      "androidForWorkNineWorkEasConfiguration",
      "androidWorkProfileGmailEasConfiguration",
      "androidWorkProfileNineWorkEasConfiguration",
      "iosEasEmailProfileConfiguration",
      "iosVpnConfiguration",
      "macOSVpnConfiguration",
      "windows10VpnConfiguration",
      "windowsPhone81VpnConfiguration",
    ],
    "identityCertificateForClientAuthentication / rootCertificateForServerValidation": [
      "androidDeviceOwnerEnterpriseWiFiConfiguration",
      "androidEnterpriseWiFiConfiguration",
      "androidForWorkEnterpriseWiFiConfiguration",
      "androidWorkProfileEnterpriseWiFiConfiguration",
      "aospDeviceOwnerEnterpriseWiFiConfiguration",
      "iosDeviceFeaturesConfiguration",
      "iosEnterpriseWiFiConfiguration",
      "iosWiredNetworkConfiguration",
      "macOSEnterpriseWiFiConfiguration",
      "macOSWiredNetworkConfiguration",
      "windowsWifiEnterpriseEAPConfiguration",
      "windowsWiredNetworkConfiguration",
      "windowsZtdnsConfiguration",
    ],
  }).flatMap(([relationship, types]) => types.map((type) => [`#microsoft.graph.${type}`, [relationship]])),
);

/** The one table of reference kinds. */
export const REFERENCE_KINDS: Record<string, ReferenceKind> = {
  notificationTemplate: {
    families: ["compliance"],
    find: (c) =>
      scheduledActionConfigurations(c)
        .map((a) => a.notificationTemplateId)
        .filter(isSet)
        .map((id) => ({ id, label: `notification message template ${id}` })),
    reason: "notification message templates are not mapped yet",
  },
  notificationGroup: {
    families: ["compliance"],
    find: (c) =>
      scheduledActionConfigurations(c)
        .flatMap((a) => (Array.isArray(a.notificationMessageCCList) ? a.notificationMessageCCList : []))
        .filter(isSet)
        .map((id) => ({ id, label: `group ${id} (a notification's CC list)` })),
    mappedBy: "groups",
    reason: "map that group to restore it",
  },
  complianceScript: {
    families: ["compliance"],
    find: (c) => {
      const id = (c.deviceCompliancePolicyScript as Content | null | undefined)?.deviceComplianceScriptId;
      return isSet(id) ? [{ id, label: `compliance script ${id}` }] : [];
    },
    reason: "compliance scripts are not mapped yet",
  },
  kioskGroup: {
    families: ["device_configuration"],
    find: (c) =>
      objectsOfType(c.kioskProfiles, "#microsoft.graph.windowsKioskAzureADGroup")
        .map((g) => g.groupId)
        .filter(isSet)
        .map((id) => ({ id, label: `group ${id} (a kiosk profile's account)` })),
    mappedBy: "groups",
    reason: "map that group to restore it",
  },
  kioskUser: {
    families: ["device_configuration"],
    find: (c) =>
      objectsOfType(c.kioskProfiles, "#microsoft.graph.windowsKioskAzureADUser")
        .map((u) => u.userId)
        .filter(isSet)
        .map((id) => ({ id, label: `user ${id} (a kiosk profile's account)` })),
    reason: "users are not mapped",
  },
  reusableSetting: {
    families: INTUNE_TYPE_KEYS.filter(hasCatalogSettings),
    find: (c) =>
      objectsOfType(c.settings, "#microsoft.graph.deviceManagementConfigurationReferenceSettingValue")
        .map((v) => v.value)
        .filter(isSet)
        .map((id) => ({ id, label: `reusable setting ${id}` })),
    reason: "reusable settings are not mapped yet",
  },
  // An enrollment status page tracks apps by the tenant's own app ids (beta selectedMobileAppIds, "an array of GUIDs").
  trackedApp: {
    families: ["enrollment_status_page"],
    find: (c) =>
      (Array.isArray(c.selectedMobileAppIds) ? c.selectedMobileAppIds : [])
        .filter(isSet)
        .map((id) => ({ id, label: `app ${id} (tracked by the page)` })),
    reason: "apps are not mapped yet: choose them again in the target tenant",
  },
  certificateProfile: {
    families: ["device_configuration"],
    find: (c) =>
      (CERTIFICATE_RELATIONSHIPS[String(c["@odata.type"])] ?? []).map((relationship) => ({
        id: relationship,
        label: `the certificate profile(s) of its ${relationship} relationship`,
      })),
    reason: "backups do not hold certificate relationships yet",
    notBackedUp: true,
  },
};

/** Group ids a policy names outside its assignments, which the restore's group mapping also covers. */
export function referencedGroupIds(family: PolicyFamily, content: Content): string[] {
  return Object.values(REFERENCE_KINDS)
    .filter((kind) => kind.mappedBy === "groups" && kind.families.includes(family))
    .flatMap((kind) => kind.find(content).map((r) => r.id));
}

/**
 * Why this item cannot be restored because of what it references, or undefined. Into the same
 * tenant every reference stays valid (except what a backup cannot hold); into another, a
 * reference must be mapped.
 */
export function referenceRefusal(
  { family, content }: { family: PolicyFamily; content: Content },
  { crossTenant, mapping }: { crossTenant: boolean; mapping: Record<string, string> },
): string | undefined {
  const problems = Object.values(REFERENCE_KINDS)
    .filter((kind) => kind.families.includes(family) && (crossTenant || kind.notBackedUp))
    .flatMap((kind) =>
      kind
        .find(content)
        .filter((ref) => !(kind.mappedBy === "groups" && mapping[ref.id]))
        .map((ref) =>
          kind.notBackedUp
            ? `it uses ${ref.label}; ${kind.reason}`
            : `it uses ${ref.label} of the source tenant; ${kind.reason}`,
        ),
    );
  return problems.length ? `Not restored: ${problems.join("; ")}.` : undefined;
}

/** The create body with the group ids it names outside assignments swapped for their mapped targets. */
export function withMappedGroupReferences(body: Content, mapping: Record<string, string>): Content {
  const mapped = (id: unknown) => (typeof id === "string" && mapping[id]) || id;
  const out: Content = { ...body };
  if (Array.isArray(body.scheduledActionsForRule))
    out.scheduledActionsForRule = objects(body.scheduledActionsForRule).map((rule) => ({
      ...rule,
      scheduledActionConfigurations: objects(rule.scheduledActionConfigurations).map((a) =>
        Array.isArray(a.notificationMessageCCList)
          ? { ...a, notificationMessageCCList: a.notificationMessageCCList.map(mapped) }
          : a,
      ),
    }));
  if (Array.isArray(body.kioskProfiles))
    out.kioskProfiles = JSON.parse(JSON.stringify(body.kioskProfiles), (key, value) =>
      key === "groupId" ? mapped(value) : value,
    );
  return out;
}
