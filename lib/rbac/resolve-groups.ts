import "server-only";
import type { DbOrTx } from "@/db/client";
import { applyGroupPage, type GraphGroup } from "@/lib/directory/groups";
import { InvalidInputsError } from "@/lib/errors";
import { UUID_PATTERN } from "@/lib/pagination";
import { cachedGroupsById } from "@/lib/restores/plan";

export type ChosenGroup = { id: string; name: string };
type Chosen = { members: ChosenGroup[]; scopes: ChosenGroup[] };

const distinctIds = ({ members, scopes }: Chosen) =>
  [...new Set([...members, ...scopes].map((g) => g.id.toLowerCase()))].filter((id) => UUID_PATTERN.test(id));

/**
 * The member and scope groups of a role assignment as the server knows them: every id must be a
 * group of this tenant in its directory cache, and every name comes from there. What a browser
 * says a group is called is ignored, so a crafted form can neither assign an arbitrary id nor put
 * a made-up name into the run and its history.
 */
export async function nameAssignmentGroups<Inputs extends Chosen>(
  db: DbOrTx,
  tenantId: string,
  chosen: Inputs,
): Promise<Inputs> {
  const names = await cachedGroupsById(db, tenantId, distinctIds(chosen));
  const unknown = (groups: ChosenGroup[]) =>
    groups.filter((g) => !names.has(g.id.toLowerCase())).map((g) => `No group ${g.id} in this tenant.`);
  const errors = Object.entries({ members: unknown(chosen.members), scopes: unknown(chosen.scopes) }).filter(
    ([, messages]) => messages.length,
  );
  if (errors.length) throw new InvalidInputsError(Object.fromEntries(errors));
  const named = (groups: ChosenGroup[]) => groups.map((g) => ({ id: g.id, name: names.get(g.id.toLowerCase())! }));
  return { ...chosen, members: named(chosen.members), scopes: named(chosen.scopes) };
}

/**
 * Groups the wizard found live (with the user's own token) that the cache does not have yet are
 * looked up one by one, and those that exist join the cache — so the start's check, which trusts
 * only the cache, finds them. An id Entra ID does not know stays unknown.
 */
export async function cacheGroupsFoundLive(
  db: DbOrTx,
  { tenantId, chosen, find }: { tenantId: string; chosen: Chosen; find: (id: string) => Promise<GraphGroup | null> },
): Promise<void> {
  const ids = distinctIds(chosen);
  const cached = await cachedGroupsById(db, tenantId, ids);
  const found: GraphGroup[] = [];
  for (const id of ids.filter((id) => !cached.has(id))) {
    const group = await find(id);
    if (group?.id?.toLowerCase() === id) found.push(group);
  }
  if (found.length) await applyGroupPage(db, tenantId, found);
}
