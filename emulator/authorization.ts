import type { Context, Hono, MiddlewareHandler } from "hono";
import { z } from "zod";
import type { EmulatorEnv, EmulatorState } from "./app";
import { graphError } from "./graph-errors";
import { DEFAULT_APP_ROLES, type PermissionRule, permissionRuleFor } from "./permissions";

/**
 * Authorization of Graph requests: the token must carry one of the permissions the route's row in
 * ./permissions.ts accepts (`roles` of an app-only token, `scp` of a delegated one), and an Intune
 * route needs a tenant with an Intune subscription. Tests switch both per tenant and app.
 */

/**
 * `deviceManagement.subscriptionState` as the v1.0 metadata defines it (enum
 * deviceManagementSubscriptionState), plus "notLicensed": a tenant without any Intune subscription.
 */
export const INTUNE_STATES = [
  "pending",
  "active",
  "warning",
  "disabled",
  "deleted",
  "blocked",
  "lockedOut",
  "notLicensed",
] as const;
export type IntuneState = (typeof INTUNE_STATES)[number];

export type AccessState = {
  /** Application permissions granted per tenant, per app (client id). */
  grants: Map<string, Map<string, readonly string[]>>;
  intune: Map<string, IntuneState>;
};

export function createAccessState(tenantIds: string[]): AccessState {
  return {
    grants: new Map(tenantIds.map((id) => [id, new Map()])),
    intune: new Map(tenantIds.map((id) => [id, "active"])),
  };
}

/** The application permissions an app-only token of this app carries (its admin-consented roles). */
export const grantedRoles = (access: AccessState, tenantId: string, clientId: string) =>
  access.grants.get(tenantId)?.get(clientId) ?? DEFAULT_APP_ROLES;

/**
 * Intune's refusal, as Graph relays it: code `Forbidden` and a message that is itself Intune's JSON
 * ("_version": 3) naming the scopes the application lacks. Shape from real answers quoted in
 * microsoftgraph/microsoft-graph-docs-contrib#87 and mondoohq/cnspec#1708. The `Url` there is
 * Intune's internal front end; the emulator names the request's own URL instead.
 */
function intuneForbidden(c: Context<EmulatorEnv>, rule: PermissionRule, delegated: boolean) {
  const scopes = (delegated ? rule.delegated : rule.application).join(", ");
  const inner = {
    _version: 3,
    Message: `Application is not authorized to perform this operation. Application must have one of the following scopes: ${scopes} - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: ${crypto.randomUUID()} - Url: ${c.req.url}`,
    CustomApiErrorPhrase: "",
    RetryAfter: null,
    ErrorSourceService: "",
    HttpHeaders: "{}",
  };
  return graphError(c, 403, "Forbidden", JSON.stringify(inner, null, 2).replace(/\n/g, "\r\n"));
}

/**
 * Entra ID's refusal for directory objects (JayRHa/Intune-Scripts#14 for GET /groups,
 * microsoftgraph/msgraph-sdk-powershell#2169 for a missing GroupMember.Read.All): it does not name
 * the permission.
 */
const directoryForbidden = (c: Context<EmulatorEnv>) =>
  graphError(c, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");

/**
 * A tenant without Intune: every Intune API page says it "requires an active Intune license for the
 * tenant"; what comes back is 400 `BadRequest` "Request not applicable to target tenant."
 * (microsoftgraph/msgraph-beta-sdk-go#198 for the body; Microsoft365DSC's Intune resources, e.g.
 * MSFT_IntuneDeviceConfigurationPolicyAndroidWorkProfile.psm1, read that message as "The current
 * tenant is not registered for Intune").
 */
const notLicensed = (c: Context<EmulatorEnv>) =>
  graphError(c, 400, "BadRequest", "Request not applicable to target tenant.");

export function authorize(state: EmulatorState): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    const rule = permissionRuleFor(c.req.method, new URL(c.req.url).pathname);
    // A route without a row is one the emulator does not serve (it answers 404); tests/permissions
    // checks that every served Graph route has a row.
    if (!rule) return next();
    const claims = c.get("claims");
    const delegated = claims.idtyp === "user";
    const held = delegated ? (claims.scp ?? "").split(" ") : (claims.roles ?? []);
    const accepted = delegated ? rule.delegated : rule.application;
    if (!accepted.some((permission) => held.includes(permission)))
      return rule.family === "intune" ? intuneForbidden(c, rule, delegated) : directoryForbidden(c);
    // Which of the two Graph checks first is not documented; the permission is checked first here.
    if (rule.family === "intune" && state.access.intune.get(c.get("tenant").tenantId) === "notLicensed")
      return notLicensed(c);
    return next();
  };
}

const rolesBody = z.object({ roles: z.array(z.string().min(1)) }).strict();
const intuneBody = z.object({ subscriptionState: z.enum(INTUNE_STATES) }).strict();

/** Test surface: an app's granted application permissions, and a tenant's Intune subscription. */
export function registerAccessAdmin(app: Hono<EmulatorEnv>, state: EmulatorState) {
  const grantsOf = (c: Context<EmulatorEnv>) => state.access.grants.get(c.req.param("tenantId")!.toLowerCase());
  const clientId = (c: Context<EmulatorEnv>) => c.req.param("clientId")!.toLowerCase();

  app.get("/_emulator/tenants/:tenantId/apps/:clientId/permissions", (c) => {
    const grants = grantsOf(c);
    return grants
      ? c.json({ roles: grants.get(clientId(c)) ?? DEFAULT_APP_ROLES })
      : c.json({ error: "unknown tenant" }, 404);
  });
  // Tokens issued from now on carry these roles (a token already issued keeps its own, as in Entra ID).
  app.put("/_emulator/tenants/:tenantId/apps/:clientId/permissions", async (c) => {
    const grants = grantsOf(c);
    if (!grants) return c.json({ error: "unknown tenant" }, 404);
    const body = rolesBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return c.json({ error: "expected { roles: string[] }" }, 400);
    grants.set(clientId(c), body.data.roles);
    return c.json(body.data);
  });
  app.delete("/_emulator/tenants/:tenantId/apps/:clientId/permissions", (c) => {
    const grants = grantsOf(c);
    if (!grants) return c.json({ error: "unknown tenant" }, 404);
    grants.delete(clientId(c));
    return c.body(null, 204);
  });
  app.put("/_emulator/tenants/:tenantId/intune", async (c) => {
    const tenantId = c.req.param("tenantId").toLowerCase();
    if (!state.access.intune.has(tenantId)) return c.json({ error: "unknown tenant" }, 404);
    const body = intuneBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return c.json({ error: `expected { subscriptionState: ${INTUNE_STATES.join(" | ")} }` }, 400);
    state.access.intune.set(tenantId, body.data.subscriptionState);
    return c.json(body.data);
  });
}
