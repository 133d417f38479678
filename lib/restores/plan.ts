import "server-only";
import { and, asc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { backupItems, backupSets, entraGroups, type PolicyFamily, tenants } from "@/db/schema";
import { InputError, NotFoundError } from "@/lib/errors";
import type { StartCheck } from "@/lib/operations/registry";
import { requireTenantAccess } from "@/lib/tenants/access";
import { notificationTemplateMatches, templateNamesInInventory } from "./notification-templates";
import { mappedScopeTags, referenceLabel, referenceMapping } from "./reference-mapping";
import { referencedGroupIds, referencedTemplateIds, referenceRefusal, type TemplateMatches } from "./references";
import { secretRefusal } from "./secrets";

/** What a restore is asked to do; the same shape in the wizard's URL, its form and the run's inputs. */
export const restoreInputSchema = z
  .object({
    backupSetId: z.uuid(),
    itemIds: z.array(z.uuid()).min(1, "Choose at least one item to restore").max(500),
    /** Source group id → target group id (from the target tenant's directory cache). */
    mapping: z.record(z.uuid(), z.uuid()).default({}),
    /** What happens to an assignment whose group has no target: leave it out, or refuse to start. */
    unmapped: z.enum(["skip", "block"]).default("skip"),
  })
  .strict();
export type RestoreInputs = z.infer<typeof restoreInputSchema>;

/** Deduplication: the same backup items, mapped the same way, into the same tenant. */
export function restoreIdentity(inputs: RestoreInputs) {
  return {
    backupSetId: inputs.backupSetId,
    items: [...new Set(inputs.itemIds)].sort(),
    mapping: Object.entries(inputs.mapping).sort(([a], [b]) => (a < b ? -1 : 1)),
    unmapped: inputs.unmapped,
  };
}

/**
 * The backup set a restore into `targetTenantId` may read: a sealed set of the same tenant (operator
 * there), or of another tenant when the user owns both. Anything else does not exist for them.
 */
export async function requireRestoreSource(
  db: DbOrTx,
  { userId, targetTenantId, backupSetId }: { userId: string; targetTenantId: string; backupSetId: string },
) {
  const target = await requireTenantAccess(db, { userId, tenantId: targetTenantId, minRole: "operator" });
  if (!z.uuid().safeParse(backupSetId).success) throw new NotFoundError("backup");
  const [set] = await db
    .select({
      id: backupSets.id,
      tenantId: backupSets.tenantId,
      name: backupSets.name,
      createdAt: backupSets.createdAt,
      itemCount: backupSets.itemCount,
    })
    .from(backupSets)
    .where(and(eq(backupSets.id, backupSetId), isNotNull(backupSets.completedAt)));
  if (!set) throw new NotFoundError("backup");
  if (set.tenantId !== targetTenantId) {
    if (target.role !== "owner") throw new NotFoundError("backup");
    const source = await requireTenantAccess(db, { userId, tenantId: set.tenantId, minRole: "viewer" }).catch(
      () => null,
    );
    if (source?.role !== "owner") throw new NotFoundError("backup");
  }
  const [source] = await db
    .select({ displayName: tenants.displayName })
    .from(tenants)
    .where(eq(tenants.id, set.tenantId));
  return { ...set, sourceTenantName: source!.displayName };
}

/** Sealed backup sets a restore into this tenant can use: its own, and those of tenants the user also owns. */
export async function restorableBackupSets(db: DbOrTx, userId: string, targetTenantId: string) {
  const target = await requireTenantAccess(db, { userId, tenantId: targetTenantId, minRole: "operator" });
  return db
    .select({
      id: backupSets.id,
      name: backupSets.name,
      itemCount: backupSets.itemCount,
      createdAt: backupSets.createdAt,
      tenantId: backupSets.tenantId,
      tenantName: tenants.displayName,
    })
    .from(backupSets)
    .innerJoin(tenants, eq(tenants.id, backupSets.tenantId))
    .where(
      and(
        isNotNull(backupSets.completedAt),
        target.role === "owner"
          ? sql`${backupSets.tenantId} in (select tenant_id from tenant_memberships where user_id = ${userId} and role = 'owner')`
          : eq(backupSets.tenantId, targetTenantId),
      ),
    )
    .orderBy(sql`${backupSets.tenantId} = ${targetTenantId} desc`, sql`${backupSets.createdAt} desc`)
    .limit(200);
}

export async function backupSetItems(db: DbOrTx, backupSetId: string) {
  return db
    .select({ id: backupItems.id, family: backupItems.family, name: backupItems.name, content: backupItems.content })
    .from(backupItems)
    .where(eq(backupItems.backupSetId, backupSetId))
    .orderBy(asc(backupItems.family), asc(backupItems.name));
}

type AssignmentTarget = Record<string, unknown> & { "@odata.type"?: string; groupId?: string };
export type BackupAssignment = Record<string, unknown> & { target?: AssignmentTarget };

export const assignmentsOf = (content: Record<string, unknown>) =>
  Array.isArray(content.assignments) ? (content.assignments as BackupAssignment[]) : [];

const TARGET_LABELS: Record<string, string> = {
  "#microsoft.graph.groupAssignmentTarget": "Include group",
  "#microsoft.graph.exclusionGroupAssignmentTarget": "Exclude group",
  "#microsoft.graph.allDevicesAssignmentTarget": "All devices",
  "#microsoft.graph.allLicensedUsersAssignmentTarget": "All users",
};
export const targetLabel = (target: AssignmentTarget | undefined) =>
  TARGET_LABELS[String(target?.["@odata.type"])] ?? String(target?.["@odata.type"] ?? "Unknown target");

export type PlannedAssignment = {
  kind: string;
  target: AssignmentTarget;
  /** The assignment as backed up (a remediation's carries its schedule beside the target). */
  fields?: Record<string, unknown>;
  sourceGroup?: { id: string; name: string | null };
  targetGroup?: { id: string; name: string };
  /** Its assignment filter: the source's id and name, and the target's id of that name (absent: none). */
  filter?: { id: string; type: string; name: string | null; targetId?: string };
  /** "skip": its group, or its filter, has no target in this tenant. */
  action: "assign" | "skip";
  skipReason?: "group" | "filter";
};
export type PlannedItem = {
  backupItemId: string;
  family: PolicyFamily;
  name: string;
  content: Record<string, unknown>;
  assignments: PlannedAssignment[];
  /** Why this item will not be created (secrets to re-enter, unmapped references); the rest goes on. */
  refusal?: string;
  /** The scope tags the created policy carries (mapped by name into another tenant); undefined: as backed up. */
  scopeTagIds?: string[];
  /** Scope tags without a namesake in this tenant, left out ("scope tag “Europe”"). */
  scopeTagsLeftOut: string[];
  /** Into another tenant: the target's namesakes of the notification templates the item names. */
  templates?: TemplateMatches;
};

const filterOf = (target: AssignmentTarget) => {
  const id = target.deviceAndAppManagementAssignmentFilterId;
  const type = target.deviceAndAppManagementAssignmentFilterType;
  return typeof id === "string" && id && type !== "none" ? { id, type: String(type ?? "include") } : undefined;
};
export type ReferencedGroup = { id: string; name: string | null; usedBy: string[] };

/**
 * Every group the chosen items name — in their assignments, and elsewhere (a notification's CC
 * list, a kiosk account) — with its name from the source tenant's cache.
 */
export async function referencedGroups(
  db: DbOrTx,
  sourceTenantId: string,
  items: { name: string; family: PolicyFamily; content: Record<string, unknown> }[],
) {
  const usedBy = new Map<string, string[]>();
  for (const item of items) {
    const ids = [
      ...assignmentsOf(item.content).map((a) => a.target?.groupId),
      ...referencedGroupIds(item.family, item.content),
    ];
    for (const id of new Set(ids)) {
      if (typeof id === "string") usedBy.set(id, [...(usedBy.get(id) ?? []), item.name]);
    }
  }
  const ids = [...usedBy.keys()];
  const names = await cachedGroupsById(db, sourceTenantId, ids);
  return ids
    .map((id): ReferencedGroup => ({ id, name: names.get(id) ?? null, usedBy: usedBy.get(id)! }))
    .sort((a, b) => (a.name ?? "\uffff").localeCompare(b.name ?? "\uffff"));
}

/** Names of the given groups that are in the tenant's directory cache (and not deleted there). */
export async function cachedGroupsById(
  db: DbOrTx,
  tenantId: string,
  candidates: string[],
): Promise<Map<string, string>> {
  const ids = candidates.filter((id) => z.uuid().safeParse(id).success);
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: entraGroups.id, name: entraGroups.displayName })
    .from(entraGroups)
    .where(and(eq(entraGroups.tenantId, tenantId), eq(entraGroups.deleted, false), inArray(entraGroups.id, ids)));
  return new Map(rows.map((g) => [g.id, g.name]));
}

