import type { Context, Hono } from "hono";
import { z } from "zod";
import { type EmulatorEnv, type EmulatorState, emulatorNow } from "./app";
import { graphError } from "./graph-errors";

/**
 * Intune's write limits. Microsoft Graph's service-specific throttling limits (learn.microsoft.com/
 * graph/throttling-limits, "Intune service limits": device configuration, device config v2 and the
 * roleAssignment/roleDefinition resources) each allow POST, PUT, DELETE and PATCH at 100 requests
 * per 20 seconds per app per tenant and 200 per 20 seconds per tenant for all apps. Each service
 * counts on its own. Throttled requests count too ("all requests accrue against your usage
 * limits", Graph throttling guidance). Intune's 429s often carry no Retry-After (Microsoft Q&A
 * 5784629, msendpointmgr.com "A beginners guide to Microsoft Graph API rate limiting in Intune"),
 * so the default sends none. How the 20 seconds are counted is not published: a sliding window here.
 */
export const throttleSettingsSchema = z
  .object({
    appWrites: z.number().int().min(1),
    tenantWrites: z.number().int().min(1),
    windowSeconds: z.number().positive().max(3600),
    /** "absent": no Retry-After (Intune's usual answer); "seconds": the seconds until a write is admitted again. */
    retryAfter: z.enum(["absent", "seconds"]),
  })
  .strict();
export type ThrottleSettings = z.infer<typeof throttleSettingsSchema>;

export const INTUNE_WRITE_LIMITS: ThrottleSettings = {
  appWrites: 100,
  tenantWrites: 200,
  windowSeconds: 20,
  retryAfter: "absent",
};

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Which Intune service a deviceManagement path belongs to (each has its own limits). */
export function intuneService(pathname: string): string {
  const segment = /^\/(?:v1\.0|beta)\/deviceManagement\/([^/?]+)/.exec(pathname)?.[1] ?? "";
  if (segment === "deviceConfigurations" || segment === "deviceCompliancePolicies") return "deviceConfiguration";
  if (segment === "configurationPolicies") return "deviceConfigV2";
  if (segment === "roleAssignments" || segment === "roleDefinitions") return "rbac";
  return `other:${segment}`;
}

export class WriteThrottle {
  #settings = new Map<string, ThrottleSettings>();
  /** Arrival times (ms) of writes by limit key: "tenant|service" and "tenant|service|app". */
  #arrivals = new Map<string, number[]>();
  #throttled = new Map<string, number>();

  settingsOf(tenantId: string): ThrottleSettings {
    return this.#settings.get(tenantId) ?? INTUNE_WRITE_LIMITS;
  }

  configure(tenantId: string, settings: ThrottleSettings) {
    this.#settings.set(tenantId, settings);
    for (const key of this.#arrivals.keys()) if (key.startsWith(`${tenantId}|`)) this.#arrivals.delete(key);
  }

  /** 429s answered to this tenant since it was last configured. */
  throttledCount(tenantId: string) {
    return this.#throttled.get(tenantId) ?? 0;
  }

  resetCount(tenantId: string) {
    this.#throttled.delete(tenantId);
  }

  /**
   * Counts one write; when the tenant or the app is over its limit, answers how many seconds until
   * the oldest write in the window leaves it.
   */
  admit({ tenantId, appId, service, now }: { tenantId: string; appId: string; service: string; now: number }) {
    const settings = this.settingsOf(tenantId);
    const windowMs = settings.windowSeconds * 1000;
    let waitMs = 0;
    for (const [key, limit] of [
      [`${tenantId}|${service}`, settings.tenantWrites],
      [`${tenantId}|${service}|${appId}`, settings.appWrites],
    ] as const) {
      const recent = (this.#arrivals.get(key) ?? []).filter((t) => t > now - windowMs);
      if (recent.length >= limit) waitMs = Math.max(waitMs, recent[recent.length - limit]! + windowMs - now);
      recent.push(now);
      this.#arrivals.set(key, recent);
    }
    if (waitMs === 0) return { throttled: false as const };
    this.#throttled.set(tenantId, this.throttledCount(tenantId) + 1);
    return { throttled: true as const, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }
}

export function registerWriteThrottle(app: Hono<EmulatorEnv>, state: EmulatorState) {
  for (const prefix of ["/v1.0/deviceManagement/*", "/beta/deviceManagement/*"]) {
    app.use(prefix, async (c, next) => {
      if (!WRITE_METHODS.has(c.req.method)) return next();
      const tenantId = c.get("tenant").tenantId;
      const verdict = state.writeThrottle.admit({
        tenantId,
        appId: c.get("appId"),
        service: intuneService(new URL(c.req.url).pathname),
        now: emulatorNow(state),
      });
      if (!verdict.throttled) return next();
      if (state.writeThrottle.settingsOf(tenantId).retryAfter === "seconds")
        c.header("Retry-After", String(verdict.retryAfterSeconds));
      // The body of the Graph throttling guidance's sample response.
      return graphError(c, 429, "TooManyRequests", "Please retry again later.");
    });
  }

  // ── Test surface: a tenant's limits (small windows for tests) and its 429 count ─────────────
  const tenantOf = (c: Context<EmulatorEnv>) =>
    state.tenants.find((t) => t.tenantId === c.req.param("tenantId")?.toLowerCase());
  app.get("/_emulator/tenants/:tenantId/throttling", (c) => {
    const tenant = tenantOf(c);
    if (!tenant) return c.json({ error: "unknown tenant" }, 404);
    return c.json({
      ...state.writeThrottle.settingsOf(tenant.tenantId),
      throttled: state.writeThrottle.throttledCount(tenant.tenantId),
    });
  });
  app.post("/_emulator/tenants/:tenantId/throttling", async (c) => {
    const tenant = tenantOf(c);
    if (!tenant) return c.json({ error: "unknown tenant" }, 404);
    const parsed = throttleSettingsSchema.partial().safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: parsed.error.message }, 400);
    const settings = { ...state.writeThrottle.settingsOf(tenant.tenantId), ...parsed.data };
    state.writeThrottle.configure(tenant.tenantId, settings);
    state.writeThrottle.resetCount(tenant.tenantId);
    return c.json({ ...settings, throttled: 0 });
  });
}
