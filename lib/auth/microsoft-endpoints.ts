import { GROUP_SEARCH_SCOPE } from "@/lib/operations/permissions";

/**
 * Where "Sign in with Microsoft" goes, built from the configured hosts so that a national cloud
 * works by setting GRAPH_URL and LOGIN_URL (learn.microsoft.com/graph/deployments lists each
 * cloud's Microsoft Entra ID and Microsoft Graph root endpoints).
 */

/**
 * The scopes asked for: OpenID Connect, a refresh token, and the delegated Graph permission of the
 * RBAC wizard's group search, named on the configured Graph host: a scope that names the Graph
 * domain must use the cloud's own (https://graph.microsoft.us/…), per
 * learn.microsoft.com/graph/sdks/national-clouds ("Permission scopes").
 */
export function delegatedScopes(graphUrl: string): string {
  return `openid profile email offline_access ${graphUrl}/${GROUP_SEARCH_SCOPE}`;
}

/**
 * The OpenID discovery document: the one configured, else the login host's for the tenant (next-auth's
 * Azure AD provider would otherwise use login.microsoftonline.com whatever LOGIN_URL says).
 */
export function openIdConfigurationUrl(e: {
  LOGIN_URL: string;
  MICROSOFT_TENANT_ID: string;
  MICROSOFT_WELL_KNOWN?: string;
}) {
  return e.MICROSOFT_WELL_KNOWN ?? `${e.LOGIN_URL}/${e.MICROSOFT_TENANT_ID}/v2.0/.well-known/openid-configuration`;
}