/** Target groups with the same display name as each source group (the wizard's suggestions). */
export async function suggestTargets(db: DbOrTx, targetTenantId: string, groups: ReferencedGroup[]) {
  const names = [...new Set(groups.map((g) => g.name?.toLowerCase()).filter((n): n is string => Boolean(n)))];
  if (!names.length) return {};
  const rows = await db
    .select({ id: entraGroups.id, name: entraGroups.displayName })
    .from(entraGroups)
    .where(
      and(
        eq(entraGroups.tenantId, targetTenantId),
        eq(entraGroups.deleted, false),
        inArray(sql`lower(${entraGroups.displayName})`, names),
      ),
    );
  const byName = new Map(rows.map((r) => [r.name.toLowerCase(), r]));
  return Object.fromEntries(
    groups.flatMap((g) =>
      g.name && byName.has(g.name.toLowerCase()) ? [[g.id, byName.get(g.name.toLowerCase())!]] : [],
    ),
  );
}

/**
 * The whole restore, worked out from the database only: which policies are created, which
 * assignments they get, and which are left out. Refuses items outside the set, mappings for groups
 * no chosen item uses, and targets that are not in this tenant's directory cache.
 */
export async function restorePlan(
  db: DbOrTx,
  { targetTenantId, sourceTenantId, inputs }: { targetTenantId: string; sourceTenantId: string; inputs: RestoreInputs },
) {
  const wanted = [...new Set(inputs.itemIds)];
  const items = (await backupSetItems(db, inputs.backupSetId)).filter((i) => wanted.includes(i.id));
  if (items.length !== wanted.length)
    throw new InputError("Some chosen items are not in this backup.", {
      itemIds: ["Some chosen items are not in this backup."],
    });

  const groups = await referencedGroups(db, sourceTenantId, items);
  const referenced = new Set(groups.map((g) => g.id));
  const stray = Object.keys(inputs.mapping).find((id) => !referenced.has(id));
  if (stray)
    throw new InputError(`The mapping names group ${stray}, which no chosen item is assigned to.`, {
      mapping: ["The mapping does not match the chosen items."],
    });

  const targetIds = [...new Set(Object.values(inputs.mapping))];
  const cached = await cachedGroupsById(db, targetTenantId, targetIds);
  const notCached = targetIds.find((id) => !cached.has(id));
  if (notCached) {
    throw new InputError(
      `Group ${notCached} is not in this tenant's directory cache. Sync groups, then pick the target again.`,
      { mapping: ["A target group is not in the directory cache."] },
    );
  }

  const sourceNames = new Map(groups.map((g) => [g.id, g.name]));
  const crossTenant = sourceTenantId !== targetTenantId;
  const references = await referenceMapping(db, { sourceTenantId, targetTenantId, items });
  const templateIds = [...new Set(items.flatMap((item) => referencedTemplateIds(item.family, item.content)))];
  const templates = crossTenant
    ? await notificationTemplateMatches(db, {
        targetTenantId,
        ids: templateIds,
        sourceNames: await templateNamesInInventory(db, { tenantId: sourceTenantId, ids: templateIds }),
      })
    : undefined;
  const planned: PlannedItem[] = items.map((item) => {
    const tags = crossTenant ? mappedScopeTags(item.family, item.content, references) : { ids: undefined, leftOut: [] };
    return {
      backupItemId: item.id,
      family: item.family,
      name: item.name,
      content: item.content,
      refusal:
        [secretRefusal(item), referenceRefusal(item, { crossTenant, mapping: inputs.mapping, templates })]
          .filter(Boolean)
          .join(" ") || undefined,
      scopeTagIds: tags.ids,
      scopeTagsLeftOut: tags.leftOut,
      templates,
      assignments: assignmentsOf(item.content).map((a): PlannedAssignment => {
        const target = a.target ?? {};
        const groupId = target.groupId;
        const source = filterOf(target);
        const filter = source ? { ...source, ...references.filter(source.id) } : undefined;
        const filterMissing = Boolean(filter && !filter.targetId);
        // An unfiltered target may still name a filter id (type "none"): not the source's id elsewhere.
        const sent =
          crossTenant && !filter && target.deviceAndAppManagementAssignmentFilterId
            ? { ...target, deviceAndAppManagementAssignmentFilterId: null }
            : target;
        const base = { kind: targetLabel(target), target: sent, fields: a, ...(filter ? { filter } : {}) };
        if (typeof groupId !== "string")
          return filterMissing ? { ...base, action: "skip", skipReason: "filter" } : { ...base, action: "assign" };
        const mapped = inputs.mapping[groupId];
        return {
          ...base,
          sourceGroup: { id: groupId, name: sourceNames.get(groupId) ?? null },
          ...(mapped ? { targetGroup: { id: mapped, name: cached.get(mapped)! } } : {}),
          action: mapped && !filterMissing ? "assign" : "skip",
          ...(mapped ? (filterMissing ? { skipReason: "filter" as const } : {}) : { skipReason: "group" as const }),
        };
      }),
    };
  });
  const unmapped = groups.filter((g) => !inputs.mapping[g.id]);
  return {
    items: planned,
    groups,
    /** The filters and scope tags the chosen items use, and where each goes (wizard's mapping step). */
    references: references.rows,
    unmapped,
    blocked: inputs.unmapped === "block" && unmapped.length > 0,
    crossTenant,
  };
}
export type RestorePlan = Awaited<ReturnType<typeof restorePlan>>;

