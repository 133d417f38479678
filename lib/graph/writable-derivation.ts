import ts from "typescript";

/**
 * Derives, from Microsoft's beta typings (`@microsoft/microsoft-graph-types-beta`, which Typewriter
 * generates from msgraph-metadata's beta CSDL with descriptions), which properties of each Intune
 * policy type a create may carry. Each interface is an entity or complex type, `extends` is its base
 * type, each comment is the CSDL description. A navigation property is one whose type is an entity:
 * CSDL allows only entities as navigation targets, and only primitives, enums and complex types as
 * structural properties. Used by scripts/graph-writable-properties.ts.
 */

/**
 * The roots of the types the console restores (lib/intune/types.ts); deviceConfiguration,
 * deviceCompliancePolicy and managedDeviceMobileAppConfiguration are abstract in the CSDL, so not creatable. The script types, the
 * Windows update profiles, the app protection types, app configuration for managed apps, administrative
 * templates and endpoint security intents have no derived types: each is its own root.
 */
const ROOTS = [
  "DeviceConfiguration",
  "DeviceCompliancePolicy",
  "DeviceManagementConfigurationPolicy",
  "DeviceManagementScript",
  "DeviceShellScript",
  "DeviceHealthScript",
  "WindowsFeatureUpdateProfile",
  "WindowsQualityUpdateProfile",
  "WindowsDriverUpdateProfile",
  // Entra joined (azureAD…) and hybrid joined (activeDirectory…) profiles derive from it.
  "WindowsAutopilotDeploymentProfile",
  "IosManagedAppProtection",
  "AndroidManagedAppProtection",
  "WindowsManagedAppProtection",
  "TargetedManagedAppConfiguration",
  // iOS, Android Enterprise and Android for Work configurations derive from it (abstract in the v1.0 CSDL).
  "ManagedDeviceMobileAppConfiguration",
  "GroupPolicyConfiguration",
  // Enrollment status page, device limit and platform restrictions, Windows Hello for Business derive from it.
  "DeviceEnrollmentConfiguration",
  // Endpoint security intents: created by their template's createInstance, not by a POST of this type.
  "DeviceManagementIntent",
  // Assignment filters and role scope tags: objects of their own that policies name by id.
  "DeviceAndAppManagementAssignmentFilter",
  "RoleScopeTag",
  // Notification message templates: their localized messages are POSTed to the template afterwards.
  "NotificationMessageTemplate",
];
const ABSTRACT = new Set(["DeviceConfiguration", "DeviceCompliancePolicy", "ManagedDeviceMobileAppConfiguration"]);
/**
 * Contained entities created with their object: inside a compliance policy's create body
 * (scheduledActionsForRule), or by an administrative template's `updateDefinitionValues` (its values
 * and each value's presentation values, one type per kind of presentation).
 */
const CONTAINED = [
  "DeviceComplianceScheduledActionForRule",
  "DeviceComplianceActionItem",
  "GroupPolicyDefinitionValue",
  "GroupPolicyPresentationValueBoolean",
  "GroupPolicyPresentationValueDecimal",
  "GroupPolicyPresentationValueList",
  "GroupPolicyPresentationValueLongDecimal",
  "GroupPolicyPresentationValueMultiText",
  "GroupPolicyPresentationValueText",
  // A notification message template's messages, each created by POST to its localizedNotificationMessages.
  "LocalizedNotificationMessage",
];

/**
 * Properties Graph sets itself that the metadata does not mark read-only (Intune marks read-only only
 * in descriptions, and not for these). Each with where that is known from.
 */
