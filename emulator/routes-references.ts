import type { Context, Hono } from "hono";
import type { EmulatorEnv, EmulatorState } from "./app";
import { graphError } from "./graph-errors";
import { unknownProperty, unknownPropertyError } from "./model-validation";
import type { EmulatedFilter, EmulatedScopeTag } from "./references";

/**
 * `/beta/deviceManagement/assignmentFilters` and `/beta/deviceManagement/roleScopeTags`: list (100 a
 * page, `$top` honoured, `@odata.nextLink` with a skip token), get by id, create, update (PATCH) and
 * delete, as each type's reference page lists its methods. Beta only, as both types are documented
 * (v1.0 answers the unknown segment). Read-only properties (`id`, timestamps, `isBuiltIn`) and
 * properties the type does not define are refused on create and update. The built-in Default tag
 * cannot be changed or deleted. A filter has no `assignments` navigation (the segment is unknown);
 * a tag's auto-assignments are not emulated. Sources: docs/graph-fidelity.md.
 */
const PAGE = 100;
const FILTER_WRITABLE = [
  "displayName",
  "description",
  "platform",
  "rule",
  "assignmentFilterManagementType",
  "roleScopeTags",
  "payloads",
];
const TAG_WRITABLE = ["displayName", "description"];
const READ_ONLY = ["id", "createdDateTime", "lastModifiedDateTime", "isBuiltIn"];

const encode = (o: number) => Buffer.from(JSON.stringify({ o })).toString("base64url");
const offsetOf = (token: string | undefined) => {
  try {
    return token ? Number((JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o: number }).o) || 0 : 0;
  } catch {
    return 0;
  }
};

const contextOf = (c: Context<EmulatorEnv>, name: string, suffix = "") =>
  `${new URL(c.req.url).origin}/beta/$metadata#deviceManagement/${name}${suffix}`;
const entityOf = (type: string, item: object) => ({ "@odata.type": `#microsoft.graph.${type}`, ...item });

