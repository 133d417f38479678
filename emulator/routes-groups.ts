import type { Context, Hono } from "hono";
import { type EmulatorEnv, type EmulatorState, emulatorNow } from "./app";
import { graphError } from "./graph-errors";
import { type EmulatedGroup, type GroupDirectory, type GroupMember, type MemberChange, newGroup } from "./groups";

/**
 * Graph's group endpoints as the console uses them: `/v1.0/groups` (paging 100 by default, 999 at
 * most, $select, `$filter=startswith(displayName,'…')`, `$search` that needs ConsistencyLevel:
 * eventual, `$count` on the first page only) and `/v1.0/groups/delta` (pages, then a deltaLink;
 * later calls return what changed, removals as `@removed`). Skip and delta tokens are opaque.
 */
const DELTA_PAGE = 100;
/**
 * Members one `members@delta` entry carries. Graph documents no number, only that a large group's
 * members may not fit one response, so the group is listed again (same properties, the next
 * members) on later pages and the client merges (delta-query-groups, "Paging through members in a
 * large group"); the emulator lists a group once per this many members.
 */
export const MEMBERS_PER_ENTRY = 100;

type ListState = { o: number; top: number; select?: string; startsWith?: string; search?: string };
type DeltaState = { o: number; select?: string; since?: number; upTo: number };
/** What a deltaLink's token holds: the change sequence it saw, its $select, and when it was issued. */
type DeltaToken = { seq: number; select?: string; at?: number };

/**
 * A directory deltaLink lives seven days; past that Graph answers 400 `syncStateNotFound` and the
 * client must start a full round (Microsoft Graph dev blog, "Duration of change tracking tokens for
 * identity and education resources", 2020-07-03).
 */
export const DELTA_LINK_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

const encode = (state: object) => Buffer.from(JSON.stringify(state)).toString("base64url");
function decode<T>(token: string): T | undefined {
  try {
    return JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as T;
  } catch {
    return undefined;
  }
}

function project(group: EmulatedGroup, select?: string) {
  if (!select) return group;
  const fields = select
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean);
  return Object.fromEntries(fields.filter((f) => f in group).map((f) => [f, group[f as keyof EmulatedGroup]]));
}

/** A member as `members@delta` lists it: `@odata.type` and `id` only, `@removed` when it left (delta-query-groups). */
function memberEntry(member: GroupMember | MemberChange) {
  return {
    "@odata.type": `#microsoft.graph.${member.kind}`,
    id: member.id,
    ...("removed" in member && member.removed ? { "@removed": { reason: "deleted" } } : {}),
  };
}

/** Membership is tracked when `$select` names `members`, or when there is no `$select` (group-delta). */
const tracksMembers = (select?: string) =>
  !select ||
  select
    .split(",")
    .map((f) => f.trim())
    .includes("members");

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * The initial round's listing: every group, and with membership tracked its current members in
 * `members@delta` (left out for a group without members), a large group repeated once per
 * MEMBERS_PER_ENTRY members. Kept per listing and `$select`, so paging 50,000 groups does not
 * rebuild it per page.
 */
const initialRounds = new WeakMap<EmulatedGroup[], Map<string, Record<string, unknown>[]>>();
function initialRound(directory: GroupDirectory, select?: string): Record<string, unknown>[] {
  const groups = directory.list();
  const bySelect = initialRounds.get(groups) ?? new Map<string, Record<string, unknown>[]>();
  initialRounds.set(groups, bySelect);
  const cached = bySelect.get(select ?? "");
  if (cached) return cached;
  const entries = groups.flatMap((group) => {
    const projected = project(group, select) as Record<string, unknown>;
    const members = tracksMembers(select) ? directory.members(group.id) : [];
    if (members.length === 0) return [projected];
    return chunks(members, MEMBERS_PER_ENTRY).map((chunk) => ({
      ...projected,
      "members@delta": chunk.map(memberEntry),
    }));
  });
  bySelect.set(select ?? "", entries);
  return entries;
}

/**
 * A tracked round's entries (delta query overview, "Resource representation in the delta query
 * response"): a new group in its standard representation, an updated one by its id with only the
 * properties that changed, a removed one as an `@removed` stub. With `$select`, only the selected
 * properties are tracked: an edit of anything else does not appear at all.
 */
