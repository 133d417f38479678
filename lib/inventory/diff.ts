/**
 * A readable difference between two policy versions: every leaf value by its JSON path
 * ("settings[3].settingInstance.choiceSettingValue.value"), then what was added, removed or changed.
 */
export type Change = { path: string; kind: "added" | "removed" | "changed"; before?: string; after?: string };

function flatten(value: unknown, path: string, out: Map<string, string>) {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(path, "[]");
    value.forEach((v, i) => flatten(v, `${path}[${i}]`, out));
  } else if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) out.set(path, "{}");
    for (const [k, v] of entries) flatten(v, path ? `${path}.${k}` : k, out);
  } else {
    out.set(path, JSON.stringify(value ?? null));
  }
}

export function diffContent(before: unknown, after: unknown): Change[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(before, "", a);
  flatten(after, "", b);
  const changes: Change[] = [];
  for (const [path, value] of a) {
    if (!b.has(path)) changes.push({ path, kind: "removed", before: value });
    else if (b.get(path) !== value) changes.push({ path, kind: "changed", before: value, after: b.get(path) });
  }
  for (const [path, value] of b) if (!a.has(path)) changes.push({ path, kind: "added", after: value });
  return changes.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}
