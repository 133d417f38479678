import type { Context, Hono } from "hono";
import type { EmulatorEnv, EmulatorState } from "./app";
import { graphError } from "./graph-errors";
import type { EmulatedPolicy } from "./intune";
import {
  BUILT_IN_DEFINITIONS,
  definitionView,
  type EmulatedDefinition,
  type EmulatedDefinitionValue,
  type EmulatedPresentationValue,
  ingestedDefinitions,
  ingestionTypeOf,
  presentationView,
} from "./intune-admx";
import { paged } from "./routes-intune";

/**
 * An administrative template's values (beta): `/definitionValues` and each value's
 * `/presentationValues`, paged and expanded only when asked (`$expand=definition`,
 * `$expand=presentation`, as IntuneCD and IntuneManagement read them), and `updateDefinitionValues`
 * (microsoft-graph-docs, grouppolicyconfiguration-updatedefinitionvalues: `added`, `updated`,
 * `deletedIds`; 204) binding each added value to a definition with `definition@odata.bind` and each
 * presentation value to one of that definition's presentations with `presentation@odata.bind`.
 * Page sizes are the emulator's choice: Microsoft publishes none for these.
 */
const VALUES_PAGE = 10;
const BASE = "/beta/deviceManagement/groupPolicyConfigurations/:id";
/** What an added value may carry: its writable properties (metadata), its type and its bindings. */
const VALUE_KEYS = new Set([
  "@odata.type",
  "enabled",
  "configurationType",
  "definition@odata.bind",
  "presentationValues",
]);
const PRESENTATION_VALUE_KEYS = new Set(["@odata.type", "value", "values", "presentation@odata.bind"]);
const PRESENTATION_VALUE_TYPES = new Set(
  ["Boolean", "Decimal", "List", "LongDecimal", "MultiText", "Text"].map(
    (t) => `#microsoft.graph.groupPolicyPresentationValue${t}`,
  ),
);

const expands = (c: Context<EmulatorEnv>, name: string) =>
  (c.req.query("$expand") ?? "").split(",").some((e) => e.trim() === name);
/** The id in a bind URL: `…/groupPolicyDefinitions('{id}')` or `…/groupPolicyDefinitions/{id}`, last segment wins. */
const boundId = (bind: unknown, segment: string) => {
  const match =
    typeof bind === "string" ? new RegExp(`${segment}(?:\\('([^']+)'\\)|/([^/?]+))(?:[/?]|$)`).exec(bind) : null;
  return match ? (match[1] ?? match[2]) : undefined;
};

