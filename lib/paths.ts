/**
 * Every console URL, one function per route. Pages, components, actions and the registry build
 * links only through these, so a route moves in one place.
 */
export type Query = Record<string, string | number | readonly string[] | null | undefined>;

/** `path?query`, leaving out empty values; arrays become repeated parameters. */
export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one !== undefined && one !== null && one !== "") params.append(name, String(one));
    }
  }
  return params.size ? `${path}?${params}` : path;
}

/** On a run's page: the visitor's start found this run already active (the page says so). */
export const JOINED_PARAM = "joined";

const tenant = (tenantId: string) => `/t/${encodeURIComponent(tenantId)}`;

export const paths = {
  home: () => "/",
  signIn: () => "/sign-in",
  tenants: () => "/tenants",
  newTenant: () => "/tenants/new",
  operations: (query?: Query) => withQuery("/operations", query),
  notifications: (query?: Query) => withQuery("/notifications", query),
  audit: (query?: Query) => withQuery("/audit", query),
  auditExport: () => "/audit/export",
  account: () => "/account",

  tenant,
  tenantRuns: (tenantId: string, query?: Query) => withQuery(`${tenant(tenantId)}/operations`, query),
  run: (tenantId: string, runId: string, query?: Query) =>
    withQuery(`${tenant(tenantId)}/operations/${encodeURIComponent(runId)}`, query),
  policies: (tenantId: string, query?: Query) => withQuery(`${tenant(tenantId)}/policies`, query),
  policy: (tenantId: string, policyId: string, query?: Query) =>
    withQuery(`${tenant(tenantId)}/policies/${encodeURIComponent(policyId)}`, query),
  backups: (tenantId: string) => `${tenant(tenantId)}/backups`,
  schedules: (tenantId: string) => `${tenant(tenantId)}/schedules`,
  backup: (tenantId: string, backupSetId: string) => `${tenant(tenantId)}/backups/${encodeURIComponent(backupSetId)}`,
  backupDownload: (tenantId: string, backupSetId: string) =>
    `${tenant(tenantId)}/backups/${encodeURIComponent(backupSetId)}/download`,
  restores: (tenantId: string) => `${tenant(tenantId)}/restores`,
  drift: (tenantId: string) => `${tenant(tenantId)}/drift`,
  newRestore: (tenantId: string, query?: Query) => withQuery(`${tenant(tenantId)}/restores/new`, query),
  restore: (tenantId: string, runId: string) => `${tenant(tenantId)}/restores/${encodeURIComponent(runId)}`,
  groups: (tenantId: string, query?: Query) => withQuery(`${tenant(tenantId)}/groups`, query),
  explorer: (tenantId: string, query?: Query) => withQuery(`${tenant(tenantId)}/explorer`, query),
  explorerExport: (tenantId: string, query?: Query) => withQuery(`${tenant(tenantId)}/explorer/export`, query),
  tenantAudit: (tenantId: string, query?: Query) => withQuery(`${tenant(tenantId)}/audit`, query),
  tenantAuditExport: (tenantId: string) => `${tenant(tenantId)}/audit/export`,
  intuneRoles: (tenantId: string) => `${tenant(tenantId)}#intune-roles`,
  members: (tenantId: string) => `${tenant(tenantId)}/members`,
  tenantSettings: (tenantId: string) => `${tenant(tenantId)}/settings`,
  alerts: (tenantId: string) => `${tenant(tenantId)}/alerts`,
  alertChannel: (tenantId: string, channelId: string) => `${tenant(tenantId)}/alerts/${encodeURIComponent(channelId)}`,
  invite: (token: string) => `/invite/${encodeURIComponent(token)}`,
};
