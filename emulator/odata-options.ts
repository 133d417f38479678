/**
 * `$select` and `$expand` as OData defines them (OData URL Conventions 4.01 §5.1.2–5.1.3), to the
 * depth the emulator's entity routes answer: `$select=a,b`, `$expand=nav` and
 * `$expand=nav($select=a,b)`. Names are checked against the entity type, and a name it does not
 * define is refused the way Graph's URI parser refuses it.
 */
export type ExpandItem = { name: string; select?: string[] };
export type SelectExpand = { select?: string[]; expand: ExpandItem[] };
export type EntityShape = { type: string; properties: readonly string[]; navigation: readonly string[] };

/** "Could not find a property named 'x' on type 'microsoft.graph.y'." (OData's URI parser message, as Graph returns it). */
export const noSuchProperty = (name: string, type: string) =>
  `Could not find a property named '${name}' on type '${type}'.`;

/** Splits at commas outside parentheses. */
function topLevel(list: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    if (list[i] === "(") depth += 1;
    else if (list[i] === ")") depth -= 1;
    else if (list[i] === separator && depth === 0) {
      parts.push(list.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(list.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

function parseSelect(value: string, shape: Pick<EntityShape, "type" | "properties">): string[] | { error: string } {
  const names = topLevel(value, ",");
  if (names.includes("*")) return [...shape.properties];
  const unknown = names.find((n) => !shape.properties.includes(n));
  return unknown ? { error: noSuchProperty(unknown, shape.type) } : names;
}

/**
 * The `$select`/`$expand` of `url` for an entity of `shape`; `expanded` gives the shape of what each
 * navigation property leads to (for a nested `$select`).
 */
export function parseSelectExpand(
  url: URL,
  shape: EntityShape,
  expanded: Record<string, Pick<EntityShape, "type" | "properties">>,
): SelectExpand | { error: string } {
  const result: SelectExpand = { expand: [] };
  const select = url.searchParams.get("$select");
  if (select !== null) {
    const parsed = parseSelect(select, shape);
    if ("error" in parsed) return parsed;
    result.select = parsed;
  }
  for (const item of topLevel(url.searchParams.get("$expand") ?? "", ",")) {
    const match = /^([A-Za-z][\w.]*)(?:\((.*)\))?$/.exec(item);
    if (!match) return { error: `The query specified in the URI is not valid: '$expand=${item}'.` };
    const [, name, options] = match as unknown as [string, string, string | undefined];
    if (!shape.navigation.includes(name)) return { error: noSuchProperty(name, shape.type) };
    const entry: ExpandItem = { name };
    for (const option of topLevel(options ?? "", ";")) {
      const [key, value = ""] = option.split(/=(.*)/s);
      if (key !== "$select" || !expanded[name])
        return { error: `The query option '${key}' inside $expand is not supported here.` };
      const nested = parseSelect(value, expanded[name]);
      if ("error" in nested) return nested;
      entry.select = nested;
    }
    result.expand.push(entry);
  }
  return result;
}

/** Only the selected properties (with `@odata.type`), or all of them when nothing was selected. */
export function selectProperties(entity: Record<string, unknown>, select: string[] | undefined) {
  if (!select) return entity;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entity))
    if (key === "@odata.type" || select.includes(key)) kept[key] = value;
  return kept;
}
