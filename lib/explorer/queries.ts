import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { type AssignmentTargetKind, entraGroups, policies } from "@/db/schema";
import { scopeTagIdsOf } from "@/lib/directory/references";
import { INTUNE_TYPE_KEYS, scopeTagPropertyOf } from "@/lib/intune/types";
import { resolveReferenceNames } from "./names";

const SCOPE_TAG_PROPERTIES = [...new Set(INTUNE_TYPE_KEYS.map(scopeTagPropertyOf))];

export type GroupRef = { id: string; name: string | null };
export type GroupAssignment = {
  policyId: string;
  policyName: string;
  family: string;
  platform: string;
  kind: AssignmentTargetKind;
  filterId: string | null;
  filterName: string | null;
  filterType: string | null;
  /** The group the assignment names (null for all users / all devices). */
  assignedGroup: GroupRef | null;
  /** The nesting from the picked group up to the assigned one: the group containing it first, the assigned group last (empty when direct). */
  through: GroupRef[];
};

type Row = {
  policy_id: string;
  policy_name: string;
  family: string;
  platform: string;
  kind: AssignmentTargetKind;
  filter_id: string | null;
  filter_type: string | null;
  group_id: string | null;
  path: string[] | null;
};

/**
 * The groups that contain `groupId`, directly or through nesting, each with its shortest path
 * (picked group first, containing group last). One query collects the nesting edges above the
 * group: a recursive UNION keeps each edge once, so a loop ends and a group reachable many ways is
 * expanded once (linear in the edges; a path-carrying CTE enumerates every path instead, see
 * docs/decisions.md). The paths are then walked breadth-first in memory.
 */
export async function containingGroups(db: DbOrTx, { tenantId, groupId }: { tenantId: string; groupId: string }) {
  const edges = await db.execute<{ group_id: string; member_group_id: string }>(sql`
    with recursive up(group_id, member_group_id) as (
      select m.group_id, m.member_group_id from group_member_groups m
      where m.tenant_id = ${tenantId}::uuid and m.member_group_id = ${groupId}::uuid
      union
      -- Lateral: an index lookup per group reached (a hash join would read every edge of the tenant).
      select m.group_id, m.member_group_id from up
      cross join lateral (
        select e.group_id, e.member_group_id from group_member_groups e
        where e.tenant_id = ${tenantId}::uuid and e.member_group_id = up.group_id
        offset 0 -- keeps the planner from flattening it back into a join
      ) m
    )
    select group_id, member_group_id from up order by group_id`);
  const containers = new Map<string, string[]>();
  for (const e of edges.rows)
    containers.set(e.member_group_id, [...(containers.get(e.member_group_id) ?? []), e.group_id]);
  const paths = new Map<string, string[]>([[groupId, [groupId]]]);
  for (let frontier = [groupId]; frontier.length; ) {
    const next: string[] = [];
    for (const member of frontier)
      for (const container of containers.get(member) ?? []) {
        if (paths.has(container)) continue;
        paths.set(container, [...paths.get(member)!, container]);
        next.push(container);
      }
    frontier = next;
  }
  return paths;
}

/**
 * Every live policy assignment that reaches a group: those naming it (include or exclude), those
 * naming a group it is nested in (with the path), and the all users / all devices ones, which
 * reach every member. Reads the projection and the directory cache only.
 */
export async function assignmentsForGroup(
  db: DbOrTx,
  { tenantId, groupId, limit = 1000 }: { tenantId: string; groupId: string; limit?: number },
): Promise<{ rows: GroupAssignment[]; truncated: boolean }> {
  // Those naming the group or one containing it, then everyone's, each in name order, limit + 1 to see truncation.
  const reach = await containingGroups(db, { tenantId, groupId });
  const named = await db.execute<Row>(sql`
    select t.policy_id, t.policy_name, t.family, t.platform, t.kind, t.filter_id, t.filter_type,
      t.group_id, null as path
    from policy_assignment_targets t
    where t.tenant_id = ${tenantId}::uuid and t.group_id = any(${`{${[...reach.keys()].join(",")}}`}::uuid[])
      and t.kind in ('group', 'exclusion_group')
    order by t.policy_name, t.policy_id, t.position
    limit ${limit + 1}`);
  for (const row of named.rows) row.path = reach.get(row.group_id!) ?? null;
  const left = Math.max(0, limit + 1 - named.rows.length);
  const everyone = left
    ? await db.execute<Row>(sql`
        select t.policy_id, t.policy_name, t.family, t.platform, t.kind, t.filter_id, t.filter_type,
          null as group_id, null as path
        from policy_assignment_targets t
        where t.tenant_id = ${tenantId}::uuid and t.kind in ('all_users', 'all_devices')
        order by t.policy_name, t.policy_id
        limit ${left}`)
    : { rows: [] };
  const all = [...named.rows, ...everyone.rows];
  const rows = all.slice(0, limit);
  const groupIds = new Set(rows.flatMap((r) => r.path ?? []));
  const [groupNames, names] = await Promise.all([
    namesOfGroups(db, tenantId, [...groupIds]),
    resolveReferenceNames(db, { tenantId, filterIds: rows.flatMap((r) => r.filter_id ?? []), scopeTagIds: [] }),
  ]);
  const ref = (id: string): GroupRef => ({ id, name: groupNames.get(id) ?? null });
  return {
    truncated: all.length > limit,
    rows: rows.map((r) => ({
      policyId: r.policy_id,
      policyName: r.policy_name,
      family: r.family,
      platform: r.platform,
      kind: r.kind,
      filterId: r.filter_id,
      filterName: r.filter_id ? (names.filters.get(r.filter_id) ?? null) : null,
      filterType: r.filter_type,
      assignedGroup: r.group_id ? ref(r.group_id) : null,
      through: (r.path ?? []).slice(1).map(ref),
    })),
  };
}