export const SERVER_SET: Record<string, string> = {
  createdDateTime:
    "set by Graph; stripped before create by IntuneBackupAndRestore (Public/Invoke-IntuneRestore*.ps1) and IntuneManagement (Extensions/MSGraph.psm1, Start-GraphPreImport); listed as a BadRequest on POST in microsoftgraph/microsoft-graph-docs#7613",
  lastModifiedDateTime: "set by Graph; stripped by the same tools, and in microsoftgraph/microsoft-graph-docs#7613",
  version:
    "set by Graph; stripped by IntuneBackupAndRestore (Public/Invoke-IntuneRestoreDeviceConfiguration.ps1) and IntuneCD (remove_keys)",
  settingCount:
    "counted by Graph from the settings; stripped by IntuneBackupAndRestore (Public/Invoke-IntuneRestoreConfigurationPolicy.ps1) and IntuneManagement (Extensions/EndpointManager.psm1, PropertiesToRemove)",
  creationSource: "stripped by IntuneBackupAndRestore (Public/Invoke-IntuneRestoreConfigurationPolicy.ps1)",
};
/** How Intune's descriptions mark a read-only property ("This property is read-only."). */
const READ_ONLY_MARKER = /\bread-only\b/i;

type Member = { name: string; type: string; description: string };
type Interface = { name: string; base?: string; members: Member[] };
export type DerivedType = { family: string; writable: string[]; readOnly: string[]; navigation: string[] };

function parseTypings(source: string): Map<string, Interface> {
  const file = ts.createSourceFile("microsoft-graph.d.ts", source, ts.ScriptTarget.Latest, true);
  const interfaces = new Map<string, Interface>();
  // Only the microsoft.graph namespace: sub-namespaces are `export namespace X { … }` blocks, skipped here.
  for (const statement of file.statements) {
    if (!ts.isInterfaceDeclaration(statement)) continue;
    interfaces.set(statement.name.text, {
      name: statement.name.text,
      base: statement.heritageClauses?.[0]?.types[0]?.expression.getText(file),
      members: statement.members.filter(ts.isPropertySignature).map((m) => ({
        name: m.name.getText(file),
        type: (m.type?.getText(file) ?? "")
          .replace(/^NullableOption<(.*)>$/s, "$1")
          .replace(/\[\]$/, "")
          .trim(),
        description: (ts.getLeadingCommentRanges(source, m.getFullStart()) ?? [])
          .map((r) => source.slice(r.pos, r.end))
          .join(" ")
          .replace(/\/\*\*|\*\/|^\s*\*|\/\//gm, " ")
          .replace(/\s+/g, " ")
          .trim(),
      })),
    });
  }
  return interfaces;
}

/** Every creatable type of the three families and the contained compliance types, by `@odata.type`. */
export function deriveWritable(source: string): Record<string, DerivedType> {
  const interfaces = parseTypings(source);
  const chain = (name: string) => {
    const out: Interface[] = [];
    for (let i = interfaces.get(name); i; i = i.base ? interfaces.get(i.base) : undefined) out.unshift(i);
    return out;
  };
  const isEntity = (name: string) => chain(name).some((i) => i.name === "Entity");
  const odataName = (name: string) => `#microsoft.graph.${name[0]!.toLowerCase()}${name.slice(1)}`;

  const describe = (name: string, family: string): DerivedType => {
    const writable: string[] = [];
    const readOnly: string[] = [];
    const navigation: string[] = [];
    for (const member of chain(name).flatMap((i) => i.members)) {
      if (isEntity(member.type)) navigation.push(member.name);
      else if (member.name === "id" || member.name in SERVER_SET || READ_ONLY_MARKER.test(member.description))
        readOnly.push(member.name);
      else writable.push(member.name);
    }
    return { family, writable: writable.sort(), readOnly: readOnly.sort(), navigation: navigation.sort() };
  };

  const types: Record<string, DerivedType> = {};
  for (const name of [...interfaces.keys()].sort()) {
    const root = ROOTS.find((r) => chain(name).some((i) => i.name === r));
    if (root && !ABSTRACT.has(name)) types[odataName(name)] = describe(name, odataName(root).slice(1));
  }
  for (const name of CONTAINED) if (interfaces.has(name)) types[odataName(name)] = describe(name, "contained");
  return types;
}
