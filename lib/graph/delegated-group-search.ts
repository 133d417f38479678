import { GraphError } from "@microsoft/microsoft-graph-client";
import type { GroupSearchResult } from "@/lib/directory/group-search";
import { GROUP_SELECT, type GraphGroup } from "@/lib/directory/groups";
import { createUserGraphClient, type GraphConfig } from "./client";

type GroupPage = { value: { id: string; displayName: string; mail?: string | null }[]; "@odata.nextLink"?: string };

/**
 * Searches Entra groups by display name as the signed-in user (`$search` needs
 * `ConsistencyLevel: eventual`). `after` is the previous page's nextLink: only a link back into
 * this Graph's /groups is followed, so the user's token never goes anywhere else.
 */
export async function searchGroupsAsUser(
  config: GraphConfig,
  { accessToken, q, after }: { accessToken: string; q: string; after?: string },
): Promise<GroupSearchResult> {
  const term = q.replace(/["\\]/g, " ").trim();
  if (!term) return { groups: [], next: null };
  const client = createUserGraphClient(config, accessToken);
  let request;
  if (after) {
    if (!after.startsWith(`${config.graphUrl}/v1.0/groups?`))
      return { error: "That page of results is not valid. Search again." };
    request = client.api(after);
  } else {
    request = client
      .api("/groups")
      .version("v1.0")
      .search(`"displayName:${term}"`)
      .select("id,displayName,mail")
      .top(20)
      .count(true);
  }
  try {
    const page = (await request.header("ConsistencyLevel", "eventual").get()) as GroupPage;
    return {
      groups: page.value.map((g) => ({ id: g.id, displayName: g.displayName, detail: g.mail ?? null })),
      next: page["@odata.nextLink"] ?? null,
    };
  } catch (err) {
    if (err instanceof GraphError && err.statusCode > 0)
      return { error: `Microsoft Graph refused the search (${err.statusCode}): ${err.message}` };
    return { error: "Microsoft Graph could not be reached. Try again." };
  }
}

/** One group by id as the signed-in user sees it, with the properties the directory cache keeps; null when there is none. */
export async function findGroupAsUser(
  config: GraphConfig,
  { accessToken, id }: { accessToken: string; id: string },
): Promise<GraphGroup | null> {
  try {
    return (await createUserGraphClient(config, accessToken)
      .api(`/groups/${encodeURIComponent(id)}`)
      .version("v1.0")
      .select(GROUP_SELECT)
      .get()) as GraphGroup;
  } catch (err) {
    if (err instanceof GraphError && (err.statusCode === 404 || err.statusCode === 400)) return null;
    throw err;
  }
}