async function namesOfGroups(db: DbOrTx, tenantId: string, ids: string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ id: entraGroups.id, name: entraGroups.displayName })
    .from(entraGroups)
    .where(and(eq(entraGroups.tenantId, tenantId), sql`${entraGroups.id} = any(${`{${ids.join(",")}}`}::uuid[])`));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export type PolicyTarget = {
  kind: AssignmentTargetKind;
  odataType: string;
  group: (GroupRef & { deleted: boolean }) | null;
  filterId: string | null;
  filterName: string | null;
  filterType: string | null;
};

/** A live policy's assignments with group names from the cache, its scope tags, or null when it is unknown or deleted. */
export async function assignmentsOfPolicy(db: DbOrTx, { tenantId, policyId }: { tenantId: string; policyId: string }) {
  const [policy] = await db
    .select({
      id: policies.id,
      name: policies.name,
      family: policies.family,
      platform: policies.platform,
      // Every property a type may keep its scope tags in (a filter's is `roleScopeTags`): only the policy's own type's is read.
      scopeTagLists: sql<Record<string, unknown>>`jsonb_build_object(${sql.join(
        SCOPE_TAG_PROPERTIES.map((p) => sql`${p}::text, ${policies.content}->${p}::text`),
        sql`, `,
      )})`,
    })
    .from(policies)
    .where(and(eq(policies.tenantId, tenantId), eq(policies.id, policyId), eq(policies.deleted, false)));
  if (!policy) return null;
  const result = await db.execute<{
    kind: AssignmentTargetKind;
    odata_type: string;
    group_id: string | null;
    group_name: string | null;
    group_deleted: boolean | null;
    filter_id: string | null;
    filter_type: string | null;
  }>(sql`
    select t.kind, t.odata_type, t.group_id, g.display_name as group_name, g.deleted as group_deleted,
      t.filter_id, t.filter_type
    from policy_assignment_targets t
    left join entra_groups g on g.tenant_id = t.tenant_id and g.id = t.group_id
    where t.tenant_id = ${tenantId}::uuid and t.policy_id = ${policyId}
    order by t.position`);
  const scopeTagIds = scopeTagIdsOf(policy.family, policy.scopeTagLists ?? {});
  const names = await resolveReferenceNames(db, {
    tenantId,
    filterIds: result.rows.flatMap((r) => r.filter_id ?? []),
    scopeTagIds,
  });
  return {
    policy: { id: policy.id, name: policy.name, family: policy.family, platform: policy.platform },
    scopeTags: scopeTagIds.map((id) => ({ id, name: names.scopeTags.get(id) ?? null })),
    targets: result.rows.map(
      (r): PolicyTarget => ({
        kind: r.kind,
        odataType: r.odata_type,
        group: r.group_id ? { id: r.group_id, name: r.group_name, deleted: r.group_deleted ?? false } : null,
        filterId: r.filter_id,
        filterName: r.filter_id ? (names.filters.get(r.filter_id) ?? null) : null,
        filterType: r.filter_type,
      }),
    ),
  };
}

/** A cached group by id (null when unknown), for the explorer's heading. */
export async function cachedGroup(db: DbOrTx, { tenantId, groupId }: { tenantId: string; groupId: string }) {
  const [group] = await db
    .select({ id: entraGroups.id, name: entraGroups.displayName, deleted: entraGroups.deleted })
    .from(entraGroups)
    .where(and(eq(entraGroups.tenantId, tenantId), eq(entraGroups.id, groupId)));
  return group ?? null;
}

/**
 * Cached groups whose name starts with `q` (case-insensitive), in name order: the explorer's group
 * picker. A prefix, like Graph's own `startswith(displayName, …)`, so the index reads only matches.
 */
export async function searchGroupsByPrefix(
  db: DbOrTx,
  { tenantId, q, limit = 25 }: { tenantId: string; q: string; limit?: number },
) {
  const prefix = `${q.toLowerCase().replace(/[\\%_]/g, "\\$&")}%`;
  const name = sql`(lower(${entraGroups.displayName}) collate "C")`;
  return db
    .select({ id: entraGroups.id, displayName: entraGroups.displayName })
    .from(entraGroups)
    .where(and(eq(entraGroups.tenantId, tenantId), eq(entraGroups.deleted, false), sql`${name} like ${prefix}`))
    .orderBy(name, entraGroups.id)
    .limit(limit);
}
