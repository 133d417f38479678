import type { PolicyFamily } from "@/db/schema/inventory";
import { hasCatalogSettings, INTUNE_TYPE_KEYS } from "@/lib/intune/types";

/**
 * Ids inside a policy that name other objects of its tenant (besides assignment groups and filters,
 * handled with the assignments). Restored into another tenant they would point at nothing, or at a
 * different object that happens to have the same id (scope tags are small numbers per tenant). A
 * reference is mapped where the console caches the target's objects (groups here; scope tags and
 * filters by name in lib/restores/reference-mapping.ts; notification message templates by name from
 * the target's inventory, lib/restores/notification-templates.ts); otherwise the item is refused, at
 * plan time, with the reference named. Sources: docs/graph-fidelity.md.
 */

type Content = Record<string, unknown>;
export type FoundReference = { id: string; label: string };
type ReferenceKind = {
  families: PolicyFamily[];
  find(content: Content): FoundReference[];
  /**
   * Groups are mapped with the restore's group mapping, notification templates by name from the
   * target's inventory; everything else is not mapped yet.
   */
  mappedBy?: "groups" | "notificationTemplates";
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
    mappedBy: "notificationTemplates",
    reason: "notification message templates are mapped by name from this tenant's inventory",
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

/**
 * A notification template of the source tenant, by id: its name in the source's inventory (null when
 * the inventory never saw it) and the target's templates of that name (lib/restores/notification-templates.ts).
 */
export type TemplateMatch = { name: string | null; targetIds: string[] };
export type TemplateMatches = ReadonlyMap<string, TemplateMatch>;

/** The target's template for a source template: its one namesake, else none. */
export const mappedTemplate = (templates: TemplateMatches | undefined, id: string) => {
  const match = templates?.get(id);
  return match?.targetIds.length === 1 ? match.targetIds[0] : undefined;
};

/** Why a source template has no target: what is missing, named (undefined when it maps). */
function templateProblem(templates: TemplateMatches | undefined, id: string): string | undefined {
  if (mappedTemplate(templates, id)) return undefined;
  const match = templates?.get(id);
  if (!match?.name)
    return `it uses notification message template ${id}, which the source tenant's inventory does not name; sync that tenant's inventory and plan the restore again`;
  const named = `notification message template “${match.name}” of the source tenant`;
  return match.targetIds.length === 0
    ? `it uses ${named}, and this tenant's inventory holds no template of that name; create or restore it here, sync the inventory, then restore the policy`
    : `it uses ${named}, and ${match.targetIds.length} templates of this tenant's inventory share that name; rename all but one, sync the inventory, then restore the policy`;
}

/** The template ids a policy's notifications name (none for a type without them). */
export function referencedTemplateIds(family: PolicyFamily, content: Content): string[] {
  const kind = REFERENCE_KINDS.notificationTemplate!;
  return kind.families.includes(family) ? [...new Set(kind.find(content).map((r) => r.id))] : [];
}

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
  {
    crossTenant,
    mapping,
    templates,
  }: { crossTenant: boolean; mapping: Record<string, string>; templates?: TemplateMatches },
): string | undefined {
  const problems = Object.values(REFERENCE_KINDS)
    .filter((kind) => kind.families.includes(family) && (crossTenant || kind.notBackedUp))
    .flatMap((kind) =>
      [...new Map(kind.find(content).map((ref) => [ref.id, ref])).values()]
        .filter((ref) => !(kind.mappedBy === "groups" && mapping[ref.id]))
        .flatMap((ref) => {
          if (kind.mappedBy === "notificationTemplates") return templateProblem(templates, ref.id) ?? [];
          return kind.notBackedUp
            ? `it uses ${ref.label}; ${kind.reason}`
            : `it uses ${ref.label} of the source tenant; ${kind.reason}`;
        }),
    );
  return problems.length ? `Not restored: ${problems.join("; ")}.` : undefined;
}

/**
 * The create body with the group ids it names outside assignments swapped for their mapped targets,
 * and each notification's template for the target's namesake (`templates`: into another tenant only;
 * a template without one is refused by the plan, never sent).
 */
export function withMappedGroupReferences(
  body: Content,
  mapping: Record<string, string>,
  templates?: TemplateMatches,
): Content {
  const mapped = (id: unknown) => (typeof id === "string" && mapping[id]) || id;
  const template = (id: unknown) => (templates && isSet(id) ? (mappedTemplate(templates, id) ?? id) : id);
  const out: Content = { ...body };
  if (Array.isArray(body.scheduledActionsForRule))
    out.scheduledActionsForRule = objects(body.scheduledActionsForRule).map((rule) => ({
      ...rule,
      scheduledActionConfigurations: objects(rule.scheduledActionConfigurations).map((a) => ({
        ...a,
        ...(Array.isArray(a.notificationMessageCCList)
          ? { notificationMessageCCList: a.notificationMessageCCList.map(mapped) }
          : {}),
        ...("notificationTemplateId" in a ? { notificationTemplateId: template(a.notificationTemplateId) } : {}),
      })),
    }));
  if (Array.isArray(body.kioskProfiles))
    out.kioskProfiles = JSON.parse(JSON.stringify(body.kioskProfiles), (key, value) =>
      key === "groupId" ? mapped(value) : value,
    );
  return out;
}
