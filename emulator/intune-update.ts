import type { Context, Hono } from "hono";
import metadata from "@/lib/graph/writable-properties.generated.json";
import type { EmulatorEnv, EmulatorState } from "./app";
import { graphError } from "./graph-errors";
import { type EmulatedPolicy, POLICY_FAMILIES } from "./intune";
import { COLLECTIONS } from "./intune-collections";
import { templateProblem } from "./intune-create";
import { resolvedTemplateReference } from "./intune-endpoint-security";
import { intuneMessage } from "./intune-errors";

/**
 * Updating a policy in place, as Microsoft documents it per family (docs/graph-fidelity.md):
 * - deviceConfigurations and deviceCompliancePolicies: PATCH with the policy's `@odata.type`;
 *   properties left out keep their values; Graph bumps `version` and `lastModifiedDateTime`. A
 *   compliance policy's scheduled actions are contained and not part of a PATCH (they have their
 *   own `scheduleActionsForRules` action).
 * - configurationPolicies (settings catalog): PATCH changes the policy's own properties only;
 *   settings are not updatable one by one (there is no PATCH route for `/settings/{id}`). A PUT of
 *   the whole policy with its settings replaces the policy and all its settings.
 * And a test switch that makes Graph's own fields move on every read, like real counters.
 */
type GraphType = { family: string; writable: string[]; readOnly: string[]; navigation: string[] };
const TYPES: Record<string, GraphType | undefined> = metadata.types;

const typeOf = (policy: EmulatedPolicy) =>
  String(policy.body["@odata.type"] ?? "#microsoft.graph.deviceManagementConfigurationPolicy");

/** Why this update body would be refused (undefined when Graph would apply it). */
export function updateProblem(
  policy: EmulatedPolicy,
  body: Record<string, unknown>,
  method: "PATCH" | "PUT",
): { code: string; message: string; intune?: boolean } | undefined {
  const family = policy.family;
  if (method === "PUT" && family !== "configurationPolicies")
    return { code: "BadRequest", message: `No OData route exists for PUT on ${family}.` };
  if (family !== "configurationPolicies" && body["@odata.type"] !== typeOf(policy))
    return {
      code: "BadRequest",
      message:
        typeof body["@odata.type"] === "string"
          ? `An entry with type '${body["@odata.type"]}' was found, but it is not assignable to the entity's type '${typeOf(policy)}'.`
          : "A derived type ('@odata.type') is required to update this resource.",
    };
  const type = TYPES[typeOf(policy)];
  if (!type) return { code: "BadRequest", message: `Unknown type ${typeOf(policy)}.` };
  // An enrollment configuration's rank is set by setPriority only (emulator/intune-enrollment.ts).
  if (COLLECTIONS[family].ranked && "priority" in body)
    return {
      code: "BadRequest",
      message: "An enrollment configuration's priority is set by setPriority, not by an update.",
    };
  const allowed = new Set([...type.writable, ...(method === "PUT" ? ["settings"] : [])]);
  const known = new Set([...type.writable, ...type.readOnly, ...type.navigation]);
  for (const key of Object.keys(body)) {
    if (key.includes("@") || allowed.has(key)) continue;
    if (known.has(key)) return { code: "NotSupported", message: `${key} invalid for update.`, intune: true };
    return {
      code: "ModelValidationFailure",
      message: `The property '${key}' does not exist on type '${typeOf(policy)}'.`,
    };
  }
  if (method === "PUT" && (typeof body.name !== "string" || !Array.isArray(body.settings)))
    return { code: "BadRequest", message: "A PUT of a configuration policy carries its name and all its settings." };
  return family === "configurationPolicies" && "templateReference" in body
    ? templateProblem(body.templateReference)
    : undefined;
}

/** Applies an accepted update: same id, Graph's own fields moved on. */
export function applyUpdate(policy: EmulatedPolicy, body: Record<string, unknown>, method: "PATCH" | "PUT") {
  const fields = { ...body };
  // The catalog's settings are a navigation; another type's `settings` (iOS app configuration items) is a property.
  const settings = policy.family === "configurationPolicies" ? fields.settings : undefined;
  if (policy.family === "configurationPolicies") delete fields.settings;
  const keep = method === "PUT" ? readOnlyOf(policy) : policy.body;
  policy.body = { ...keep, ...fields, id: policy.body.id, lastModifiedDateTime: new Date().toISOString() };
  if (policy.family === "configurationPolicies") {
    if ("templateReference" in fields)
      policy.body.templateReference = resolvedTemplateReference(fields.templateReference);
    if (Array.isArray(settings)) {
      policy.settings = (settings as Record<string, unknown>[]).map((s, i) => ({ ...s, id: String(i) }));
      policy.body.settingCount = policy.settings.length;
    }
  } else if (COLLECTIONS[policy.family].countsVersions) policy.body.version = Number(policy.body.version ?? 0) + 1;
}

