import type { PolicyFamily } from "@/db/schema/inventory";
import { withoutMarker } from "@/lib/graph/create-marker";
import { creationType, graphTypeOf } from "@/lib/graph/writable";
import { type BackedUpValue, definitionIdOf, definitionLabel } from "@/lib/intune/definition-values";
import { partItemEntries } from "@/lib/intune/part-items";
import {
  assignmentFields,
  hasPagedSettings,
  intuneType,
  isAssignable,
  partOf,
  scopeTagPropertyOf,
} from "@/lib/intune/types";
import { canonicalJson } from "@/lib/operations/identity";

/**
 * A policy reduced to what an administrator configures, one entry per setting: the properties of
 * its object, each settings catalog setting (by its setting definition id), each OMA-URI setting (by
 * its URI), each compliance action (by rule and action type) and each assignment (by group and
 * direction). What Graph changes on its own — ids, timestamps, `version`, counters, OData
 * annotations — is left out, and arrays are keyed by identity rather than position, so two reads of
 * an unchanged policy normalise to the same entries however Graph orders or numbers them.
 */
export type NormalizedSetting = { label: string; value: string };
export type NormalizedPolicy = Map<string, NormalizedSetting>;

/** A group's display name in the directory cache of the tenant the content came from. */
export type GroupName = (groupId: string) => string | undefined;
/** Names of what the content's ids point at, each in the cache of the tenant the content came from. */
export type ReferenceNames = {
  group: GroupName;
  filter: (filterId: string) => string | undefined;
  scopeTag?: (tagId: string) => string | undefined;
  /** A notification message template's name (compliance notifications name theirs by id). */
  template?: (templateId: string) => string | undefined;
};

/**
 * Fields Graph sets or counts itself on every family (besides each type's read-only properties in
 * Microsoft's metadata, lib/graph/writable-properties.generated.json). Counters such as license
 * counts appear on other Intune types and are ignored wherever they show up.
 */
const VOLATILE = new Set([
  "id",
  "createdDateTime",
  "lastModifiedDateTime",
  "modifiedDateTime",
  "version",
  "settingCount",
  "isAssigned",
  "creationSource",
  "supportsScopeTags",
  "usedLicenseCount",
  "totalLicenseCount",
  "consumedLicenseCount",
  "deviceStatusOverview",
  "userStatusOverview",
]);
/** Navigation properties normalised on their own (below), and what the console adds to a backup. */
const SEPARATE = new Set([
  "assignments",
  "settings",
  "scheduledActionsForRule",
  "omaSettings",
  "definitionValues",
  "localizedNotificationMessages",
]);
const isAnnotation = (key: string) => key.includes("@") && key !== "@odata.type";

/**
 * A value without what Graph varies inside it: ids and annotations dropped at every level, arrays
 * of settings ordered by their definition id (children of a choice come back in any order).
 */
export function stableValue(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(stableValue);
    return items.every((i) => i && typeof i === "object" && "settingDefinitionId" in i)
      ? items.sort((a, b) => identityOrder(a, b, "settingDefinitionId"))
      : items;
  }
  if (value && typeof value === "object") {
    const object = value as Record<string, unknown>;
    const stable = Object.fromEntries(
      Object.entries(object)
        .filter(([key]) => key !== "id" && !isAnnotation(key))
        .map(([key, v]) => [key, stableValue(v)]),
    );
    // A secret is compared as "encrypted" only: Graph hands out a token or ciphertext (per tenant,
    // per reference), never the value, and detection does not read plain texts.
    if (object.valueState === "encryptedValueToken" || object.isEncrypted === true) {
      stable.value = ENCRYPTED;
      delete stable.secretReferenceValueId;
    }
    return stable;
  }
  return value;
}

const ENCRYPTED = "(encrypted)";

/** A presentation value's value (a single `value` or a list of `values`). */
const pickValue = (pv: Record<string, unknown>) =>
  "values" in pv ? { values: stableValue(pv.values) } : { value: stableValue(pv.value ?? null) };

function identityOrder(a: unknown, b: unknown, key: string) {
  const x = String((a as Record<string, unknown>)[key]);
  const y = String((b as Record<string, unknown>)[key]);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A readable rendering: a scalar as itself, anything else as canonical JSON. */
export function displayValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((v) => typeof v !== "object" || v === null))
    return canonicalJson([...value].map(String).sort());
  return canonicalJson(value);
}

/**
 * An intent setting's value (beta deviceManagementSettingInstance): `valueJson` holds it whatever the
 * instance's type, parsed so that spacing or key order Graph varies is no change; the typed `value`
 * when it is missing or not JSON.
 */
function intentSettingValue(setting: Record<string, unknown>): string {
  if (typeof setting.valueJson === "string") {
    try {
      return displayValue(stableValue(JSON.parse(setting.valueJson)));
    } catch {
      return setting.valueJson;
    }
  }
  return displayValue(stableValue(setting.value ?? null));
}

