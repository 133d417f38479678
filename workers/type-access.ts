import { type Client, GraphError } from "@microsoft/microsoft-graph-client";
import type { PolicyFamily } from "@/db/schema";
import { collectionOf, intuneType } from "@/lib/intune/types";
import { readableGraphMessage } from "./access-failure";

/**
 * One object type Graph refuses to list for want of a permission (scripts and remediations need
 * DeviceManagementScripts.* since July 2025, which an app consented before may lack): a named
 * failure of that type while every other type is read. What the console holds of the type is kept
 * as it was — neither marked deleted, nor compared, nor called missing.
 */
export const isForbidden = (err: unknown): err is GraphError => err instanceof GraphError && err.statusCode === 403;

export function typeForbiddenFailure(family: PolicyFamily, err: GraphError) {
  const type = intuneType(family);
  const [first, ...others] = type.readPermissions;
  const permission = others.length ? `${first} (or ${others.join(", ")})` : first;
  return {
    code: "type_forbidden",
    message: `Microsoft Graph refused to list ${type.label} objects (403: ${readableGraphMessage(err.message)}). They need the application permission ${permission}, granted with admin consent; every other type was read.`,
    item: type.label,
  };
}

/** Of `families`, those whose collection Graph refuses to list (one object asked for each collection). */
export async function forbiddenFamilies(
  graph: Client,
  { families, signal }: { families: PolicyFamily[]; signal: AbortSignal },
): Promise<Map<PolicyFamily, GraphError>> {
  const refused = new Map<PolicyFamily, GraphError>();
  for (const path of new Set(families.map((f) => collectionOf(f).path))) {
    try {
      await graph.api(path).version("beta").top(1).option("signal", signal).get();
    } catch (err) {
      if (!isForbidden(err)) throw err;
      for (const family of families) if (collectionOf(family).path === path) refused.set(family, err);
    }
  }
  return refused;
}