export function registerAdmxRoutes(app: Hono<EmulatorEnv>, state: EmulatorState) {
  const definitionsOf = (c: Context<EmulatorEnv>) =>
    new Map([...BUILT_IN_DEFINITIONS, ...ingestedDefinitions(c.get("tenant").key)].map((d) => [d.id, d]));
  const configuration = (c: Context<EmulatorEnv>): EmulatedPolicy | undefined => {
    const policy = state.policies.get(c.get("tenant").tenantId)!.get(c.req.param("id")!);
    return policy?.family === "groupPolicyConfigurations" ? policy : undefined;
  };
  const notFound = (c: Context<EmulatorEnv>) => graphError(c, 404, "ResourceNotFound", "Resource not found.");
  const origin = (c: Context<EmulatorEnv>) => new URL(c.req.url).origin;

  const valueView = (
    c: Context<EmulatorEnv>,
    v: EmulatedDefinitionValue,
    definitions: Map<string, EmulatedDefinition>,
  ) => {
    // The value's own properties; its definition and presentation values are navigations.
    const rest = {
      id: v.id,
      enabled: v.enabled,
      configurationType: v.configurationType,
      createdDateTime: v.createdDateTime,
      lastModifiedDateTime: v.lastModifiedDateTime,
    };
    const def = definitions.get(v.definitionId);
    return expands(c, "definition") && def ? { ...rest, definition: definitionView(def) } : rest;
  };

  app.get(`${BASE}/definitionValues`, (c) => {
    const policy = configuration(c);
    if (!policy) return notFound(c);
    const definitions = definitionsOf(c);
    return paged(
      c,
      (policy.definitionValues ?? []).map((v) => valueView(c, v, definitions)),
      VALUES_PAGE,
      `/beta/$metadata#deviceManagement/groupPolicyConfigurations('${policy.body.id}')/definitionValues`,
    );
  });

  app.get(`${BASE}/definitionValues/:valueId/presentationValues`, (c) => {
    const policy = configuration(c);
    const value = policy?.definitionValues?.find((v) => v.id === c.req.param("valueId"));
    if (!policy || !value) return notFound(c);
    const presentations = new Map(
      definitionsOf(c)
        .get(value.definitionId)
        ?.presentations.map((p) => [p.id, p]) ?? [],
    );
    return paged(
      c,
      value.presentationValues.map(({ presentationId, ...rest }) => {
        const presentation = presentations.get(presentationId);
        return expands(c, "presentation") && presentation
          ? { ...rest, presentation: presentationView(presentation) }
          : rest;
      }),
      VALUES_PAGE,
      `/beta/$metadata#deviceManagement/groupPolicyConfigurations('${policy.body.id}')/definitionValues('${value.id}')/presentationValues`,
    );
  });

  app.post(`${BASE}/updateDefinitionValues`, async (c) => {
    const policy = configuration(c);
    if (!policy) return notFound(c);
    const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
    if (!body) return graphError(c, 400, "BadRequest", "The request body is not valid JSON.");
    const unknown = Object.keys(body).find((k) => !["added", "updated", "deletedIds"].includes(k));
    if (unknown)
      return graphError(
        c,
        400,
        "BadRequest",
        `The parameter '${unknown}' in the request payload is not a valid parameter for the operation 'updateDefinitionValues'.`,
      );
    const definitions = definitionsOf(c);
    const added: EmulatedDefinitionValue[] = [];
    const now = new Date().toISOString();
    for (const raw of (body.added ?? []) as Record<string, unknown>[]) {
      const extra = Object.keys(raw).find((k) => !VALUE_KEYS.has(k));
      if (extra)
        return graphError(c, 400, "BadRequest", `Property '${extra}' is read-only or unknown on a definition value.`);
      const def = definitions.get(boundId(raw["definition@odata.bind"], "groupPolicyDefinitions") ?? "");
      if (!def)
        return graphError(
          c,
          400,
          "BadRequest",
          "A definition value must be bound to a group policy definition of this tenant.",
        );
      const presentationValues: EmulatedPresentationValue[] = [];
      for (const pv of (raw.presentationValues ?? []) as Record<string, unknown>[]) {
        const extraPv = Object.keys(pv).find((k) => !PRESENTATION_VALUE_KEYS.has(k));
        if (extraPv)
          return graphError(
            c,
            400,
            "BadRequest",
            `Property '${extraPv}' is read-only or unknown on a presentation value.`,
          );
        const presentation = def.presentations.find(
          (p) => p.id === boundId(pv["presentation@odata.bind"], "presentations"),
        );
        if (!presentation || !PRESENTATION_VALUE_TYPES.has(String(pv["@odata.type"])))
          return graphError(
            c,
            400,
            "BadRequest",
            "A presentation value must name its type and a presentation of its definition.",
          );
        presentationValues.push({
          "@odata.type": pv["@odata.type"],
          id: crypto.randomUUID(),
          ...("values" in pv ? { values: pv.values } : { value: pv.value }),
          createdDateTime: now,
          lastModifiedDateTime: now,
          presentationId: presentation.id,
        });
      }
      added.push({
        id: crypto.randomUUID(),
        enabled: raw.enabled === true,
        configurationType: raw.configurationType === "preference" ? "preference" : "policy",
        createdDateTime: now,
        lastModifiedDateTime: now,
        definitionId: def.id,
        presentationValues,
      });
    }
    const deleted = new Set(((body.deletedIds ?? []) as unknown[]).map(String));
    const values = [...(policy.definitionValues ?? []).filter((v) => !deleted.has(v.id)), ...added];
    for (const raw of (body.updated ?? []) as Record<string, unknown>[]) {
      const value = values.find((v) => v.id === raw.id);
      if (!value)
        return graphError(
          c,
          400,
          "BadRequest",
          `Definition value '${String(raw.id)}' is not part of this configuration.`,
        );
      if (typeof raw.enabled === "boolean") value.enabled = raw.enabled;
      value.lastModifiedDateTime = now;
    }
    policy.definitionValues = values;
    policy.body = {
      ...policy.body,
      policyConfigurationIngestionType: ingestionTypeOf(values, definitions),
      lastModifiedDateTime: now,
    };
    return c.body(null, 204);
  });

  // The definitions themselves, for a client that looks one up (read-only here).
  app.get("/beta/deviceManagement/groupPolicyDefinitions/:defId", (c) => {
    const def = definitionsOf(c).get(c.req.param("defId"));
    return def
      ? c.json({
          "@odata.context": `${origin(c)}/beta/$metadata#deviceManagement/groupPolicyDefinitions/$entity`,
          ...definitionView(def),
        })
      : notFound(c);
  });
  app.get("/beta/deviceManagement/groupPolicyDefinitions/:defId/presentations", (c) => {
    const def = definitionsOf(c).get(c.req.param("defId"));
    return def
      ? c.json({
          "@odata.context": `${origin(c)}/beta/$metadata#deviceManagement/groupPolicyDefinitions('${def.id}')/presentations`,
          value: def.presentations.map(presentationView),
        })
      : notFound(c);
  });
}
