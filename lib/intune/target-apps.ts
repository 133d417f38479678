import type { PolicyFamily } from "@/db/schema/inventory";
import { intuneType } from "./types";

/**
 * The body of a policy's `targetApps` action that gives it the apps its backup (or baseline) holds:
 * each app by its `mobileAppIdentifier` only (a bundle, package or Windows app id, the same in every
 * tenant; the app's `id` is the source's), plus the parameters the type's action takes besides
 * `apps` (`appGroupType`). Undefined for a type without apps, or content that holds none (not read).
 */
export function targetAppsBody(
  family: PolicyFamily,
  content: Record<string, unknown>,
): { action: string; body: Record<string, unknown> } | undefined {
  const targets = intuneType(family).targetsApps;
  const apps = content[targets?.navigation ?? ""];
  if (!targets || !Array.isArray(apps)) return undefined;
  const body: Record<string, unknown> = {
    apps: apps.map((app) => ({
      "@odata.type": "#microsoft.graph.managedMobileApp",
      mobileAppIdentifier: (app as { mobileAppIdentifier?: unknown }).mobileAppIdentifier,
    })),
  };
  for (const parameter of targets.parameters)
    if (content[parameter] !== undefined) body[parameter] = content[parameter];
  return { action: targets.action, body };
}
