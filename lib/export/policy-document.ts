import { display, inline, table } from "./markdown";

/**
 * One backed-up policy as a Markdown section: its type, its settings as a table and its
 * assignments with group names. Reads the content generically (whatever the family): a
 * settings-catalog `settings` array by definition id (an iOS app configuration's `settings` by key),
 * custom `omaSettings` by OMA-URI, and every
 * other top-level property as it is.
 */

export type PolicySection = {
  name: string;
  typeLabel: string;
  /** False for a type the console does not assign (lib/intune/types.ts `isAssignable`): no Assignments table. */
  assignable?: boolean;
  fileName: string;
  /** The content as exported: secrets already masked. */
  content: Record<string, unknown>;
  /** Group display names by id, from the tenant's directory cache. */
  groupNames: ReadonlyMap<string, string>;
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => Boolean(v) && typeof v === "object" && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const shortType = (t: unknown) => String(t ?? "").replace(/^#microsoft\.graph\./, "");

// Properties shown in their own tables, or that say nothing about the configuration.
const NOT_PLAIN = new Set([
  "assignments",
  "settings",
  "omaSettings",
  "definitionValues",
  "localizedNotificationMessages",
  "@odata.context",
]);

export function policySection(p: PolicySection): string {
  const odataType = p.content["@odata.type"];
  const parts = [
    `## ${inline(p.name)}\n\n`,
    `- Type: ${inline(p.typeLabel)}${odataType ? ` (${inline(shortType(odataType))})` : ""}\n`,
    `- File: ${inline(p.fileName)}\n\n`,
  ];
  if (Array.isArray(p.content.settings) && p.content.settings.length && p.content.settings.every(isAppConfigItem)) {
    parts.push(
      "### App configuration settings\n\n",
      table(["Key", "Type", "Value"], appConfigRows(p.content.settings)),
      "\n",
    );
  } else if (Array.isArray(p.content.settings)) {
    parts.push("### Settings\n\n", table(["Setting definition", "Value"], catalogRows(p.content.settings)), "\n");
  }
  if (Array.isArray(p.content.omaSettings)) {
    parts.push("### OMA-URI settings\n\n", table(["OMA-URI", "Name", "Value"], omaRows(p.content.omaSettings)), "\n");
  }
  if (Array.isArray(p.content.definitionValues)) {
    parts.push(
      "### Administrative template values\n\n",
      table(["Policy", "State", "Values"], definitionValueRows(p.content.definitionValues)),
      "\n",
    );
  }
  if (Array.isArray(p.content.localizedNotificationMessages)) {
    parts.push(
      "### Localized messages\n\n",
      table(["Locale", "Default", "Subject", "Message"], messageRows(p.content.localizedNotificationMessages)),
      "\n",
    );
  }
  parts.push("### Properties\n\n", table(["Property", "Value"], plainRows(p.content)), "\n");
  if (p.assignable !== false)
    parts.push(
      "### Assignments\n\n",
      table(["Intent", "Target", "Filter"], assignmentRows(p.content.assignments, p.groupNames)),
      "\n",
    );
  return parts.join("");
}

/** A notification template's messages, one row per locale (the default first). */
function messageRows(messages: unknown[]): string[][] {
  return messages
    .filter(isObject)
    .sort((a, b) => Number(b.isDefault === true) - Number(a.isDefault === true))
    .map((m) => [display(m.locale), m.isDefault === true ? "yes" : "", display(m.subject), display(m.messageTemplate)]);
}

function plainRows(content: Json): string[][] {
  return Object.entries(content)
    .filter(([key]) => !NOT_PLAIN.has(key))
    .map(([key, value]) => [key, display(value)]);
}

/** An administrative template's values: each policy by its category path and name, enabled or not, each option's value. */
function definitionValueRows(values: unknown[]): string[][] {
  return values.filter(isObject).map((v) => {
    const definition = isObject(v.definition) ? v.definition : {};
    const options = asArray(v.presentationValues)
      .filter(isObject)
      .map((pv) => {
        const presentation = isObject(pv.presentation) ? pv.presentation : {};
        return `${display(presentation.label ?? presentation.id ?? "")} ${display(pv.value ?? pv.values ?? "")}`;
      });
    return [
      display([definition.categoryPath, definition.displayName].filter(Boolean).join("\\") || definition.id || ""),
      v.enabled === false ? "Disabled" : "Enabled",
      options.join("; "),
    ];
  });
}

function omaRows(settings: unknown[]): string[][] {
  return settings
    .filter(isObject)
    .map((s) => [display(s.omaUri ?? ""), display(s.displayName ?? ""), display(s.value)]);
}

/** An iOS app configuration's key/value item (appConfigurationSettingItem), not a catalog setting. */
const isAppConfigItem = (item: unknown) => isObject(item) && "appConfigKey" in item;
const appConfigRows = (items: unknown[]) =>
  (items as Json[]).map((i) => [display(i.appConfigKey), display(i.appConfigKeyType), display(i.appConfigKeyValue)]);

/** Settings-catalog settings (or an intent's), one row per setting instance; children follow their parent, indented. */
function catalogRows(settings: unknown[]): string[][] {
  const rows: string[][] = [];
  const visit = (instance: unknown, depth: number) => {
    if (!isObject(instance)) return;
    const id = `${"→ ".repeat(depth)}${display(instance.settingDefinitionId ?? "(no definition id)")}`;
    const { value, children } = instanceValue(instance);
    rows.push([id, value]);
    for (const child of children) visit(child, depth + 1);
  };
  for (const setting of settings) {
    // An endpoint-security intent's setting instance: its definition id and its value as JSON.
    if (isObject(setting) && !setting.settingInstance && typeof setting.definitionId === "string")
      rows.push([display(setting.definitionId), display(setting.valueJson ?? setting.value)]);
    else visit(isObject(setting) ? setting.settingInstance : undefined, 0);
  }
  return rows;
}

// An instance's own keys: what is left of an instance of an unknown type is its value.
const INSTANCE_KEYS = new Set(["@odata.type", "settingDefinitionId", "settingInstanceTemplateReference"]);

/** What a setting instance holds, by the value properties Graph defines for each instance type. */
function instanceValue(instance: Json): { value: string; children: unknown[] } {
  const choice = instance.choiceSettingValue;
  if (isObject(choice)) return { value: display(choice.value), children: asArray(choice.children) };
  const simple = instance.simpleSettingValue;
  if (isObject(simple)) return { value: display(simple.value), children: [] };
  if (Array.isArray(instance.choiceSettingCollectionValue)) {
    const values = instance.choiceSettingCollectionValue.filter(isObject);
    return {
      value: values.map((v) => display(v.value)).join(", "),
      children: values.flatMap((v) => asArray(v.children)),
    };
  }
  if (Array.isArray(instance.simpleSettingCollectionValue)) {
    return {
      value: instance.simpleSettingCollectionValue
        .filter(isObject)
        .map((v) => display(v.value))
        .join(", "),
      children: [],
    };
  }
  const group = instance.groupSettingValue;
  if (isObject(group)) return { value: "(group)", children: asArray(group.children) };
  if (Array.isArray(instance.groupSettingCollectionValue)) {
    const groups = instance.groupSettingCollectionValue.filter(isObject);
    return { value: `(${groups.length} groups)`, children: groups.flatMap((g) => asArray(g.children)) };
  }
  const rest = Object.fromEntries(Object.entries(instance).filter(([key]) => !INSTANCE_KEYS.has(key)));
  return { value: display(rest), children: [] };
}

const TARGETS: Record<string, { intent: string; target?: string }> = {
  groupAssignmentTarget: { intent: "Include" },
  exclusionGroupAssignmentTarget: { intent: "Exclude" },
  allLicensedUsersAssignmentTarget: { intent: "Include", target: "All users" },
  allDevicesAssignmentTarget: { intent: "Include", target: "All devices" },
};

function assignmentRows(assignments: unknown, groupNames: ReadonlyMap<string, string>): string[][] {
  return asArray(assignments).map((assignment) => {
    const target = isObject(assignment) && isObject(assignment.target) ? assignment.target : {};
    const type = shortType(target["@odata.type"]);
    const known = TARGETS[type];
    const groupId = typeof target.groupId === "string" ? target.groupId : undefined;
    const who = known?.target ?? (groupId ? (groupNames.get(groupId) ?? `group ${groupId}`) : type || "(unknown)");
    const filterId = target.deviceAndAppManagementAssignmentFilterId;
    const filterType = target.deviceAndAppManagementAssignmentFilterType;
    const filter =
      typeof filterId === "string" && filterId && filterType !== "none" ? `${display(filterType)} ${filterId}` : "";
    return [known?.intent ?? type, who, filter];
  });
}

/** The group ids an item's assignments name (to look their names up in one query per batch). */
export function assignedGroupIds(content: Json): string[] {
  return asArray(content.assignments).flatMap((a) =>
    isObject(a) && isObject(a.target) && typeof a.target.groupId === "string" ? [a.target.groupId] : [],
  );
}
