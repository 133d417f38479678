import type { HttpBindings } from "@hono/node-server";
import { type Context, Hono } from "hono";
import { type AccessState, authorize, registerAccessAdmin } from "./authorization";
import type { EmulatedTenant } from "./directory";
import { type EventualConsistency, registerEventualConsistency } from "./eventual-consistency";
import { FaultBook, type FaultRule, retryAfterHeader } from "./faults";
import { graphError } from "./graph-errors";
import type { GroupDirectory } from "./groups";
import type { EmulatedPolicy } from "./intune";
import { type EmulatedMobileApp, registerMobileAppRoutes } from "./intune-device-app-config";
import { registerIntuneUpdates } from "./intune-update";
import type { RoleAssignment, RoleDefinition } from "./rbac";
import type { TenantReferences } from "./references";
import { registerDeviceManagementRoutes } from "./routes-device-management";
import { registerGroupRoutes } from "./routes-groups";
import { registerIdentityRoutes, type SignInState } from "./routes-identity";
import { registerIntuneRoutes } from "./routes-intune";
import { registerRbacRoutes } from "./routes-rbac";
import { registerReferenceRoutes } from "./routes-references";
import type { AccessClaims, TokenIssuer } from "./tokens";
import { registerWriteThrottle, type WriteThrottle } from "./write-throttle";

/** The emulator's idea of now: the real clock plus whatever a test advanced it by. */
export const emulatorNow = (state: Pick<EmulatorState, "clockOffsetMs">) => Date.now() + state.clockOffsetMs;

export type EmulatorState = {
  tenants: EmulatedTenant[];
  issuer: TokenIssuer;
  /** The Graph resource URI tokens are issued for (`aud`): the emulator's own origin unless configured. */
  audience: string;
  /** Application permissions granted per app, and each tenant's Intune subscription. */
  access: AccessState;
  faults: FaultBook;
  /** Requests per route key ("GET /v1.0/organization"); admin routes are not counted. */
  counts: Map<string, number>;
  /** Graph requests per route by the kind of token that made them: app-only or a signed-in user's. */
  callers: Map<string, { app: number; user: number }>;
  /** Each tenant's groups, by tenant id. */
  groups: Map<string, GroupDirectory>;
  /** Each tenant's Intune policies by policy id, in listing order. */
  policies: Map<string, Map<string, EmulatedPolicy>>;
  /** Authorization codes and refresh tokens handed out to signed-in users. */
  signIns: SignInState;
  /** Lifetime of delegated access tokens (short in tests, to exercise refresh). */
  userTokenSeconds: number;
  /** How far the emulator's clock runs ahead of the real one (tests age state tokens with it). */
  clockOffsetMs: number;
  /** Each tenant's assignment filters and role scope tags (emulator/references.ts). */
  references: Map<string, TenantReferences>;
  /** Each tenant's Intune role definitions and the role assignments created so far. */
  rbac: Map<string, { definitions: RoleDefinition[]; assignments: RoleAssignment[] }>;
  /** Intune's per-app-per-tenant write limits (emulator/write-throttle.ts). */
  writeThrottle: WriteThrottle;
  /** Read-after-create and group replication delays (emulator/eventual-consistency.ts). */
  consistency: EventualConsistency;
  /** Tenants whose policies' Graph-set fields change on every read (emulator/intune-update.ts). */
  volatileReads: Set<string>;
  /** Each tenant's app catalogue (`/deviceAppManagement/mobileApps`), what app configurations target. */
  mobileApps: Map<string, EmulatedMobileApp[]>;
};

type Vars = { requestId: string; tenant: EmulatedTenant; appId: string; claims: AccessClaims };
export type EmulatorEnv = { Variables: Vars };

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** "GET /v1.0/groups/3f…" → "GET /v1.0/groups/{id}": one counter per route, not per object. */
export function routeKey(method: string, pathname: string): string {
  return `${method} ${pathname.replace(GUID, "{id}")}`;
}

export function findTenant(state: EmulatorState, idOrDomain: string) {
  const key = idOrDomain.toLowerCase();
  return state.tenants.find((t) => t.tenantId === key || t.defaultDomain === key);
}

/** Waits `ms`, or less if the client goes away meanwhile (a killed worker leaves no timer behind). */
const delayUnlessClosed = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

