import "server-only";
import { and, eq, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { groupMemberGroups } from "@/db/schema";
import { UUID_PATTERN } from "@/lib/pagination";

/** A member as `members@delta` lists it: its type and id, `@removed` when it left (delta-query-groups). */
export type GraphMemberDelta = { "@odata.type"?: string; id: string; "@removed"?: unknown };
export type GroupMembershipEntry = { id: string; "members@delta"?: GraphMemberDelta[]; "@removed"?: unknown };

const GROUP_TYPE = "#microsoft.graph.group";

/**
 * One page's net change to group nesting, in order: a group listed several times (a large group's
 * members span entries) contributes every entry; a member added then removed ends removed. Users
 * and devices are skipped: only group-in-group edges are cached.
 */
export function foldMembershipPage(page: GroupMembershipEntry[]) {
  const edges = new Map<string, { groupId: string; memberGroupId: string; present: boolean }>();
  const removedGroups = new Set<string>();
  for (const entry of page) {
    if (entry["@removed"]) {
      if (UUID_PATTERN.test(entry.id)) removedGroups.add(entry.id);
      continue;
    }
    for (const member of entry["members@delta"] ?? []) {
      // Ids go into uuid arrays: anything that is not one is not a group Graph could name.
      if (member["@odata.type"] !== GROUP_TYPE || !UUID_PATTERN.test(String(member.id))) continue;
      if (!UUID_PATTERN.test(entry.id)) continue;
      edges.set(`${entry.id}/${member.id}`, {
        groupId: entry.id,
        memberGroupId: member.id,
        present: !member["@removed"],
      });
    }
  }
  return { edges: [...edges.values()], removedGroups: [...removedGroups] };
}

/**
 * Applies one page's nesting changes and says how many edges it added and removed. Repeating a
 * page changes nothing (adds are upserts, removals of absent edges no-ops), so a retried page or
 * round is safe. A removed group loses its edges both ways.
 */
export async function applyMembershipPage(db: DbOrTx, tenantId: string, page: GroupMembershipEntry[]) {
  const { edges, removedGroups } = foldMembershipPage(page);
  const present = edges.filter((e) => e.present);
  const gone = edges.filter((e) => !e.present);
  let added = 0;
  let removed = 0;
  // 5,000 edges a statement: three parameters each, far below PostgreSQL's 65,535.
  for (let i = 0; i < present.length; i += 5_000) {
    const rows = await db
      .insert(groupMemberGroups)
      .values(present.slice(i, i + 5_000).map(({ groupId, memberGroupId }) => ({ tenantId, groupId, memberGroupId })))
      .onConflictDoNothing()
      .returning({ groupId: groupMemberGroups.groupId });
    added += rows.length;
  }
  if (gone.length) {
    const rows = await db
      .delete(groupMemberGroups)
      .where(
        and(
          eq(groupMemberGroups.tenantId, tenantId),
          sql`(${groupMemberGroups.groupId}, ${groupMemberGroups.memberGroupId}) in (select * from unnest(${`{${gone.map((e) => e.groupId).join(",")}}`}::uuid[], ${`{${gone.map((e) => e.memberGroupId).join(",")}}`}::uuid[]))`,
        ),
      )
      .returning({ groupId: groupMemberGroups.groupId });
    removed += rows.length;
  }
  if (removedGroups.length) {
    const ids = `{${removedGroups.join(",")}}`;
    const rows = await db
      .delete(groupMemberGroups)
      .where(
        and(
          eq(groupMemberGroups.tenantId, tenantId),
          or(
            sql`${groupMemberGroups.groupId} = any(${ids}::uuid[])`,
            sql`${groupMemberGroups.memberGroupId} = any(${ids}::uuid[])`,
          ),
        ),
      )
      .returning({ groupId: groupMemberGroups.groupId });
    removed += rows.length;
  }
  return { added, removed, listed: present.map((e) => `${e.groupId}/${e.memberGroupId}`) };
}

/**
 * After a full round: nesting the round did not list is gone (a full round lists every current
 * member and no removals). `listed` holds "group/member" keys. Returns how many edges were dropped.
 */
export async function dropUnlistedMemberships(db: DbOrTx, tenantId: string, listed: Set<string>): Promise<number> {
  const keys = [...listed];
  const rows = await db
    .delete(groupMemberGroups)
    .where(
      and(
        eq(groupMemberGroups.tenantId, tenantId),
        sql`not ((${groupMemberGroups.groupId}, ${groupMemberGroups.memberGroupId}) in (select * from unnest(${`{${keys.map((k) => k.split("/")[0]).join(",")}}`}::uuid[], ${`{${keys.map((k) => k.split("/")[1]).join(",")}}`}::uuid[])))`,
      ),
    )
    .returning({ groupId: groupMemberGroups.groupId });
  return rows.length;
}