export function registerReferenceRoutes(app: Hono<EmulatorEnv>, state: EmulatorState) {
  const referencesOf = (c: Context<EmulatorEnv>) => state.references.get(c.get("tenant").tenantId)!;
  const collections = {
    assignmentFilters: {
      type: "deviceAndAppManagementAssignmentFilter",
      items: (c: Context<EmulatorEnv>) => referencesOf(c).filters,
      writable: FILTER_WRITABLE,
      create: (_c: Context<EmulatorEnv>, body: Record<string, unknown>): EmulatedFilter => {
        const now = new Date().toISOString();
        return {
          id: crypto.randomUUID(),
          createdDateTime: now,
          lastModifiedDateTime: now,
          displayName: String(body.displayName),
          description: typeof body.description === "string" ? body.description : null,
          platform: typeof body.platform === "string" ? body.platform : "unknown",
          rule: typeof body.rule === "string" ? body.rule : "",
          assignmentFilterManagementType: body.assignmentFilterManagementType === "apps" ? "apps" : "devices",
          roleScopeTags: Array.isArray(body.roleScopeTags) ? body.roleScopeTags.map(String) : ["0"],
          payloads: [],
        };
      },
    },
    roleScopeTags: {
      type: "roleScopeTag",
      items: (c: Context<EmulatorEnv>) => referencesOf(c).scopeTags,
      writable: TAG_WRITABLE,
      create: (c: Context<EmulatorEnv>, body: Record<string, unknown>): EmulatedScopeTag => {
        // The next free number of this tenant (ids are small integers as strings).
        const ids = referencesOf(c).scopeTags.map((t) => Number(t.id));
        return {
          id: String(Math.max(0, ...ids) + 1),
          displayName: String(body.displayName),
          description: typeof body.description === "string" ? body.description : null,
          isBuiltIn: false,
        };
      },
    },
  } as const;

  for (const [name, collection] of Object.entries(collections)) {
    const path = `/beta/deviceManagement/${name}`;
    const context = (c: Context<EmulatorEnv>, suffix = "") => contextOf(c, name, suffix);
    const entity = (item: object) => entityOf(collection.type, item);

    app.get(`/v1.0/deviceManagement/${name}`, (c) =>
      graphError(c, 400, "BadRequest", `Resource not found for the segment '${name}'.`),
    );
    app.get(path, (c) => {
      const top = Number(c.req.query("$top") ?? PAGE);
      if (!Number.isInteger(top) || top < 1)
        return graphError(c, 400, "BadRequest", `Invalid value for $top: '${c.req.query("$top")}'.`);
      const offset = offsetOf(c.req.query("$skiptoken"));
      const items = collection.items(c);
      const url = new URL(c.req.url);
      const body: Record<string, unknown> = {
        "@odata.context": context(c),
        value: items.slice(offset, offset + top).map(entity),
      };
      if (offset + top < items.length)
        body["@odata.nextLink"] = `${url.origin}${url.pathname}?$top=${top}&$skiptoken=${encode(offset + top)}`;
      return c.json(body);
    });
    app.get(`${path}/:id`, (c) => {
      const item = (collection.items(c) as { id: string }[]).find((i) => i.id === c.req.param("id"));
      return item
        ? c.json({ "@odata.context": context(c, "/$entity"), ...entity(item) })
        : graphError(c, 404, "ResourceNotFound", `{"_version": 3, "Message": "Resource not found"}`);
    });
    app.post(path, async (c) => {
      const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
      if (!body || typeof body !== "object")
        return graphError(c, 400, "BadRequest", "The request body is not valid JSON.");
      const stray = unknownProperty(body, { properties: collection.writable, navigation: [] });
      if (stray) return unknownPropertyError(c, { property: stray, type: collection.type });
      if (typeof body.displayName !== "string" || !body.displayName.trim())
        return graphError(c, 400, "BadRequest", "displayName is required.");
      const created = collection.create(c, body);
      (collection.items(c) as object[]).push(created);
      return c.json({ "@odata.context": context(c, "/$entity"), ...entity(created) }, 201);
    });
  }

  for (const [name, collection] of Object.entries(collections)) {
    const path = `/beta/deviceManagement/${name}/:id`;
    const find = (c: Context<EmulatorEnv>) => {
      const items = collection.items(c) as (Record<string, unknown> & { id: string })[];
      return { items, item: items.find((i) => i.id === c.req.param("id")) };
    };
    const notFound = (c: Context<EmulatorEnv>) =>
      graphError(c, 404, "ResourceNotFound", `{"_version": 3, "Message": "Resource not found"}`);
    const builtIn = (c: Context<EmulatorEnv>) =>
      graphError(c, 400, "BadRequest", "The built-in scope tag cannot be changed or deleted.");
    app.patch(path, async (c) => {
      const { item } = find(c);
      if (!item) return notFound(c);
      if (item.isBuiltIn === true) return builtIn(c);
      const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
      if (!body || typeof body !== "object")
        return graphError(c, 400, "BadRequest", "The request body is not valid JSON.");
      const readOnly = Object.keys(body).find((key) => READ_ONLY.includes(key));
      if (readOnly) return graphError(c, 400, "BadRequest", `${readOnly} invalid for update.`);
      const stray = unknownProperty(body, { properties: collection.writable, navigation: [] });
      if (stray) return unknownPropertyError(c, { property: stray, type: collection.type });
      for (const key of collection.writable) if (key in body) item[key] = body[key];
      if ("lastModifiedDateTime" in item) item.lastModifiedDateTime = new Date().toISOString();
      // The update pages answer 200 with the object.
      return c.json({ "@odata.context": contextOf(c, name, "/$entity"), ...entityOf(collection.type, item) });
    });
    app.delete(path, (c) => {
      const { items, item } = find(c);
      if (!item) return notFound(c);
      if (item.isBuiltIn === true) return builtIn(c);
      items.splice(items.indexOf(item), 1);
      return c.body(null, 204);
    });
  }
  // A filter has no navigation of that name (beta typings: deviceAndAppManagementAssignmentFilter).
  app.get("/beta/deviceManagement/assignmentFilters/:id/assignments", (c) =>
    graphError(c, 400, "BadRequest", "Resource not found for the segment 'assignments'."),
  );

  // Test surface: what the tenant holds now (tests count what a sync should find).
  app.get("/_emulator/tenants/:tenantId/references", (c) => {
    const refs = state.references.get(c.req.param("tenantId"));
    return refs ? c.json(refs) : c.json({ error: "no such tenant" }, 404);
  });

  // Test surface: rename a filter or scope tag in place (what an admin does in the portal).
  app.patch("/_emulator/tenants/:tenantId/references/:kind/:id", async (c) => {
    const refs = state.references.get(c.req.param("tenantId"));
    const kind = c.req.param("kind");
    const list: { id: string; displayName: string }[] | undefined =
      kind === "assignmentFilters" ? refs?.filters : kind === "roleScopeTags" ? refs?.scopeTags : undefined;
    const item = list?.find((i) => i.id === c.req.param("id"));
    if (!item) return c.json({ error: "no such object" }, 404);
    const body = (await c.req.json().catch(() => ({}))) as { displayName?: unknown };
    if (typeof body.displayName === "string") item.displayName = body.displayName;
    return c.json(item);
  });
}