/** A settings catalog instance's value, readable where it is a plain choice or simple value. */
function settingInstanceValue(instance: Record<string, unknown>): string {
  const stable = stableValue(instance) as Record<string, unknown>;
  delete stable["@odata.type"];
  delete stable.settingDefinitionId;
  // Which slot of its template a setting fills (endpoint security) is the template's, not the admin's.
  delete stable.settingInstanceTemplateReference;
  for (const value of [stable.choiceSettingValue, stable.simpleSettingValue])
    if (value && typeof value === "object") delete (value as Record<string, unknown>).settingValueTemplateReference;
  const choice = stable.choiceSettingValue as { value?: unknown; children?: unknown[] } | undefined;
  if (choice && Object.keys(stable).length === 1 && (!choice.children || choice.children.length === 0))
    return displayValue(choice.value);
  const simple = stable.simpleSettingValue as { value?: unknown } | undefined;
  if (simple && Object.keys(stable).length === 1) return displayValue(simple.value);
  return canonicalJson(stable);
}

function readOnlyOf(family: PolicyFamily, content: Record<string, unknown>): Set<string> {
  return new Set(graphTypeOf(family, creationType(family, content))?.readOnly ?? []);
}

/**
 * How assignments are keyed: by group id when both sides are read in one tenant (a group swapped for
 * another of the same name is drift), by group name when the baseline comes from another tenant.
 */
export type GroupKeying = "id" | "name";

/**
 * Each assignment's value: its filter, and the fields its type's assignment carries besides the
 * target (a remediation's `runRemediationScript` and `runSchedule`), so changing them is drift.
 */
function assignmentEntries(
  assignments: unknown,
  { names, keyBy, fields }: { names: ReferenceNames; keyBy: GroupKeying; fields: string[] },
  out: NormalizedPolicy,
) {
  const groupName = names.group;
  if (!Array.isArray(assignments)) return;
  const filters = new Map<string, { label: string; values: string[] }>();
  for (const assignment of assignments as (Record<string, unknown> & { target?: Record<string, unknown> })[]) {
    const target = assignment.target ?? {};
    const type = String(target["@odata.type"] ?? "").replace("#microsoft.graph.", "");
    const direction = type.startsWith("exclusion") ? "exclude" : "include";
    const groupId = typeof target.groupId === "string" ? target.groupId : undefined;
    // A group is shown by its name in its own tenant's cache: ids differ across tenants.
    const who = groupId ? `group ${groupName(groupId) ?? groupId}` : type.replace(/AssignmentTarget$/, "");
    const key = `assignment:${direction}:${groupId && keyBy === "id" ? `group ${groupId}` : who}`;
    const filterId = target.deviceAndAppManagementAssignmentFilterId;
    const filterType = target.deviceAndAppManagementAssignmentFilterType;
    // A filter by its name (its id differs across tenants); within one tenant its id is kept too, so
    // a filter swapped for another of the same name is drift, as for groups.
    const filterName = typeof filterId === "string" ? names.filter(filterId) : undefined;
    const filterLabel = filterName ? `“${filterName}”${keyBy === "id" ? ` (${filterId})` : ""}` : String(filterId);
    const filter =
      filterId && filterType && filterType !== "none" ? `filter ${filterType} ${filterLabel}` : "no filter";
    // What the type's assignment carries besides its target (a remediation's schedule) is part of it.
    const carried = fields.map((f) => `, ${f} ${displayValue(stableValue(assignment[f] ?? null))}`).join("");
    const entry = filters.get(key) ?? { label: `Assignment (${direction}): ${who}`, values: [] };
    entry.values.push(`${filter}${carried}`);
    filters.set(key, entry);
  }
  // Two groups of one name (keyed by name) are one entry listing both, in an order Graph cannot vary.
  for (const [key, { label, values }] of filters) out.set(key, { label, value: values.sort().join("; ") });
}

/**
 * An administrative template's values, one entry per definition: enabled or not, and each
 * presentation's value by its label. A built-in definition is keyed by its id (Microsoft's, the same
 * in every tenant); an imported ADMX's definitions get ids in each tenant that imports the file, so
 * across tenants they are keyed by category path and name, and their presentations by label.
 */
function definitionValueEntries(
  family: PolicyFamily,
  content: Record<string, unknown>,
  keyBy: GroupKeying,
  out: NormalizedPolicy,
) {
  if (intuneType(family).pagedPart?.property !== "definitionValues") return;
  for (const value of partOf(family, content) as BackedUpValue[]) {
    const entry = definitionValueEntry(value, keyBy);
    if (entry) out.set(...entry);
  }
}

/** One value's entry and its key (see definitionValueEntries); none for a value without its definition. */
export function definitionValueEntry(
  value: BackedUpValue,
  keyBy: GroupKeying,
): [string, NormalizedSetting] | undefined {
  const id = definitionIdOf(value);
  if (!id) return undefined;
  const byName = keyBy === "name" && value.definition?.policyType === "admxIngested";
  const presentations = ((value.presentationValues ?? []) as Record<string, unknown>[])
    .map((pv) => {
      const presentation = (pv.presentation ?? {}) as Record<string, unknown>;
      const label = String(presentation.label ?? presentation.id);
      return { order: byName ? label : String(presentation.id), entry: { presentation: label, ...pickValue(pv) } };
    })
    .sort((a, b) => identityOrder(a, b, "order"))
    .map(({ entry }) => entry);
  return [
    `definition:${byName ? definitionLabel(value) : id}`,
    {
      label: `Administrative template: ${definitionLabel(value)}`,
      value: canonicalJson({
        enabled: value.enabled ?? null,
        configurationType: value.configurationType ?? null,
        presentations,
      }),
    },
  ];
}

