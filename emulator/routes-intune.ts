import type { Context, Hono } from "hono";
import type { EmulatorEnv, EmulatorState } from "./app";
import { graphError } from "./graph-errors";
import { type EmulatedPolicy, POLICY_FAMILIES, type PolicyFamily, policyView } from "./intune";
import { registerAppTargetingRoutes } from "./intune-apps-routes";
import { COLLECTIONS } from "./intune-collections";
import { createProblem, hasProperty, storedRules } from "./intune-create";
import { resolvedTemplateReference } from "./intune-endpoint-security";
import {
  createdEnrollmentFields,
  enrollmentAssignProblem,
  enrollmentCreateProblem,
  enrollmentId,
  registerEnrollmentRoutes,
} from "./intune-enrollment";
import { intuneMessage } from "./intune-errors";
import { registerNotificationRoutes } from "./intune-notifications";
import { encryptCreatedSecrets, registerOmaPlainTextRoute, secretCreateProblem } from "./intune-secrets";
import { registerAdmxRoutes } from "./routes-admx";
import { registerIntentRoutes } from "./routes-intents";

/**
 * Intune's object endpoints, per collection as emulator/intune-collections.ts describes it: the two
 * classic families under v1.0 and beta (100 a page), the settings catalog under beta only (25 a page,
 * `/settings` 25 a page), the scripts under beta only, and `/assignments` and `/assign` of each.
 */
const SETTINGS_PAGE = 25;
/** `$top` asks for fewer items a page, never more than the collection's own page size. */
const pageSizeOf = (c: Context<EmulatorEnv>, size: number) => {
  const top = Number(c.req.query("$top"));
  return Number.isInteger(top) && top > 0 ? Math.min(top, size) : size;
};

const encode = (o: number) => Buffer.from(JSON.stringify({ o })).toString("base64url");
const offsetOf = (token: string | undefined) => {
  if (!token) return 0;
  try {
    return Number((JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o: number }).o) || 0;
  } catch {
    return 0;
  }
};

export function paged<T>(c: Context<EmulatorEnv>, items: T[], pageSize: number, context: string) {
  const url = new URL(c.req.url);
  const offset = offsetOf(c.req.query("$skiptoken"));
  const size = pageSizeOf(c, pageSize);
  const body: Record<string, unknown> = {
    "@odata.context": `${url.origin}${context}`,
    value: items.slice(offset, offset + size),
  };
  // The next link repeats what shapes the page ($top, $expand), as Graph's do.
  const kept = ["$top", "$expand"]
    .filter((option) => c.req.query(option))
    .map((option) => `${option}=${encodeURIComponent(c.req.query(option)!)}&`)
    .join("");
  if (offset + size < items.length)
    body["@odata.nextLink"] = `${url.origin}${url.pathname}?${kept}$skiptoken=${encode(offset + size)}`;
  return c.json(body);
}