/** Ends the request's connection without an answer (served by @hono/node-server, which passes the socket). */
function dropConnection(c: Context<EmulatorEnv>) {
  const socket = (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket;
  if (!socket) throw new Error("The drop fault needs the Node server's connection (c.env.incoming).");
  socket.destroy();
}

export function createEmulatorApp(state: EmulatorState) {
  const app = new Hono<EmulatorEnv>();

  app.use(async (c, next) => {
    const requestId = crypto.randomUUID();
    c.set("requestId", requestId);
    const url = new URL(c.req.url);
    const admin = url.pathname.startsWith("/_emulator");
    const route = routeKey(c.req.method, url.pathname);
    if (!admin) state.counts.set(route, (state.counts.get(route) ?? 0) + 1);
    const fault = admin ? undefined : state.faults.take(route);
    if (fault?.delayMs && !fault.afterApply) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.drop && !fault.afterApply) {
      dropConnection(c);
      return new Response(null, { status: 499 }); // never sent: the socket is gone
    }
    if (fault?.status && !fault.afterApply) {
      c.header("request-id", requestId);
      const retryAfter = retryAfterHeader(fault.retryAfter);
      if (retryAfter) c.header("Retry-After", retryAfter);
      const code =
        fault.status === 429 ? "TooManyRequests" : fault.status === 504 ? "GatewayTimeout" : "ServiceUnavailable";
      return graphError(c, fault.status, code, `Injected fault: ${fault.status}`);
    }
    await next();
    if (fault?.afterApply && fault.delayMs) await delayUnlessClosed(fault.delayMs, c.req.raw.signal);
    if (fault?.afterApply && fault.drop) dropConnection(c);
    else if (fault?.status && fault.afterApply) {
      c.res = undefined;
      const code = fault.status === 504 ? "GatewayTimeout" : "InternalServerError";
      c.res = graphError(c, fault.status, code, `Injected fault after the request was applied: ${fault.status}`);
    }
    c.header("request-id", requestId);
    c.header("client-request-id", c.req.header("client-request-id") ?? requestId);
  });

  // ── Identity platform ──────────────────────────────────────────────────────────────────────
  registerIdentityRoutes(app, state);

  // ── Microsoft Graph ────────────────────────────────────────────────────────────────────────
  for (const version of ["/v1.0/*", "/beta/*"]) {
    app.use(version, async (c, next) => {
      const header = c.req.header("authorization") ?? "";
      const token = header.startsWith("Bearer ") ? header.slice(7) : "";
      if (!token) return graphError(c, 401, "InvalidAuthenticationToken", "Access token is empty.");
      try {
        const claims = await state.issuer.verify(token, state.audience);
        const tenant = findTenant(state, claims.tid);
        if (!tenant) throw new Error("unknown tenant");
        c.set("tenant", tenant);
        c.set("appId", claims.appid ?? "");
        c.set("claims", claims);
        const route = routeKey(c.req.method, new URL(c.req.url).pathname);
        const callers = state.callers.get(route) ?? { app: 0, user: 0 };
        callers[claims.idtyp === "user" ? "user" : "app"] += 1;
        state.callers.set(route, callers);
      } catch {
        return graphError(c, 401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.");
      }
      await next();
    });
    app.use(version, authorize(state));
  }

  app.get("/v1.0/organization", (c) => {
    const t = c.get("tenant");
    const base = new URL(c.req.url).origin;
    return c.json({
      "@odata.context": `${base}/v1.0/$metadata#organization`,
      value: [
        {
          id: t.tenantId,
          deletedDateTime: null,
          displayName: t.displayName,
          countryLetterCode: t.countryLetterCode,
          createdDateTime: t.createdDateTime,
          tenantType: "AAD",
          verifiedDomains: [
            {
              capabilities: "Email, OfficeCommunicationsOnline",
              isDefault: true,
              isInitial: true,
              name: t.defaultDomain,
              type: "Managed",
            },
          ],
        },
      ],
    });
  });

  registerGroupRoutes(app, state);
  // Before the Intune routes: throttling answers first, then replication delays.
  registerWriteThrottle(app, state);
  registerEventualConsistency(app, state);
  registerIntuneUpdates(app, state);
  registerIntuneRoutes(app, state);
  registerRbacRoutes(app, state);
  registerDeviceManagementRoutes(app, state);
  registerReferenceRoutes(app, state);
  registerMobileAppRoutes(app, state);

  // ── Test and admin surface (not counted) ───────────────────────────────────────────────────
  registerAccessAdmin(app, state);
  app.get("/_emulator/health", (c) => c.json({ ok: true, audience: state.audience }));
  app.get("/_emulator/requests", (c) => {
    const routes = Object.fromEntries([...state.counts.entries()].sort());
    const total = [...state.counts.values()].reduce((a, b) => a + b, 0);
    return c.json({ total, routes, callers: Object.fromEntries([...state.callers.entries()].sort()) });
  });
  app.post("/_emulator/faults", async (c) => {
    state.faults.add((await c.req.json()) as FaultRule);
    return c.body(null, 204);
  });
  app.delete("/_emulator/faults", (c) => {
    state.faults.clear();
    return c.body(null, 204);
  });
  // How long delegated tokens issued from now on live (short lifetimes make every use a refresh).
  app.post("/_emulator/settings", async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { userTokenSeconds?: unknown };
    const seconds = Number(body.userTokenSeconds);
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400)
      return c.json({ error: "userTokenSeconds must be 1–86400" }, 400);
    state.userTokenSeconds = seconds;
    return c.json({ userTokenSeconds: seconds });
  });

  // Moves the emulator's clock forward, so state tokens it issued grow old (delta links expire).
  app.post("/_emulator/clock", async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { advanceSeconds?: unknown };
    const seconds = Number(body.advanceSeconds);
    if (!Number.isInteger(seconds) || seconds < 1)
      return c.json({ error: "advanceSeconds must be a positive integer" }, 400);
    state.clockOffsetMs += seconds * 1000;
    return c.json({ now: new Date(emulatorNow(state)).toISOString() });
  });

  app.notFound((c) =>
    graphError(
      c,
      404,
      "Request_ResourceNotFound",
      `Resource '${new URL(c.req.url).pathname}' does not exist or one of its queried reference-property objects are not present.`,
    ),
  );
  return app;
}
