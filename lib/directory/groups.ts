import "server-only";
import { and, asc, count, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { entraGroups, tenantDirectoryState } from "@/db/schema";

/** A group as Graph's `/groups/delta` returns it (with `$select` of the cached properties). */
export type GraphGroup = {
  id: string;
  displayName?: string | null;
  description?: string | null;
  mail?: string | null;
  groupTypes?: string[] | null;
  securityEnabled?: boolean | null;
  mailEnabled?: boolean | null;
  "@removed"?: unknown;
};

export const GROUP_SELECT = "id,displayName,description,mail,groupTypes,securityEnabled,mailEnabled";

/**
 * Applies one delta page to the cache and says what it changed. Unchanged groups are not written
 * (so a repeated round reports nothing); removed ones are marked deleted, not dropped.
 */
export async function applyGroupPage(db: DbOrTx, tenantId: string, page: GraphGroup[]) {
  const present = page.filter((g) => !g["@removed"]);
  const removedIds = page.filter((g) => g["@removed"]).map((g) => g.id);
  let added = 0;
  let updated = 0;
  let removed = 0;
  if (present.length) {
    const rows = await db
      .insert(entraGroups)
      .values(
        present.map((g) => ({
          tenantId,
          id: g.id,
          displayName: g.displayName ?? "",
          description: g.description ?? null,
          mail: g.mail ?? null,
          groupTypes: g.groupTypes ?? [],
          securityEnabled: g.securityEnabled ?? false,
          mailEnabled: g.mailEnabled ?? false,
        })),
      )
      .onConflictDoUpdate({
        target: [entraGroups.tenantId, entraGroups.id],
        set: {
          displayName: sql`excluded.display_name`,
          description: sql`excluded.description`,
          mail: sql`excluded.mail`,
          groupTypes: sql`excluded.group_types`,
          securityEnabled: sql`excluded.security_enabled`,
          mailEnabled: sql`excluded.mail_enabled`,
          deleted: false,
          syncedAt: sql`now()`,
        },
        setWhere: sql`(${entraGroups.displayName}, ${entraGroups.description}, ${entraGroups.mail}, ${entraGroups.groupTypes},
          ${entraGroups.securityEnabled}, ${entraGroups.mailEnabled}, ${entraGroups.deleted})
          is distinct from (excluded.display_name, excluded.description, excluded.mail, excluded.group_types,
          excluded.security_enabled, excluded.mail_enabled, false)`,
      })
      .returning({ inserted: sql<boolean>`(xmax = 0)` });
    added = rows.filter((r) => r.inserted).length;
    updated = rows.length - added;
  }
  if (removedIds.length) {
    const rows = await db
      .update(entraGroups)
      .set({ deleted: true, syncedAt: sql`now()` })
      .where(
        and(eq(entraGroups.tenantId, tenantId), inArray(entraGroups.id, removedIds), eq(entraGroups.deleted, false)),
      )
      .returning({ id: entraGroups.id });
    removed = rows.length;
  }
  return { added, updated, removed, unchanged: present.length - added - updated };
}

/**
 * After a full round: groups the round did not list are gone from Entra ID (a full round has no
 * `@removed` entries to say so). Returns how many were marked deleted.
 */
export async function markUnlistedGroupsDeleted(db: DbOrTx, tenantId: string, listedIds: Set<string>): Promise<number> {
  const rows = await db
    .update(entraGroups)
    .set({ deleted: true, syncedAt: sql`now()` })
    .where(
      and(
        eq(entraGroups.tenantId, tenantId),
        eq(entraGroups.deleted, false),
        sql`not (${entraGroups.id} = any(${`{${[...listedIds].join(",")}}`}::uuid[]))`,
      ),
    )
    .returning({ id: entraGroups.id });
  return rows.length;
}

export async function groupsDeltaLink(db: DbOrTx, tenantId: string): Promise<string | null> {
  const [row] = await db
    .select({ link: tenantDirectoryState.groupsDeltaLink })
    .from(tenantDirectoryState)
    .where(eq(tenantDirectoryState.tenantId, tenantId));
  return row?.link ?? null;
}

/** Remembers where the next round starts (null forces a full round). */
export async function saveGroupsDeltaLink(db: DbOrTx, tenantId: string, link: string | null) {
  const values = { tenantId, groupsDeltaLink: link, groupsSyncedAt: link ? new Date() : null };
  await db
    .insert(tenantDirectoryState)
    .values(values)
    .onConflictDoUpdate({
      target: tenantDirectoryState.tenantId,
      set: link ? { groupsDeltaLink: link, groupsSyncedAt: sql`now()` } : { groupsDeltaLink: null },
    });
}

/** Cached groups (not deleted), alphabetically, searchable by the start of a word of the name. */
export async function listCachedGroups(
  db: DbOrTx,
  { tenantId, q, after, pageSize = 50 }: { tenantId: string; q?: string; after?: string; pageSize?: number },
) {
  const where = [eq(entraGroups.tenantId, tenantId), eq(entraGroups.deleted, false)];
  if (q) where.push(sql`lower(${entraGroups.displayName}) like ${`%${q.toLowerCase().replace(/[\\%_]/g, "\\$&")}%`}`);
  if (after) {
    const [name, id] = splitCursor(after);
    where.push(sql`(lower(${entraGroups.displayName}), ${entraGroups.id}) > (${name}, ${id}::uuid)`);
  }
  const rows = await db
    .select({
      id: entraGroups.id,
      displayName: entraGroups.displayName,
      description: entraGroups.description,
      mail: entraGroups.mail,
      groupTypes: entraGroups.groupTypes,
      securityEnabled: entraGroups.securityEnabled,
      mailEnabled: entraGroups.mailEnabled,
    })
    .from(entraGroups)
    .where(and(...where))
    .orderBy(sql`lower(${entraGroups.displayName})`, asc(entraGroups.id))
    .limit(pageSize + 1);
  const items = rows.slice(0, pageSize);
  const last = items.at(-1);
  return {
    items,
    next:
      rows.length > pageSize && last
        ? `${Buffer.from(last.displayName.toLowerCase()).toString("base64url")}.${last.id}`
        : null,
  };
}

function splitCursor(cursor: string): [string, string] {
  const [name = "", id = "00000000-0000-0000-0000-000000000000"] = cursor.split(".");
  return [
    Buffer.from(name, "base64url").toString("utf8"),
    /^[0-9a-f-]{36}$/.test(id) ? id : "00000000-0000-0000-0000-000000000000",
  ];
}

/** How big and how fresh the cache is, for the page header and the restore wizard's helper text. */
export async function directorySummary(db: DbOrTx, tenantId: string) {
  const [groups] = await db
    .select({ total: count() })
    .from(entraGroups)
    .where(and(eq(entraGroups.tenantId, tenantId), eq(entraGroups.deleted, false)));
  const [state] = await db.select().from(tenantDirectoryState).where(eq(tenantDirectoryState.tenantId, tenantId));
  return {
    groups: groups?.total ?? 0,
    syncedAt: state?.groupsSyncedAt ?? null,
    incremental: Boolean(state?.groupsDeltaLink),
  };
}