/** The policy's entries, ready to compare (see NormalizedPolicy). `content` is a stored snapshot. */
export function normalizePolicy(
  family: PolicyFamily,
  content: Record<string, unknown>,
  referenceNames: GroupName | ReferenceNames = () => undefined,
  keyBy: GroupKeying = "name",
): NormalizedPolicy {
  const names =
    typeof referenceNames === "function" ? { group: referenceNames, filter: () => undefined } : referenceNames;
  const groupName = names.group;
  const out: NormalizedPolicy = new Map();
  const readOnly = readOnlyOf(family, content);
  const type = intuneType(family);
  // A `settings` that is not the catalog's paged part (an iOS app configuration's key/value items) is a property.
  const separate = (key: string) => SEPARATE.has(key) && (key !== "settings" || hasPagedSettings(family));
  for (const [key, value] of Object.entries(content)) {
    if (VOLATILE.has(key) || readOnly.has(key) || separate(key) || isAnnotation(key)) continue;
    // Apps of each tenant's own catalogue have ids of that tenant: compared within one tenant only.
    if (key === type.tenantApps?.property && keyBy === "name") continue;
    const label = key === "@odata.type" ? "Type" : key;
    // Across tenants, scope tags by name: their ids are small numbers each tenant hands out itself.
    if (key === scopeTagPropertyOf(family) && keyBy === "name" && names.scopeTag && Array.isArray(value)) {
      // The built-in Default tag is "0" in every tenant, cached or not.
      const tags = value.map((id) => (String(id) === "0" ? "Default" : (names.scopeTag!(String(id)) ?? String(id))));
      out.set(`property:${key}`, { label: "Scope tags", value: displayValue(tags) });
      continue;
    }
    // A policy the console recreated carries its create marker; an empty description may be null.
    const stable = key === "description" ? withoutMarker(value) : stableValue(value);
    out.set(`property:${key}`, { label, value: displayValue(stable) });
  }
  if (Array.isArray(content.omaSettings)) {
    for (const setting of content.omaSettings as Record<string, unknown>[]) {
      const uri = String(setting.omaUri ?? "");
      const rest = stableValue(setting) as Record<string, unknown>;
      delete rest.omaUri;
      out.set(`oma:${uri}`, { label: `OMA-URI ${uri}`, value: canonicalJson(rest) });
    }
  }
  // Paged settings: the settings catalog's (and endpoint security's) instances, or an intent's
  // definitionId/valueJson pairs; an iOS app configuration's `settings` is a plain property.
  if (hasPagedSettings(family) && Array.isArray(content.settings)) {
    for (const setting of content.settings as Record<string, unknown>[]) {
      // An endpoint-security intent's setting: its definition id and its value as JSON.
      if (!setting.settingInstance && typeof setting.definitionId === "string") {
        out.set(`setting:${setting.definitionId}`, { label: setting.definitionId, value: intentSettingValue(setting) });
        continue;
      }
      const instance = (setting.settingInstance ?? {}) as Record<string, unknown>;
      const id = String(instance.settingDefinitionId ?? "");
      out.set(`setting:${id}`, { label: id, value: settingInstanceValue(instance) });
    }
  }
  definitionValueEntries(family, content, keyBy, out);
  // Items of their own navigation (a template's messages) by their key (locale): ids are Graph's.
  for (const [key, entry] of partItemEntries(family, content)) out.set(key, entry);
  if (Array.isArray(content.scheduledActionsForRule)) {
    for (const rule of content.scheduledActionsForRule as Record<string, unknown>[]) {
      const actions = Array.isArray(rule.scheduledActionConfigurations)
        ? (rule.scheduledActionConfigurations as Record<string, unknown>[])
        : [];
      for (const action of actions) {
        // Notified groups by name, like assignments (their ids differ across tenants).
        const cc = Array.isArray(action.notificationMessageCCList)
          ? { notificationMessageCCList: action.notificationMessageCCList.map((id) => groupName(String(id)) ?? id) }
          : {};
        // Across tenants a notification's template by its name: each tenant gives its templates their own ids.
        const templateId = action.notificationTemplateId;
        const templateName =
          keyBy === "name" && typeof templateId === "string" && templateId ? names.template?.(templateId) : undefined;
        const template = templateName ? { notificationTemplateId: `template “${templateName}”` } : {};
        const name = `${String(rule.ruleName ?? "rule")} ${String(action.actionType)}`;
        out.set(`action:${name}`, {
          label: `Compliance action: ${name}`,
          value: displayValue(stableValue({ ...action, ...cc, ...template })),
        });
      }
    }
  }
  if (isAssignable(family))
    assignmentEntries(content.assignments, { names, keyBy, fields: assignmentFields(family) }, out);
  return out;
}
