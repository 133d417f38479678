import { paths } from "@/lib/paths";
import type { RestoreInputs } from "./plan";

/**
 * The restore wizard keeps its state in the URL (and in the start form's fields), in one encoding:
 * `backup`, repeated `item`, repeated `map=<source group>:<target group>`, `unmapped`, `step`.
 * Values are only parsed here; the start validates them again in full.
 */
export type WizardStep = "backup" | "items" | "map" | "preview";
export type WizardState = {
  step: WizardStep;
  backupSetId?: string;
  itemIds: string[];
  mapping: Record<string, string>;
  unmapped: RestoreInputs["unmapped"];
};

type Params = Record<string, string | string[] | undefined>;
const all = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export function mappingFrom(pairs: string[]): Record<string, string> {
  return Object.fromEntries(
    pairs
      .map((p) => p.split(":"))
      .filter((p): p is [string, string] => p.length === 2 && Boolean(p[0]) && Boolean(p[1])),
  );
}

export function wizardState(params: Params): WizardState {
  const backupSetId = all(params.backup)[0];
  const itemIds = all(params.item);
  const wanted = all(params.step)[0] as WizardStep | undefined;
  // A later step only once the earlier choices exist; anything else shows the items.
  const step: WizardStep = !backupSetId
    ? "backup"
    : itemIds.length && (wanted === "map" || wanted === "preview")
      ? wanted
      : "items";
  return {
    step,
    backupSetId,
    itemIds,
    mapping: mappingFrom(all(params.map)),
    unmapped: all(params.unmapped)[0] === "block" ? "block" : "skip",
  };
}

/** The state as name/value pairs: hidden form fields and query parameters are the same encoding. */
export function wizardFields(
  state: Partial<WizardState>,
  except: ("item" | "map" | "unmapped")[] = [],
): [string, string][] {
  const fields: [string, string][] = [];
  if (state.backupSetId) fields.push(["backup", state.backupSetId]);
  if (!except.includes("item")) for (const id of state.itemIds ?? []) fields.push(["item", id]);
  if (!except.includes("map"))
    for (const [source, target] of Object.entries(state.mapping ?? {})) fields.push(["map", `${source}:${target}`]);
  if (!except.includes("unmapped") && state.unmapped) fields.push(["unmapped", state.unmapped]);
  return fields;
}

export function wizardHref(tenantId: string, state: Partial<WizardState>) {
  const query: Record<string, string[]> = {};
  for (const [name, value] of wizardFields(state)) (query[name] ??= []).push(value);
  return paths.newRestore(tenantId, { ...query, step: state.step });
}
