/**
 * What every group picker shows, whether it searches the directory cache (lib/directory/groups.ts) or Entra ID
 * as the signed-in user (lib/graph/delegated-group-search.ts). Types only: client components import them.
 */
export type GroupOption = { id: string; displayName: string; detail?: string | null };
export type GroupSearchResult = { groups: GroupOption[]; next: string | null } | { error: string };
export type GroupSearch = (q: string, after?: string) => Promise<GroupSearchResult>;
