import type { Hono } from "hono";
import type { EmulatorEnv, EmulatorState } from "./app";
import { seededGuid } from "./directory";

/**
 * `GET /deviceManagement`, the Intune singleton. Without `$select` Graph answers only `id`,
 * `settings` and `intuneAccountId` although the metadata declares `subscriptionState` (non-nullable
 * enum deviceManagementSubscriptionState) on it (microsoftgraph/microsoft-graph-docs-contrib#9111
 * and #9174); `$select=subscriptionState` asks for it by name, as OData selects any declared property.
 */
export function registerDeviceManagementRoutes(app: Hono<EmulatorEnv>, state: EmulatorState) {
  for (const version of ["v1.0", "beta"] as const) {
    app.get(`/${version}/deviceManagement`, (c) => {
      const tenantId = c.get("tenant").tenantId;
      const full: Record<string, unknown> = {
        id: "deviceManagement",
        settings: null,
        intuneAccountId: seededGuid(0, `intune-account:${tenantId}`),
        subscriptionState: state.access.intune.get(tenantId) ?? "active",
      };
      const select = c.req
        .query("$select")
        ?.split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      const fields = select?.length ? select : ["id", "settings", "intuneAccountId"];
      const context = `${new URL(c.req.url).origin}/${version}/$metadata#deviceManagement${select?.length ? `(${select.join(",")})` : ""}`;
      return c.json({
        "@odata.context": context,
        ...Object.fromEntries(fields.filter((f) => f in full).map((f) => [f, full[f]])),
      });
    });
  }
}
