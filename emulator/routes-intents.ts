import type { Context, Hono } from "hono";
import type { EmulatorEnv, EmulatorState } from "./app";
import { graphError } from "./graph-errors";
import type { EmulatedPolicy } from "./intune";
import { type EmulatedTemplate, settingInstance, TEMPLATES, templateView } from "./intune-intents";
import { paged } from "./routes-intune";

/**
 * An intent's settings and the templates intents are made from (beta), as Microsoft's reference
 * documents them:
 * - `GET /intents/{id}/settings`: the intent's setting instances, paged (List deviceManagementSettingInstances,
 *   intune-deviceintent-devicemanagementsettinginstance-list);
 * - `POST /intents/{id}/updateSettings` with `settings` (intune-deviceintent-devicemanagementintent-updatesettings;
 *   204): each instance sets the setting of its `definitionId`;
 * - `GET /templates`, `GET /templates/{id}` (intune-deviceintent-devicemanagementtemplate-list/-get);
 * - `POST /templates/{id}/createInstance` with `displayName`, `description`, `settingsDelta`,
 *   `roleScopeTagIds` (intune-deviceintent-devicemanagementtemplate-createinstance; 200 with the intent).
 * A setting whose definition is not the template's is refused, as is a deprecated template ("Intents
 * cannot be created from a deprecated template": deviceManagementTemplate.isDeprecated). The texts of
 * these refusals and the page sizes are the emulator's: Microsoft publishes neither.
 */
const SETTINGS_PAGE = 10;
const TEMPLATES_PAGE = 10;
const CREATE_PARAMETERS = ["displayName", "description", "settingsDelta", "roleScopeTagIds"];
const INTENTS = "/beta/deviceManagement/intents/:id";
const byId = new Map(TEMPLATES.map((t) => [t.id, t]));

/** The instances as the intent stores them, or the reason Graph refuses them. */
function instancesFor(
  template: EmulatedTemplate,
  settings: unknown,
): { instances: Record<string, unknown>[] } | { problem: string } {
  if (!Array.isArray(settings)) return { problem: "The settings are required." };
  const definitions = new Map(template.definitions.map((d) => [d.id, d]));
  const instances: Record<string, unknown>[] = [];
  for (const s of settings as Record<string, unknown>[]) {
    const definition = typeof s?.definitionId === "string" ? definitions.get(s.definitionId) : undefined;
    if (!definition) return { problem: `Setting definition '${String(s?.definitionId)}' is not in the template.` };
    let value: unknown;
    try {
      value = typeof s.valueJson === "string" ? JSON.parse(s.valueJson) : s.value;
    } catch {
      return { problem: `The valueJson of '${definition.id}' is not JSON.` };
    }
    instances.push(settingInstance(definition, { id: crypto.randomUUID(), value }));
  }
  return { instances };
}

export function registerIntentRoutes(app: Hono<EmulatorEnv>, state: EmulatorState) {
  const intent = (c: Context<EmulatorEnv>): EmulatedPolicy | undefined => {
    const policy = state.policies.get(c.get("tenant").tenantId)!.get(c.req.param("id")!);
    return policy?.family === "intents" ? policy : undefined;
  };
  const notFound = (c: Context<EmulatorEnv>) => graphError(c, 404, "ResourceNotFound", "Resource not found.");
  const origin = (c: Context<EmulatorEnv>) => new URL(c.req.url).origin;

  app.get(`${INTENTS}/settings`, (c) => {
    const policy = intent(c);
    return policy
      ? paged(
          c,
          policy.settings,
          SETTINGS_PAGE,
          `/beta/$metadata#deviceManagement/intents('${policy.body.id}')/settings`,
        )
      : notFound(c);
  });

  app.post(`${INTENTS}/updateSettings`, async (c) => {
    const policy = intent(c);
    const template = policy ? byId.get(String(policy.body.templateId)) : undefined;
    if (!policy || !template) return notFound(c);
    const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
    const unknown = Object.keys(body ?? {}).find((k) => k !== "settings");
    if (!body || unknown)
      return graphError(
        c,
        400,
        "BadRequest",
        `The parameter '${unknown ?? "settings"}' in the request payload is not a valid parameter for the operation 'updateSettings'.`,
      );
    const result = instancesFor(template, body.settings);
    if ("problem" in result) return graphError(c, 400, "BadRequest", result.problem);
    // Each sent instance replaces the intent's instance of its definition; the others stay.
    const sent = new Map(result.instances.map((s) => [s.definitionId, s]));
    const kept = policy.settings.map((s) => sent.get(s.definitionId) ?? s);
    const added = result.instances.filter((s) => !policy.settings.some((p) => p.definitionId === s.definitionId));
    policy.settings = [...kept, ...added];
    policy.body.lastModifiedDateTime = new Date().toISOString();
    return c.body(null, 204);
  });

  app.get("/beta/deviceManagement/templates", (c) =>
    paged(c, TEMPLATES.map(templateView), TEMPLATES_PAGE, "/beta/$metadata#deviceManagement/templates"),
  );
  app.get("/beta/deviceManagement/templates/:templateId", (c) => {
    const template = byId.get(c.req.param("templateId"));
    return template
      ? c.json({
          "@odata.context": `${origin(c)}/beta/$metadata#deviceManagement/templates/$entity`,
          ...templateView(template),
        })
      : notFound(c);
  });

  app.post("/beta/deviceManagement/templates/:templateId/createInstance", async (c) => {
    const template = byId.get(c.req.param("templateId"));
    if (!template) return notFound(c);
    if (template.isDeprecated)
      return graphError(c, 400, "BadRequest", "Intents cannot be created from a deprecated template.");
    const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
    if (!body) return graphError(c, 400, "BadRequest", "The request body is not valid JSON.");
    const unknown = Object.keys(body).find((k) => !CREATE_PARAMETERS.includes(k));
    if (unknown)
      return graphError(
        c,
        400,
        "BadRequest",
        `The parameter '${unknown}' in the request payload is not a valid parameter for the operation 'createInstance'.`,
      );
    if (typeof body.displayName !== "string" || !body.displayName)
      return graphError(c, 400, "BadRequest", "The displayName is required.");
    const result = instancesFor(template, body.settingsDelta ?? []);
    if ("problem" in result) return graphError(c, 400, "BadRequest", result.problem);
    const created: EmulatedPolicy = {
      family: "intents",
      body: {
        "@odata.type": "#microsoft.graph.deviceManagementIntent",
        id: crypto.randomUUID(),
        displayName: body.displayName,
        description: typeof body.description === "string" ? body.description : null,
        isAssigned: false,
        isMigratingToConfigurationPolicy: false,
        lastModifiedDateTime: new Date().toISOString(),
        templateId: template.id,
        roleScopeTagIds: Array.isArray(body.roleScopeTagIds) ? body.roleScopeTagIds : ["0"],
      },
      settings: result.instances,
      assignments: [],
    };
    state.policies.get(c.get("tenant").tenantId)!.set(created.body.id, created);
    return c.json({
      "@odata.context": `${origin(c)}/beta/$metadata#deviceManagement/intents/$entity`,
      ...created.body,
    });
  });
}
