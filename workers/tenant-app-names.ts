import { type Client, GraphError } from "@microsoft/microsoft-graph-client";
import type { PolicyFamily } from "@/db/schema";
import { type TenantAppNames, tenantAppIds } from "@/lib/intune/tenant-apps";
import type { GraphPolicy } from "./intune";

/**
 * The names of the tenant apps an object targets, read by id from the app catalogue
 * (GET /deviceAppManagement/mobileApps/{id}?$select=displayName: mobileApp has no navigation from
 * the configuration, intune-apps-mobileapp-get). `known` carries names read earlier in the same run,
 * so an app shared by many objects is read once. An app gone since (404), or one the app registration
 * may not read (403), is named null.
 */
export async function readTenantAppNames(
  graph: Client,
  {
    family,
    policy,
    known,
    signal,
  }: { family: PolicyFamily; policy: GraphPolicy; known: Map<string, string | null>; signal: AbortSignal },
): Promise<TenantAppNames> {
  const names: TenantAppNames = {};
  for (const id of tenantAppIds(family, policy)) {
    if (!known.has(id)) {
      try {
        const app = (await graph
          .api(`/deviceAppManagement/mobileApps/${encodeURIComponent(id)}`)
          .version("beta")
          .select("displayName")
          .option("signal", signal)
          .get()) as { displayName?: unknown };
        known.set(id, typeof app.displayName === "string" ? app.displayName : null);
      } catch (err) {
        // Gone (404), or a catalogue the app may not read (403: DeviceManagementApps.*): no name, the backup goes on.
        if (!(err instanceof GraphError && (err.statusCode === 404 || err.statusCode === 403))) throw err;
        known.set(id, null);
      }
    }
    names[id] = known.get(id)!;
  }
  return names;
}