function changedSince(directory: GroupDirectory, since: number, select?: string): Record<string, unknown>[] {
  const selected = select ? new Set(select.split(",").map((f) => f.trim())) : undefined;
  return directory.changesSince(since).flatMap((entry): Record<string, unknown>[] => {
    if (entry.kind === "added") return [project(entry.group, select)];
    if (entry.kind === "removed") return [{ id: entry.id, "@removed": { reason: entry.reason } }];
    // A membership change lists the group with the members added and removed since the token.
    if (entry.kind === "members")
      return tracksMembers(select)
        ? chunks(entry.changes, MEMBERS_PER_ENTRY).map((chunk) => ({
            id: entry.id,
            "members@delta": chunk.map(memberEntry),
          }))
        : [];
    const changed = Object.entries(entry.changed).filter(([key]) => !selected || selected.has(key));
    return changed.length ? [{ id: entry.id, ...Object.fromEntries(changed) }] : [];
  });
}

function directoryOf(c: Context<EmulatorEnv>, state: EmulatorState) {
  return state.groups.get(c.get("tenant").tenantId)!;
}

export function registerGroupRoutes(app: Hono<EmulatorEnv>, state: EmulatorState) {
  app.get("/v1.0/groups", (c) => {
    const origin = new URL(c.req.url).origin;
    const skip = c.req.query("$skiptoken");
    let list: ListState;
    if (skip) {
      const decoded = decode<ListState>(skip);
      if (!decoded)
        return graphError(
          c,
          400,
          "Directory_ExpiredPageToken",
          "The specified page token value has expired and can no longer be included in your request.",
        );
      list = decoded;
    } else {
      const top = Number(c.req.query("$top") ?? 100);
      if (!Number.isInteger(top) || top < 1 || top > 999) {
        return graphError(
          c,
          400,
          "Request_UnsupportedQuery",
          `Invalid page size specified: '${c.req.query("$top")}'. Must be between 1 and 999 inclusive.`,
        );
      }
      const search = c.req.query("$search");
      const wantsCount = c.req.query("$count") === "true";
      if ((search || wantsCount) && c.req.header("ConsistencyLevel")?.toLowerCase() !== "eventual") {
        return graphError(
          c,
          400,
          "Request_UnsupportedQuery",
          `Request with $${search ? "search" : "count"} query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'`,
        );
      }
      const filter = c.req.query("$filter");
      let startsWith: string | undefined;
      if (filter) {
        const match = /^startswith\(displayName,\s*'((?:[^']|'')*)'\)$/i.exec(filter.trim());
        if (!match) return graphError(c, 400, "Request_UnsupportedQuery", "Unsupported Query.");
        startsWith = match[1]!.replace(/''/g, "'");
      }
      let searchTerm: string | undefined;
      if (search) {
        const match = /^"displayName:([^"]*)"$/i.exec(search.trim());
        if (!match) return graphError(c, 400, "Request_UnsupportedQuery", "Invalid search clause.");
        searchTerm = match[1];
      }
      list = { o: 0, top, select: c.req.query("$select"), startsWith, search: searchTerm };
    }
    const matches = directoryOf(c, state)
      .list()
      .filter((g) => !list.startsWith || g.displayName.toLowerCase().startsWith(list.startsWith.toLowerCase()))
      .filter((g) => !list.search || g.displayName.toLowerCase().includes(list.search.toLowerCase()));
    const page = matches.slice(list.o, list.o + list.top);
    const body: Record<string, unknown> = { "@odata.context": `${origin}/v1.0/$metadata#groups` };
    if (!skip && c.req.query("$count") === "true") body["@odata.count"] = matches.length;
    body.value = page.map((g) => project(g, list.select));
    if (list.o + list.top < matches.length) {
      body["@odata.nextLink"] = `${origin}/v1.0/groups?$skiptoken=${encode({ ...list, o: list.o + list.top })}`;
    }
    return c.json(body);
  });

  app.get("/v1.0/groups/delta", (c) => {
    const origin = new URL(c.req.url).origin;
    const directory = directoryOf(c, state);
    const skip = c.req.query("$skiptoken");
    const deltaToken = c.req.query("$deltatoken");
    let delta: DeltaState | undefined;
    if (skip) delta = decode<DeltaState>(skip);
    else if (deltaToken) {
      const since = decode<DeltaToken>(deltaToken);
      if (since && emulatorNow(state) - (since.at ?? 0) > DELTA_LINK_LIFETIME_MS) {
        return graphError(
          c,
          400,
          "syncStateNotFound",
          "The sync state generation is not found. The delta token is expired and data must be synchronized again.",
        );
      }
      if (since && since.seq <= directory.seq)
        delta = { o: 0, select: since.select, since: since.seq, upTo: directory.seq };
    } else delta = { o: 0, select: c.req.query("$select"), upTo: directory.seq };
    if (!delta) {
      // A synchronization reset (delta query overview, "Synchronization reset"): 410 Gone with a
      // Location to start over from.
      c.header("Location", `${origin}/v1.0/groups/delta`);
      return graphError(
        c,
        410,
        "SyncStateNotFound",
        "The sync state generation is not found; start a new full synchronization.",
      );
    }

    // The initial round lists every group; a round from a token lists what changed since it.
    // Only the page being answered is projected; the round's listing is computed, not copied.
    const items: Record<string, unknown>[] =
      delta.since === undefined
        ? initialRound(directory, delta.select)
        : changedSince(directory, delta.since, delta.select);
    const page = items.slice(delta.o, delta.o + DELTA_PAGE);
    const body: Record<string, unknown> = { "@odata.context": `${origin}/v1.0/$metadata#groups`, value: page };
    if (delta.o + DELTA_PAGE < items.length) {
      body["@odata.nextLink"] =
        `${origin}/v1.0/groups/delta?$skiptoken=${encode({ ...delta, o: delta.o + DELTA_PAGE })}`;
    } else {
      body["@odata.deltaLink"] =
        `${origin}/v1.0/groups/delta?$deltatoken=${encode({ seq: delta.upTo, select: delta.select, at: emulatorNow(state) } satisfies DeltaToken)}`;
    }
    return c.json(body);
  });

  app.get("/v1.0/groups/:id", (c) => {
    const group = directoryOf(c, state).get(c.req.param("id"));
    if (!group)
      return graphError(
        c,
        404,
        "Request_ResourceNotFound",
        `Resource '${c.req.param("id")}' does not exist or one of its queried reference-property objects are not present.`,
      );
    return c.json({
      "@odata.context": `${new URL(c.req.url).origin}/v1.0/$metadata#groups/$entity`,
      ...project(group, c.req.query("$select")),
    });
  });

  // ── Test surface: change a tenant's directory ──────────────────────────────────────────────
  const adminDirectory = (c: Context<EmulatorEnv>) => state.groups.get(c.req.param("tenantId")!.toLowerCase());
  app.post("/_emulator/tenants/:tenantId/groups", async (c) => {
    const directory = adminDirectory(c);
    if (!directory) return c.json({ error: "unknown tenant" }, 404);
    const body = (await c.req.json()) as { displayName: string } & Partial<EmulatedGroup>;
    return c.json(directory.add({ ...newGroup(body.displayName, c.req.param("tenantId")), ...body }), 201);
  });
  app.patch("/_emulator/tenants/:tenantId/groups/:id", async (c) => {
    const updated = adminDirectory(c)?.update(c.req.param("id"), (await c.req.json()) as Partial<EmulatedGroup>);
    return updated ? c.json(updated) : c.json({ error: "not found" }, 404);
  });
  app.delete("/_emulator/tenants/:tenantId/groups/:id", (c) =>
    adminDirectory(c)?.remove(c.req.param("id")) ? c.body(null, 204) : c.json({ error: "not found" }, 404),
  );
  // Adds and removes direct members: { add?: [{ kind, id }], remove?: [id] }.
  app.post("/_emulator/tenants/:tenantId/groups/:id/members", async (c) => {
    const body = (await c.req.json()) as { add?: GroupMember[]; remove?: string[] };
    return adminDirectory(c)?.changeMembers(c.req.param("id"), body)
      ? c.body(null, 204)
      : c.json({ error: "not found" }, 404);
  });
  app.get("/_emulator/tenants/:tenantId/groups/:id/members", (c) => {
    const directory = adminDirectory(c);
    return directory?.get(c.req.param("id"))
      ? c.json(directory.members(c.req.param("id")))
      : c.json({ error: "not found" }, 404);
  });
  app.get("/_emulator/tenants/:tenantId/groups", (c) => {
    const directory = adminDirectory(c);
    return directory ? c.json(directory.list()) : c.json({ error: "unknown tenant" }, 404);
  });
}
