import type { Context, Hono } from "hono";
import type { EmulatorEnv } from "./app";
import { graphError } from "./graph-errors";
import { type EmulatedPolicy, POLICY_FAMILIES, type PolicyFamily } from "./intune";
import { COLLECTIONS } from "./intune-collections";

/**
 * The apps of app protection policies: a contained `apps` navigation of managedMobileApp, read at
 * `/apps` (paged) or with `$expand=apps`, and replaced as a whole by the bound `targetApps` action
 * (no create or update carries them). The action's parameters are `apps` and, for the targeted
 * types, `appGroupType` (CSDL: the targetApps actions; intune-mam-*-targetapps, beta); an unknown
 * parameter is refused as Graph refuses one for any action. It answers 204 (it returns nothing).
 */
type Helpers = {
  find: (c: Context<EmulatorEnv>, family: PolicyFamily) => EmulatedPolicy | undefined;
  notFound: (c: Context<EmulatorEnv>) => Response;
  contextOf: (c: Context<EmulatorEnv>, version: string, family: PolicyFamily, p: EmulatedPolicy) => string;
  paged: <T>(c: Context<EmulatorEnv>, items: T[], pageSize: number, context: string) => Response;
};

/** The identifier types of managedMobileApp.mobileAppIdentifier and the property each names the app by (beta metadata). */
export const APP_IDENTIFIERS: Record<string, string> = {
  "#microsoft.graph.iosMobileAppIdentifier": "bundleId",
  "#microsoft.graph.androidMobileAppIdentifier": "packageId",
  "#microsoft.graph.windowsAppIdentifier": "windowsAppId",
  "#microsoft.graph.macAppIdentifier": "bundleId",
};
const GROUP_TYPES = new Set(["selectedPublicApps", "allCoreMicrosoftApps", "allMicrosoftApps", "allApps"]);
const APPS_PAGE = 25;

/** The app an identifier names, or why it names none. */
function identifierProblem(app: unknown): string | undefined {
  const identifier = (app as { mobileAppIdentifier?: Record<string, unknown> } | null)?.mobileAppIdentifier;
  const kind = typeof identifier?.["@odata.type"] === "string" ? APP_IDENTIFIERS[identifier["@odata.type"]] : undefined;
  if (!kind) return "Each app needs a mobileAppIdentifier of a known type.";
  if (typeof identifier![kind] !== "string" || !identifier![kind]) return `The app identifier needs its '${kind}'.`;
  return undefined;
}

/** An app as Graph lists it: its own id from the identifier, as Intune names targeted apps. */
export function managedApp(identifier: Record<string, unknown>, version: string | null = null) {
  const kind = APP_IDENTIFIERS[String(identifier["@odata.type"])]!;
  return {
    "@odata.type": "#microsoft.graph.managedMobileApp",
    id: `${String(identifier[kind])}.${kind === "packageId" ? "android" : kind === "windowsAppId" ? "windows" : "ios"}`,
    mobileAppIdentifier: identifier,
    version,
  };
}

export function registerAppTargetingRoutes(app: Hono<EmulatorEnv>, { find, notFound, contextOf, paged }: Helpers) {
  for (const version of ["v1.0", "beta"] as const) {
    for (const family of POLICY_FAMILIES) {
      const collection = COLLECTIONS[family];
      if (!collection.targetApps || !collection.versions.includes(version)) continue;
      const base = `/${version}/${collection.under}/${family}/:id`;
      app.get(`${base}/apps`, (c) => {
        const policy = find(c, family);
        if (!policy) return notFound(c);
        return paged(c, policy.apps ?? [], APPS_PAGE, `${contextOf(c, version, family, policy)}/apps`);
      });
      const accepted = ["apps", ...collection.targetApps.parameters];
      app.post(`${base}/targetApps`, async (c) => {
        const policy = find(c, family);
        if (!policy) return notFound(c);
        const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
        const unknown = Object.keys(body ?? {}).find((key) => !accepted.includes(key));
        if (unknown)
          return graphError(
            c,
            400,
            "BadRequest",
            `The parameter '${unknown}' in the request payload is not a valid parameter for the operation 'targetApps'.`,
          );
        const apps = body?.apps;
        if (!Array.isArray(apps)) return graphError(c, 400, "BadRequest", "The 'apps' parameter is required.");
        const problem = apps.map(identifierProblem).find(Boolean);
        if (problem) return graphError(c, 400, "BadRequest", problem);
        const groupType = body?.appGroupType;
        if (groupType !== undefined && !GROUP_TYPES.has(String(groupType)))
          return graphError(c, 400, "BadRequest", `'${String(groupType)}' is not a valid targetedManagedAppGroupType.`);
        policy.apps = apps.map((a) => {
          const { mobileAppIdentifier, version: appVersion } = a as {
            mobileAppIdentifier: Record<string, unknown>;
            version?: string | null;
          };
          return managedApp(mobileAppIdentifier, appVersion ?? null);
        });
        if (groupType !== undefined) policy.body = { ...policy.body, appGroupType: groupType };
        policy.body = { ...policy.body, deployedAppCount: policy.apps.length };
        return c.body(null, 204);
      });
    }
  }
}
