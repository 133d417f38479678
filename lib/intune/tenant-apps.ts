import type { PolicyFamily } from "@/db/schema/inventory";
import { intuneType } from "./types";

/**
 * Apps named by their id in the tenant's own app catalogue (`/deviceAppManagement/mobileApps`): an
 * app configuration for managed devices lists them in `targetedMobileApps`, an enrollment status page
 * the apps it waits for in `selectedMobileAppIds`. Each tenant gives its
 * apps its own ids, and Graph returns only the ids with the object (no navigation to expand), so a
 * backup reads each app's name by id and keeps it beside the content under APP_NAMES_KEY — like
 * sealed secrets, outside the version's hash — to name, in another tenant, the apps to choose again.
 */
export const APP_NAMES_KEY = "@tenantatlas.tenantAppNames";

/** App id → its name in the source tenant (null: the app was gone when the backup read it). */
export type TenantAppNames = Record<string, string | null>;

/** The ids of tenant apps an object targets (none for a type without them). */
export function tenantAppIds(family: PolicyFamily, content: Record<string, unknown>): string[] {
  const property = intuneType(family).tenantApps?.property;
  const ids = property ? content[property] : undefined;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
}

export const tenantAppNamesOf = (content: Record<string, unknown>): TenantAppNames =>
  (content[APP_NAMES_KEY] as TenantAppNames | undefined) ?? {};

/**
 * A body for another tenant: without the source's app ids (they name nothing there, or something
 * else). The object is created or updated without its targeted apps; `leftOutAppsNote` names them.
 */
export function withoutTenantApps(family: PolicyFamily, body: Record<string, unknown>): Record<string, unknown> {
  const property = intuneType(family).tenantApps?.property;
  if (!property || !(property in body)) return body;
  const rest = { ...body };
  delete rest[property];
  return rest;
}

/** What a restore into another tenant says about the targeted apps it left out, or null when none. */
export function leftOutAppsNote(family: PolicyFamily, content: Record<string, unknown>): string | null {
  const ids = tenantAppIds(family, content);
  if (!ids.length) return null;
  const names = tenantAppNamesOf(content);
  const apps = ids.map((id) => (names[id] ? `“${names[id]}” (${id} in the source tenant)` : `app ${id}`));
  return `Targeted app(s) left out, to be chosen again in this tenant (app ids differ in every tenant): ${apps.join(", ")}.`;
}
