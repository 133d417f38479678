import type { PolicyFamily } from "@/db/schema/inventory";
import { containedType, pickWritable } from "@/lib/graph/writable";
import { canonicalJson } from "@/lib/operations/identity";
import { intuneType, type PagedPart, partOf } from "./types";

/**
 * A paged part whose items are entities of their own navigation (`partSetBy: "navigation"`: a
 * notification template's localized messages): each is created by POST to the navigation after the
 * object, changed by PATCH, removed by DELETE, and known by the part's `key` (its locale), never by
 * its id, which Graph gives it in each tenant.
 */
type Item = Record<string, unknown>;
export type NavigationPart = PagedPart & { key: string; itemType: string };

/** The type's part when its items are set through their navigation, else undefined. */
export function navigationPart(family: PolicyFamily): NavigationPart | undefined {
  const { pagedPart, partSetBy } = intuneType(family);
  return partSetBy === "navigation" && pagedPart?.key && pagedPart.itemType ? (pagedPart as NavigationPart) : undefined;
}

const keyOf = (part: NavigationPart, item: Item) => String(item[part.key] ?? "").toLowerCase();

/**
 * The body that creates or updates one item: its writable properties (Microsoft's metadata) with
 * its type. A `false` isDefault is left out: the flag "can only be set" (to unset it, it is set on
 * another message), so only the default message carries it.
 */
export function partItemBody(part: NavigationPart, item: Item): Item {
  const body = pickWritable(containedType(part.itemType.replace("#microsoft.graph.", "")), item).body;
  if (body.isDefault === false) delete body.isDefault;
  return { "@odata.type": part.itemType, ...body };
}

/** What an item says, for comparing two reads: its writable properties only. */
const itemValue = (part: NavigationPart, item: Item) => canonicalJson(partItemBody(part, item));

export type PartChanges = {
  create: Item[];
  update: { id: string; body: Item }[];
  remove: string[];
};

/**
 * The writes that give an object `wanted`'s items, knowing it holds `current`: items missing by key
 * are created, items whose text differs are patched, and (only when `exact`, as drift's Revert is)
 * items the object holds beyond `wanted` are deleted. A restore's retry after a partial write
 * creates only what is still missing.
 */
export function partChanges(
  part: NavigationPart,
  { wanted, current, exact }: { wanted: Item[]; current: Item[]; exact: boolean },
): PartChanges {
  const now = new Map(current.map((item) => [keyOf(part, item), item]));
  const keys = new Set(wanted.map((item) => keyOf(part, item)));
  const changes: PartChanges = { create: [], update: [], remove: [] };
  // The default first: setting it unsets it on the others, so it must not be overtaken.
  const ordered = [...wanted].sort((a, b) => Number(b.isDefault === true) - Number(a.isDefault === true));
  for (const item of ordered) {
    const held = now.get(keyOf(part, item));
    if (!held) changes.create.push(partItemBody(part, item));
    else if (itemValue(part, held) !== itemValue(part, item))
      changes.update.push({ id: String(held.id), body: partItemBody(part, item) });
  }
  if (exact)
    for (const [key, item] of now) if (!keys.has(key) && typeof item.id === "string") changes.remove.push(item.id);
  return changes;
}

/** One drift entry per item, keyed by its `key` (its locale), valued by what an administrator wrote. */
export function partItemEntries(family: PolicyFamily, content: Record<string, unknown>) {
  const part = navigationPart(family);
  if (!part) return [];
  return partOf(family, content).map((item) => {
    const value = partItemBody(part, item);
    delete value["@odata.type"];
    return [
      `part:${keyOf(part, item)}`,
      {
        label: `${part.property} (${part.key} ${String(item[part.key])})`,
        value: canonicalJson({ isDefault: false, ...value }),
      },
    ] as const;
  });
}