/** What an item's results say about what it left out because of the target tenant's filters and tags. */
export function leftOutReferencesNote(item: PlannedItem): string | null {
  const filtered = item.assignments.filter((a) => a.skipReason === "filter" && a.filter);
  const parts = [
    ...filtered.map(
      (a) =>
        `${a.kind}${a.sourceGroup ? ` ${a.sourceGroup.name ?? a.sourceGroup.id}` : ""} left out: its ${referenceLabel("filter", { sourceId: a.filter!.id, name: a.filter!.name })} has no namesake in this tenant's filter cache.`,
    ),
    ...(item.scopeTagsLeftOut.length
      ? [`Left out (no namesake in this tenant's scope tag cache): ${item.scopeTagsLeftOut.join(", ")}.`]
      : []),
  ];
  return parts.length ? parts.join(" ") : null;
}

/** The start gate: access to both tenants, a valid plan, and "block" honoured. */
export async function checkRestoreStart(
  db: DbOrTx,
  { userId, tenantId: targetTenantId, inputs }: StartCheck<RestoreInputs>,
) {
  const source = await requireRestoreSource(db, { userId, targetTenantId, backupSetId: inputs.backupSetId });
  const plan = await restorePlan(db, { targetTenantId, sourceTenantId: source.tenantId, inputs });
  if (plan.blocked) {
    throw new InputError(
      `${plan.unmapped.length} source group(s) have no target and you chose to block the start: map them, or choose to skip their assignments.`,
      {
        mapping: ["Unmapped groups block this restore."],
      },
    );
  }
  return { source, plan };
}
