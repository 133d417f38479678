/** What every group picker shows, whether it searches the directory cache or Graph. */
export type GroupOption = { id: string; displayName: string; detail?: string | null };
export type GroupSearchResult = { groups: GroupOption[]; next: string | null } | { error: string };
export type GroupSearch = (q: string, after?: string) => Promise<GroupSearchResult>;