/** A PUT replaces the policy: only what Graph keeps itself (id, created time, counters) survives. */
function readOnlyOf(policy: EmulatedPolicy) {
  const readOnly = new Set(TYPES[typeOf(policy)]?.readOnly ?? []);
  return Object.fromEntries(
    Object.entries(policy.body).filter(([key]) => readOnly.has(key) || key === "@odata.type"),
  ) as Record<string, unknown>;
}

/** What changes on every read while a tenant's volatile switch is on: never what an admin set. */
export function churn(policy: EmulatedPolicy) {
  policy.body.lastModifiedDateTime = new Date().toISOString();
  if (COLLECTIONS[policy.family].countsVersions) policy.body.version = Number(policy.body.version ?? 0) + 1;
  policy.body["@odata.etag"] = `W/"${crypto.randomUUID()}"`;
  // Settings come back in another order with other ids; assignments with other ids.
  policy.settings = [...policy.settings].reverse().map((s) => ({ ...s, id: crypto.randomUUID() }));
  policy.assignments = policy.assignments.map((a) => ({ ...a, id: crypto.randomUUID() }));
}

export function registerIntuneUpdates(app: Hono<EmulatorEnv>, state: EmulatorState) {
  const policiesOf = (c: Context<EmulatorEnv>) => state.policies.get(c.get("tenant").tenantId)!;

  // Volatile reads: before the read routes answer, the policies they return move on.
  for (const version of ["v1.0", "beta"] as const) {
    for (const family of POLICY_FAMILIES) {
      const base = `/${version}/${COLLECTIONS[family].under}/${family}`;
      const touch = async (c: Context<EmulatorEnv>, next: () => Promise<void>) => {
        if (c.req.method === "GET" && state.volatileReads.has(c.get("tenant").tenantId)) {
          const id = c.req.param("id");
          for (const policy of policiesOf(c).values())
            if (policy.family === family && (!id || policy.body.id === id)) churn(policy);
        }
        await next();
      };
      app.use(base, touch);
      app.use(`${base}/:id`, touch);

      const update = (method: "PATCH" | "PUT") => async (c: Context<EmulatorEnv>) => {
        if (!COLLECTIONS[family].versions.includes(version))
          return graphError(c, 400, "BadRequest", `Resource not found for the segment '${family}'.`);
        const policy = policiesOf(c).get(c.req.param("id")!);
        if (policy?.family !== family)
          return graphError(c, 404, "ResourceNotFound", `{"_version": 3, "Message": "Resource not found"}`);
        const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
        if (!body || typeof body !== "object" || Array.isArray(body))
          return graphError(c, 400, "BadRequest", "The request body is not valid JSON.");
        const problem = updateProblem(policy, body, method);
        if (problem)
          return graphError(
            c,
            400,
            problem.code,
            problem.intune
              ? intuneMessage(problem.message, { activityId: c.get("requestId"), url: c.req.url })
              : problem.message,
          );
        applyUpdate(policy, body, method);
        return c.body(null, 204);
      };
      app.patch(`${base}/:id`, update("PATCH"));
      if (family === "configurationPolicies") app.put(`${base}/:id`, update("PUT"));
    }
  }
  // There is no route to update one setting of a settings catalog policy (microsoftgraph/microsoft-graph-docs#17482).
  app.patch("/beta/deviceManagement/configurationPolicies/:id/settings/:settingId", (c) =>
    graphError(
      c,
      400,
      "No method match route template",
      "No OData route exists that match template ~/singleton/navigation/key/navigation/key with http verb PATCH.",
    ),
  );

  app.post("/_emulator/tenants/:tenantId/volatile", async (c) => {
    const tenantId = c.req.param("tenantId").toLowerCase();
    if (!state.policies.has(tenantId)) return c.json({ error: "unknown tenant" }, 404);
    const { enabled } = (await c.req.json().catch(() => ({}))) as { enabled?: unknown };
    if (enabled === true) state.volatileReads.add(tenantId);
    else state.volatileReads.delete(tenantId);
    return c.json({ enabled: state.volatileReads.has(tenantId) });
  });
}
