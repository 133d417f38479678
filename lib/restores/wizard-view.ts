import "server-only";
import type { DbOrTx } from "@/db/client";
import { directorySummary } from "@/lib/directory/groups";
import { referenceCacheSummary } from "@/lib/directory/references";
import { InputError } from "@/lib/errors";
import { isAssignable } from "@/lib/intune/types";
import { FAMILY_LABELS } from "@/lib/inventory/queries";
import { allNamed } from "@/lib/named-all";
import { latestRunOfType } from "@/lib/operations/queries";
import {
  assignmentsOf,
  backupSetItems,
  cachedGroupsById,
  type ReferencedGroup,
  type RestorePlan,
  referencedGroups,
  restoreInputSchema,
  restorePlan,
  suggestTargets,
} from "./plan";
import { referenceMapping } from "./reference-mapping";
import type { WizardState } from "./wizard";

/**
 * View models of the restore wizard's steps. Each reads the database only (the directory cache,
 * backups) and derives what its step renders; the step components only render.
 */

export const WIZARD_STEPS = [
  { step: "backup", label: "Backup" },
  { step: "items", label: "Items" },
  { step: "map", label: "Map groups" },
  { step: "preview", label: "Preview" },
] as const;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The items step: every policy of the set, checked when the URL chose it. */
export async function loadItemsStep(db: DbOrTx, state: WizardState) {
  const chosen = new Set(state.itemIds);
  return (await backupSetItems(db, state.backupSetId!)).map((item) => ({
    id: item.id,
    name: item.name,
    checked: chosen.has(item.id),
    detail: `${FAMILY_LABELS[item.family]} · ${
      isAssignable(item.family)
        ? plural(assignmentsOf(item.content).length, "assignment", "assignments")
        : "not assigned to groups"
    }`,
  }));
}

export type MappingRow = {
  source: ReferencedGroup;
  /** What the picker starts with: the URL's choice if still cached, else the same-named group. */
  initial?: { id: string; displayName: string };
  hint?: string;
};

/** One row per source group: the URL's mapping wins over a suggestion; only cached groups are offered. */
export function mappingRows(
  groups: ReferencedGroup[],
  {
    mapping,
    mappedNames,
    suggestions,
  }: {
    mapping: Record<string, string>;
    mappedNames: Map<string, string>;
    suggestions: Record<string, { id: string; name: string }>;
  },
): MappingRow[] {
  return groups.map((source) => {
    const mapped = mapping[source.id];
    const suggestion = suggestions[source.id];
    if (mapped && mappedNames.has(mapped))
      return { source, initial: { id: mapped, displayName: mappedNames.get(mapped)! } };
    if (!suggestion) return { source };
    return {
      source,
      initial: { id: suggestion.id, displayName: suggestion.name },
      hint: mapped ? undefined : "Suggested: the cached group with the same name.",
    };
  });
}

/**
 * The mapping step: the source groups the chosen items use, the target tenant's cache state, and
 * the filters and scope tags the items use with where each goes (by name, not chosen by hand).
 */
export async function loadMapStep(
  db: DbOrTx,
  { tenantId, sourceTenantId, state }: { tenantId: string; sourceTenantId: string; state: WizardState },
) {
  const chosen = (await backupSetItems(db, state.backupSetId!)).filter((i) => state.itemIds.includes(i.id));
  const { groups, summary, lastSync, mappedNames, references, referenceSummary, lastReferenceSync } = await allNamed({
    groups: referencedGroups(db, sourceTenantId, chosen),
    summary: directorySummary(db, tenantId),
    lastSync: latestRunOfType(db, tenantId, "directory_groups.sync"),
    mappedNames: cachedGroupsById(db, tenantId, Object.values(state.mapping)),
    references: referenceMapping(db, { sourceTenantId, targetTenantId: tenantId, items: chosen }),
    referenceSummary: referenceCacheSummary(db, tenantId),
    lastReferenceSync: latestRunOfType(db, tenantId, "directory_references.sync"),
  });
  const suggestions = await suggestTargets(db, tenantId, groups);
  return {
    rows: mappingRows(groups, { mapping: state.mapping, mappedNames, suggestions }),
    summary,
    lastSync,
    references: { crossTenant: references.crossTenant, rows: references.rows, summary: referenceSummary },
    lastReferenceSync,
  };
}

/** The preview's figures and the reason the start is blocked, if it is. */
export function previewSummary(plan: RestorePlan) {
  const created = plan.items.filter((i) => !i.refusal);
  const refused = plan.items.length - created.length;
  const assignments = created.flatMap((i) => i.assignments);
  const assigned = assignments.filter((a) => a.action === "assign").length;
  const skipped = assignments.length - assigned;
  return {
    text: [
      `${plural(created.length, "policy", "policies")} will be created in this tenant`,
      `${assigned} assignment(s)`,
      `${skipped} skipped`,
      ...(plan.items.some((i) => i.scopeTagsLeftOut.length)
        ? [`${plan.items.reduce((n, i) => n + i.scopeTagsLeftOut.length, 0)} scope tag(s) left out`]
        : []),
      ...(plan.unmapped.length ? [`${plan.unmapped.length} group(s) without a target`] : []),
      ...(refused ? [`${plural(refused, "policy", "policies")} refused (see below)`] : []),
    ].join(" · "),
    blockedReason: plan.blocked
      ? `${plan.unmapped.length} group(s) have no target and you chose to block: map them or choose to skip.`
      : undefined,
  };
}

/** The preview step: the plan the worker will run, or why the URL's choices cannot make one. */
export async function loadPreviewStep(
  db: DbOrTx,
  { tenantId, sourceTenantId, state }: { tenantId: string; sourceTenantId: string; state: WizardState },
): Promise<{ plan: RestorePlan; summary: ReturnType<typeof previewSummary> } | { error: string }> {
  const inputs = restoreInputSchema.safeParse({
    backupSetId: state.backupSetId,
    itemIds: state.itemIds,
    mapping: state.mapping,
    unmapped: state.unmapped,
  });
  if (!inputs.success)
    return { error: "The wizard's choices in this address are not valid. Go back and choose again." };
  try {
    const plan = await restorePlan(db, { targetTenantId: tenantId, sourceTenantId, inputs: inputs.data });
    return { plan, summary: previewSummary(plan) };
  } catch (err) {
    if (err instanceof InputError) return { error: err.message };
    throw err;
  }
}