export function registerIntuneRoutes(app: Hono<EmulatorEnv>, state: EmulatorState) {
  const policiesOf = (c: Context<EmulatorEnv>) => state.policies.get(c.get("tenant").tenantId)!;
  const ofFamily = (c: Context<EmulatorEnv>, family: PolicyFamily) =>
    [...policiesOf(c).values()].filter((p) => p.family === family);
  const find = (c: Context<EmulatorEnv>, family: PolicyFamily) => {
    const policy = policiesOf(c).get(c.req.param("id")!);
    return policy?.family === family ? policy : undefined;
  };
  const notFound = (c: Context<EmulatorEnv>) =>
    graphError(
      c,
      404,
      "ResourceNotFound",
      `{"_version": 3, "Message": "Resource not found - Operation ID (for customer support): ${crypto.randomUUID()}"}`,
    );

  // A type that is not assigned has no such segment in the metadata.
  const unassignable = (c: Context<EmulatorEnv>, segment: string) =>
    graphError(c, 400, "BadRequest", `Resource not found for the segment '${segment}'.`);
  const contextOf = (c: Context<EmulatorEnv>, version: string, family: PolicyFamily, p: EmulatedPolicy) =>
    `${new URL(c.req.url).origin}/${version}/$metadata#${COLLECTIONS[family].under}/${family}('${p.body.id}')`;

  for (const version of ["v1.0", "beta"] as const) {
    for (const family of POLICY_FAMILIES) {
      const { under } = COLLECTIONS[family];
      const base = `/${version}/${under}/${family}`;
      const betaOnly = !COLLECTIONS[family].versions.includes(version);
      const refuse = (c: Context<EmulatorEnv>) =>
        graphError(c, 400, "BadRequest", `Resource not found for the segment '${family}'.`);
      app.get(base, (c) =>
        betaOnly
          ? refuse(c)
          : paged(
              c,
              ofFamily(c, family).map((p) =>
                policyView(p, {
                  expand: c.req.query("$expand"),
                  context: contextOf(c, version, family, p),
                  listed: true,
                }),
              ),
              COLLECTIONS[family].pageSize,
              `/${version}/$metadata#${under}/${family}`,
            ),
      );
      app.get(`${base}/:id`, (c) => {
        if (betaOnly) return refuse(c);
        const policy = find(c, family);
        return policy
          ? c.json({
              "@odata.context": `${new URL(c.req.url).origin}/${version}/$metadata#${under}/${family}/$entity`,
              ...policyView(policy, { expand: c.req.query("$expand"), context: contextOf(c, version, family, policy) }),
            })
          : notFound(c);
      });
      app.get(`${base}/:id/assignments`, (c) => {
        if (betaOnly) return refuse(c);
        if (COLLECTIONS[family].assignedBy === "none") return unassignable(c, "assignments");
        const policy = find(c, family);
        if (!policy) return notFound(c);
        if (policy.brokenAssignments)
          return graphError(
            c,
            403,
            "Forbidden",
            "Application is not authorized to perform this operation. Application must have one of the following scopes: DeviceManagementConfiguration.Read.All",
          );
        return c.json({
          "@odata.context": `${contextOf(c, version, family, policy)}/assignments`,
          value: policy.assignments,
        });
      });
    }
  }
  // ── Writes: what a restore does ─────────────────────────────────────────────────────────────
  for (const version of ["v1.0", "beta"] as const) {
    for (const family of POLICY_FAMILIES) {
      const collection = COLLECTIONS[family];
      const base = `/${version}/${collection.under}/${family}`;
      const betaOnly = !collection.versions.includes(version);
      app.post(base, async (c) => {
        if (betaOnly) return graphError(c, 400, "BadRequest", `Resource not found for the segment '${family}'.`);
        const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
        if (!body) return graphError(c, 400, "BadRequest", "The request body is not valid JSON.");
        const problem = createProblem(family, body);
        if (problem)
          return graphError(
            c,
            400,
            problem.code,
            problem.intune
              ? intuneMessage(problem.message, { activityId: c.get("requestId"), url: c.req.url })
              : problem.message,
          );
        const defaultProblem = collection.ranked ? enrollmentCreateProblem(body) : undefined;
        if (defaultProblem) return graphError(c, 400, defaultProblem.code, defaultProblem.message);
        const secretProblem = secretCreateProblem(family, body);
        if (secretProblem) return graphError(c, 400, secretProblem.code, secretProblem.message);
        const now = new Date().toISOString();
        // Settings and scheduled actions are created with the policy but read back through their own endpoints
        // (a `settings` property of another type, an iOS app configuration's items, stays in the object).
        const fields = { ...body };
        const settings = collection.createdWith.includes("settings") ? fields.settings : undefined;
        if (collection.createdWith.includes("settings")) delete fields.settings;
        delete fields.scheduledActionsForRule;
        const created: EmulatedPolicy = {
          family,
          body: {
            ...fields,
            id: collection.ranked ? enrollmentId(body) : `${collection.idPrefix ?? ""}${crypto.randomUUID()}`,
            // Only where the type has one (a notification message template has none).
            ...(hasProperty(collection.root, "createdDateTime") ? { createdDateTime: now } : {}),
            lastModifiedDateTime: now,
            ...(family === "configurationPolicies"
              ? {
                  settingCount: Array.isArray(settings) ? settings.length : 0,
                  // Graph fills the template's family and names from its id (read-only parts).
                  templateReference: resolvedTemplateReference(body.templateReference),
                }
              : collection.countsVersions
                ? { version: 1 }
                : {}),
            // An enrollment configuration's kind and rank are Graph's: it lands last among its kind.
            ...(collection.ranked ? createdEnrollmentFields(policiesOf(c).values(), body) : {}),
          },
          settings:
            family === "configurationPolicies" && Array.isArray(settings)
              ? (settings as Record<string, unknown>[])
              : [],
          assignments: [],
          ...(collection.targetApps ? { apps: [] } : {}),
          ...(family === "deviceCompliancePolicies"
            ? { scheduledActionsForRule: storedRules(body.scheduledActionsForRule) }
            : {}),
        };
        encryptCreatedSecrets(created);
        policiesOf(c).set(created.body.id, created);
        return c.json(
          {
            "@odata.context": `${new URL(c.req.url).origin}/${version}/$metadata#${collection.under}/${family}/$entity`,
            ...created.body,
          },
          201,
        );
      });
      // `/assign` replaces the whole set of assignments; every group it names must exist. Its
      // parameter is named per type (emulator/intune-collections.ts); an unknown one is refused.
      const { parameter, alsoAccepted, fields } = collection.assign;
      const missingGroup = (c: Context<EmulatorEnv>, targets: { target?: Record<string, unknown> }[]) => {
        const groups = state.groups.get(c.get("tenant").tenantId)!;
        const groupId = targets
          .map((a) => a.target?.groupId)
          .find((id) => id !== undefined && (typeof id !== "string" || !groups.get(id)));
        return groupId === undefined
          ? undefined
          : graphError(c, 400, "BadRequest", `Group '${String(groupId)}' does not exist in this tenant.`);
      };
      app.post(`${base}/:id/assign`, async (c) => {
        if (betaOnly) return graphError(c, 400, "BadRequest", `Resource not found for the segment '${family}'.`);
        if (collection.assignedBy === "none") return unassignable(c, "assign");
        const policy = find(c, family);
        if (!policy) return notFound(c);
        const notAssignable = enrollmentAssignProblem(policy);
        if (notAssignable) return graphError(c, 400, "BadRequest", notAssignable);
        const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
        const unknown = Object.keys(body ?? {}).find((key) => key !== parameter && !alsoAccepted.includes(key));
        if (unknown)
          return graphError(
            c,
            400,
            "BadRequest",
            `The parameter '${unknown}' in the request payload is not a valid parameter for the operation 'assign'.`,
          );
        const assignments = body?.[parameter] as { target?: Record<string, unknown> }[] | undefined;
        if (!Array.isArray(assignments))
          return graphError(c, 400, "BadRequest", `The '${parameter}' parameter is required.`);
        // An Autopilot profile's `/assign` assigns devices (204); the emulator keeps no Autopilot
        // device identities, so it changes nothing the console reads.
        if (collection.assignedBy === "navigation") return c.body(null, 204);
        const refused = missingGroup(c, assignments);
        if (refused) return refused;
        policy.assignments = assignments.map((a) => ({
          ...Object.fromEntries(fields.filter((f) => f in a).map((f) => [f, (a as Record<string, unknown>)[f]])),
          id: crypto.randomUUID(),
          target: a.target ?? {},
        }));
        return collection.assignAnswersNoContent ? c.body(null, 204) : c.json({ value: policy.assignments });
      });
      if (collection.assignedBy === "navigation") registerAssignmentEntities(base, family, missingGroup);
    }
  }

  /**
   * One assignment created (201, the entity with its id) or deleted (204) at a time, for a type whose
   * groups are not assigned by `/assign` (windowsAutopilotDeploymentProfileAssignment create/delete).
   * An assignment Intune did not make from a policy set is `direct`.
   */
  function registerAssignmentEntities(
    base: string,
    family: PolicyFamily,
    missingGroup: (c: Context<EmulatorEnv>, t: { target?: Record<string, unknown> }[]) => Response | undefined,
  ) {
    app.post(`${base}/:id/assignments`, async (c) => {
      if (!COLLECTIONS[family].versions.includes(base.startsWith("/beta/") ? "beta" : "v1.0"))
        return graphError(c, 400, "BadRequest", `Resource not found for the segment '${family}'.`);
      const policy = find(c, family);
      if (!policy) return notFound(c);
      const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
      const target = body?.target as Record<string, unknown> | undefined;
      if (!target || typeof target !== "object" || typeof target["@odata.type"] !== "string")
        return graphError(c, 400, "BadRequest", "The assignment's target is required.");
      const refused = missingGroup(c, [{ target }]);
      if (refused) return refused;
      const created = {
        id: crypto.randomUUID(),
        source: typeof body?.source === "string" ? body.source : "direct",
        sourceId: typeof body?.sourceId === "string" ? body.sourceId : null,
        target,
      };
      policy.assignments = [...policy.assignments, created];
      return c.json(
        {
          "@odata.context": `${new URL(c.req.url).origin}/beta/$metadata#deviceManagement/${family}('${policy.body.id}')/assignments/$entity`,
          "@odata.type": `#${COLLECTIONS[family].root}Assignment`,
          ...created,
        },
        201,
      );
    });
    app.delete(`${base}/:id/assignments/:assignmentId`, (c) => {
      const policy = find(c, family);
      const before = policy?.assignments.length;
      if (!policy) return notFound(c);
      policy.assignments = policy.assignments.filter((a) => a.id !== c.req.param("assignmentId"));
      return policy.assignments.length === before ? notFound(c) : c.body(null, 204);
    });
  }

  registerAppTargetingRoutes(app, { find, notFound, contextOf, paged });
  registerOmaPlainTextRoute(app, state);
  registerAdmxRoutes(app, state);
  registerEnrollmentRoutes(app, state);
  registerIntentRoutes(app, state);
  registerNotificationRoutes(app, state);

  app.get("/beta/deviceManagement/configurationPolicies/:id/settings", (c) => {
    const policy = find(c, "configurationPolicies");
    return policy
      ? paged(
          c,
          policy.settings,
          SETTINGS_PAGE,
          `/beta/$metadata#deviceManagement/configurationPolicies('${policy.body.id}')/settings`,
        )
      : notFound(c);
  });

  // ── Test surface: change a tenant's policies ───────────────────────────────────────────────
  const adminPolicies = (c: Context<EmulatorEnv>) => state.policies.get(c.req.param("tenantId")!.toLowerCase());
  app.get("/_emulator/tenants/:tenantId/policies", (c) => {
    const policies = adminPolicies(c);
    return policies
      ? c.json(
          [...policies.values()].map((p) => ({
            family: p.family,
            id: p.body.id,
            name: p.body.displayName ?? p.body.name,
            odataType: p.body["@odata.type"],
            templateFamily: (p.body.templateReference as { templateFamily?: string } | undefined)?.templateFamily,
          })),
        )
      : c.json({ error: "unknown tenant" }, 404);
  });
  app.patch("/_emulator/tenants/:tenantId/policies/:id", async (c) => {
    const policy = adminPolicies(c)?.get(c.req.param("id"));
    if (!policy) return c.json({ error: "not found" }, 404);
    const patch = (await c.req.json()) as Partial<
      Pick<EmulatedPolicy, "assignments" | "settings" | "brokenAssignments">
    > & { body?: Record<string, unknown>; refreshed?: Record<string, unknown> };
    // What Intune refreshes on its own (reports, counters): no administrator changed the object.
    if (patch.refreshed) policy.body = { ...policy.body, ...patch.refreshed, id: policy.body.id };
    if (patch.body)
      policy.body = {
        ...policy.body,
        ...patch.body,
        id: policy.body.id,
        lastModifiedDateTime: new Date().toISOString(),
      };
    if (patch.assignments) policy.assignments = patch.assignments;
    if (patch.settings) policy.settings = patch.settings;
    if (patch.brokenAssignments !== undefined) policy.brokenAssignments = patch.brokenAssignments;
    return c.json(policy);
  });
  app.delete("/_emulator/tenants/:tenantId/policies/:id", (c) =>
    adminPolicies(c)?.delete(c.req.param("id")) ? c.body(null, 204) : c.json({ error: "not found" }, 404),
  );
}
