import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { entraGroups, tenantDirectoryState } from "@/db/schema";
import { UUID_PATTERN } from "@/lib/pagination";
import type { GraphMemberDelta } from "./memberships";

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
  /** With `members` selected: members added (or, with `@removed`, removed) since the last round. */
  "members@delta"?: GraphMemberDelta[];
};

export const GROUP_SELECT = "id,displayName,description,mail,groupTypes,securityEnabled,mailEnabled";

/** The cached properties, by the Graph property that fills each (everything but `id`). */
const CACHED = {
  displayName: { column: entraGroups.displayName, fallback: "" },
  description: { column: entraGroups.description, fallback: null },
  mail: { column: entraGroups.mail, fallback: null },
  groupTypes: { column: entraGroups.groupTypes, fallback: [] as string[] },
  securityEnabled: { column: entraGroups.securityEnabled, fallback: false },
  mailEnabled: { column: entraGroups.mailEnabled, fallback: false },
} as const;
type CachedProperty = keyof typeof CACHED;
const CACHED_PROPERTIES = Object.keys(CACHED) as CachedProperty[];
/** The JSON record a page's groups are read from, in Graph's property names. */
const RECORD_COLUMNS =
  'id uuid, "displayName" text, description text, mail text, "groupTypes" jsonb, "securityEnabled" boolean, "mailEnabled" boolean';

/**
 * One page's net change per group. Graph may list a group several times in a round, and lists an
 * updated group by its id with at least the properties that changed, not in full (delta query
 * overview, "Resource representation in the delta query response"): entries are folded in order.
 */
export function foldDeltaPage(page: GraphGroup[]) {
  const net = new Map<string, { removed: boolean; properties: Partial<GraphGroup> }>();
  for (const entry of page) {
    const { id, "@removed": removed, ...properties } = entry;
    const before = net.get(id);
    if (removed) net.set(id, { removed: true, properties: {} });
    else if (!before || before.removed) net.set(id, { removed: false, properties });
    else Object.assign(before.properties, properties);
  }
  return net;
}

/**
 * Applies one delta page to the cache and says what it changed. Only the properties Graph sent
 * are written, so a partial entry never blanks the rest; unchanged groups are not written (so a
 * repeated round reports nothing); removed ones are marked deleted, not dropped.
 */
export async function applyGroupPage(db: DbOrTx, tenantId: string, page: GraphGroup[]) {
  const net = foldDeltaPage(page);
  const removedIds = [...net].filter(([, g]) => g.removed).map(([id]) => id);
  // One upsert per set of properties present (a full round's page is a single one).
  const byShape = new Map<string, { id: string; properties: Partial<GraphGroup> }[]>();
  for (const [id, g] of net) {
    if (g.removed) continue;
    const shape = CACHED_PROPERTIES.filter((p) => p in g.properties).join(",");
    const same = byShape.get(shape) ?? byShape.set(shape, []).get(shape)!;
    same.push({ id, properties: g.properties });
  }
  let added = 0;
  let updated = 0;
  let present = 0;
  for (const [shape, groups] of byShape) {
    present += groups.length;
    const sent = (shape ? shape.split(",") : []) as CachedProperty[];
    const values = groups.map(({ id, properties }) => ({
      id,
      ...Object.fromEntries(CACHED_PROPERTIES.map((p) => [p, properties[p] ?? CACHED[p].fallback])),
    }));
    const column = (p: CachedProperty) => sql.identifier(CACHED[p].column.name);
    const changed = [...sent.map(column), sql.identifier(entraGroups.deleted.name)];
    // The page as one JSON parameter, not nine per group: building and binding a wide multi-row
    // VALUES cost more than the insert itself (docs/benchmarks.md, "Syncs").
    const { rows } = await db.execute<{ inserted: boolean }>(sql`
      insert into ${entraGroups} (tenant_id, id, ${sql.join(CACHED_PROPERTIES.map(column), sql`, `)})
      select ${tenantId}::uuid, g.id, ${sql.join(
        CACHED_PROPERTIES.map((p) => sql.identifier(p)),
        sql`, `,
      )}
      from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as g(${sql.raw(RECORD_COLUMNS)})
      on conflict (tenant_id, id) do update set ${sql.join(
        [...sent.map((p) => sql`${column(p)} = excluded.${column(p)}`), sql`deleted = false`, sql`synced_at = now()`],
        sql`, `,
      )}
      where (${sql.join(
        changed.map((c) => sql`${entraGroups}.${c}`),
        sql`, `,
      )}) is distinct from (${sql.join(
        changed.map((c, i) => (i < sent.length ? sql`excluded.${c}` : sql`false`)),
        sql`, `,
      )})
      returning (xmax = 0) as inserted`);
    const inserted = rows.filter((r) => r.inserted).length;
    added += inserted;
    updated += rows.length - inserted;
  }
  let removed = 0;
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
  return { added, updated, removed, unchanged: present - added - updated };
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

/** Where the next round starts; null (a full round) when no link is stored or it does not track members. */
export async function groupsDeltaLink(db: DbOrTx, tenantId: string): Promise<string | null> {
  const [row] = await db
    .select({ link: tenantDirectoryState.groupsDeltaLink, members: tenantDirectoryState.groupsDeltaTracksMembers })
    .from(tenantDirectoryState)
    .where(eq(tenantDirectoryState.tenantId, tenantId));
  return row?.members ? (row.link ?? null) : null;
}

/** Remembers where the next round starts (null forces a full round). */
export async function saveGroupsDeltaLink(db: DbOrTx, tenantId: string, link: string | null) {
  // Every link saved now comes from a round that selects `members`.
  const values = {
    tenantId,
    groupsDeltaLink: link,
    groupsSyncedAt: link ? new Date() : null,
    groupsDeltaTracksMembers: Boolean(link),
  };
  await db
    .insert(tenantDirectoryState)
    .values(values)
    .onConflictDoUpdate({
      target: tenantDirectoryState.tenantId,
      set: link
        ? { groupsDeltaLink: link, groupsSyncedAt: sql`now()`, groupsDeltaTracksMembers: true }
        : { groupsDeltaLink: null, groupsDeltaTracksMembers: false },
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

/** A hand-edited cursor still pages: an id that is no uuid starts at the name, and NUL (which PostgreSQL refuses in text) is dropped. */
function splitCursor(cursor: string): [string, string] {
  const [name = "", id = ""] = cursor.split(".");
  return [
    Buffer.from(name, "base64url").toString("utf8").replaceAll("\u0000", ""),
    UUID_PATTERN.test(id) ? id : "00000000-0000-0000-0000-000000000000",
  ];
}

/** How big and how fresh the cache is, for the page header and the restore wizard's helper text. */
export async function directorySummary(db: DbOrTx, tenantId: string) {
  // One statement: the state row may not exist yet, the count always does.
  const [row] = await db
    .select({
      groups: sql<number>`(select count(*)::int from ${entraGroups} where ${entraGroups.tenantId} = ${tenantId} and not ${entraGroups.deleted})`,
      syncedAt: tenantDirectoryState.groupsSyncedAt,
      deltaLink: tenantDirectoryState.groupsDeltaLink,
    })
    .from(sql`(select 1) as one`)
    .leftJoin(tenantDirectoryState, eq(tenantDirectoryState.tenantId, tenantId));
  return { groups: row?.groups ?? 0, syncedAt: row?.syncedAt ?? null, incremental: Boolean(row?.deltaLink) };
}
