import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { entraGroups, intuneRoleAssignments, intuneRoleDefinitions, operationRuns } from "@/db/schema";
import { ForbiddenError, InputError } from "@/lib/errors";
import { searchGroupsAsUser } from "@/lib/graph/delegated-group-search";
import { startOperation } from "@/lib/operations/start";
import { listRoleAssignments } from "@/lib/rbac/roles";
import {
  actor,
  addMember,
  createUser,
  emulatedTenantFixture,
  emulatorAdmin,
  emulatorAppToken,
  emulatorUrl,
  graphConfig,
  openHarness,
  waitForCompletion,
} from "./support/harness";
import { claimEmulatedTenant } from "./support/tenants";

let h: Awaited<ReturnType<typeof openHarness>>;
const alpine = claimEmulatedTenant(import.meta.url);
let owner: { id: string; name: string };
let tenantId: string;

async function run(type: string, inputs: unknown = {}) {
  const { run } = await startOperation(h.deps, { actor: actor(owner), tenantId, type, inputs });
  return waitForCompletion(h.db, run.id, 60_000);
}
type Counter = { routes: Record<string, number>; callers: Record<string, { app: number; user: number }> };
const requests = async () => (await (await emulatorAdmin("/requests")).json()) as Counter;

/** A Graph request to the emulator as the tenant's app (what a real tenant would answer). */
async function graphAsApp(method: string, path: string, body?: unknown): Promise<Response> {
  const { createHttpFetch } = await import("@/lib/graph/transport");
  return createHttpFetch(graphConfig.caFile)(`${emulatorUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${await emulatorAppToken(alpine)}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
type GraphAssignment = Record<string, unknown> & {
  id: string;
  displayName: string;
  members: string[];
  resourceScopes: string[];
  scopeMembers?: string[];
  roleDefinition?: { id: string; displayName?: string };
};
const listAssignments = async (query = "", version = "beta") =>
  (
    (await (await graphAsApp("GET", `/${version}/deviceManagement/roleAssignments${query}`)).json()) as {
      value: GraphAssignment[];
    }
  ).value;
const PORTAL_ASSIGNMENT = "Service desk (portal)";

/** A delegated token for Adele of this tenant, the way the console gets one: code + PKCE at the emulator. */
async function adeleToken(): Promise<string> {
  const { createHttpFetch } = await import("@/lib/graph/transport");
  const http = createHttpFetch(graphConfig.caFile);
  const app = alpine.apps[0]!;
  const verifier = "v".repeat(50);
  const challenge = Buffer.from(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))).toString(
    "base64url",
  );
  const redirect = "http://localhost/callback";
  const authorize = new URL(`${emulatorUrl}/${alpine.tenantId}/oauth2/v2.0/authorize`);
  const params = {
    client_id: app.clientId,
    response_type: "code",
    redirect_uri: redirect,
    scope: `openid offline_access ${emulatorUrl}/GroupMember.Read.All`,
    state: "s",
    code_challenge: challenge,
    code_challenge_method: "S256",
  };
  for (const [k, v] of Object.entries(params)) authorize.searchParams.set(k, v);
  const chosen = await http(authorize.toString(), {
    method: "POST",
    body: new URLSearchParams({ ...params, user: alpine.users[0]!.id }),
    redirect: "manual",
  });
  const code = new URL(chosen.headers.get("location")!).searchParams.get("code")!;
  const token = await http(`${emulatorUrl}/${alpine.tenantId}/oauth2/v2.0/token`, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirect,
      client_id: app.clientId,
      client_secret: app.clientSecret,
      code_verifier: verifier,
    }),
  });
  return ((await token.json()) as { access_token: string }).access_token;
}

beforeAll(async () => {
  h = await openHarness();
  await h.startWorker();
  ({ owner, tenantId } = await emulatedTenantFixture(h.db, alpine, "RBAC owner"));
  expect((await run("directory_groups.sync")).outcome).toBe("succeeded");
});
afterAll(async () => {
  await h.close();
});

describe("Intune RBAC", () => {
  it("rbac_roles.sync caches the tenant's role definitions and assignments", async () => {
    const done = await run("rbac_roles.sync");
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { roles: 5 } });
    const roles = await h.db.select().from(intuneRoleDefinitions).where(eq(intuneRoleDefinitions.tenantId, tenantId));
    expect(roles.map((r) => r.displayName)).toContain("Policy and Profile manager");
  });

  it("a sync records each assignment's role, read through its roleDefinition (Graph has no roleDefinitionId)", async () => {
    await run("rbac_roles.sync");
    const inIntune = await listAssignments("?$expand=roleDefinition");
    expect(inIntune.length).toBeGreaterThanOrEqual(2);
    const listed = await listRoleAssignments(h.db, tenantId);
    for (const a of inIntune) {
      const row = listed.find((r) => r.assignment.id === a.id);
      expect(row?.assignment.roleDefinitionId, a.displayName).toBe(a.roleDefinition!.id);
      expect(row?.roleName, a.displayName).toBe(a.roleDefinition!.displayName);
    }
  });

  it("a portal-made assignment with only resourceScopes shows its scope groups", async () => {
    const [portal] = (await listAssignments()).filter((a) => a.displayName === PORTAL_ASSIGNMENT);
    expect(portal!.resourceScopes.length).toBe(2);
    expect(portal!.scopeMembers).toEqual([]);
    await run("rbac_roles.sync");
    const [row] = await h.db.select().from(intuneRoleAssignments).where(eq(intuneRoleAssignments.id, portal!.id));
    const names = await h.db.select().from(entraGroups).where(eq(entraGroups.tenantId, tenantId));
    expect(row!.scopeMembers).toEqual(
      portal!.resourceScopes.map((id) => ({ id, name: names.find((g) => g.id === id)!.displayName })),
    );
  });

  it("group search runs as the user: their token, ConsistencyLevel eventual, paged", async () => {
    const token = await adeleToken();
    const before = await requests();
    const first = await searchGroupsAsUser(graphConfig, { accessToken: token, q: "Finance" });
    if ("error" in first) throw new Error(first.error);
    expect(first.groups.length).toBe(20);
    expect(first.groups.every((g) => g.displayName.includes("Finance"))).toBe(true);
    expect(first.next).toBeTruthy();
    const second = await searchGroupsAsUser(graphConfig, { accessToken: token, q: "Finance", after: first.next! });
    if ("error" in second) throw new Error(second.error);
    expect(second.groups[0]!.id).not.toBe(first.groups[0]!.id);
    const after = await requests();
    const route = "GET /v1.0/groups";
    expect(after.callers[route]!.user - (before.callers[route]?.user ?? 0)).toBe(2);
    expect(after.callers[route]!.app - (before.callers[route]?.app ?? 0)).toBe(0);
    // A next link pointing anywhere else is not followed with the user's token.
    expect(
      await searchGroupsAsUser(graphConfig, {
        accessToken: token,
        q: "Finance",
        after: "https://evil.example/v1.0/groups?x",
      }),
    ).toEqual({
      error: expect.stringMatching(/not valid/),
    });
    // A token the directory does not accept is an error for the user, not a crash.
    expect(await searchGroupsAsUser(graphConfig, { accessToken: "not-a-token", q: "Finance" })).toEqual({
      error: expect.stringMatching(/refused the search \(401\)/),
    });
  });

  it("rbac.assign creates the assignment with the app-only client and records its id", async () => {
    const [role] = await h.db
      .select()
      .from(intuneRoleDefinitions)
      .where(eq(intuneRoleDefinitions.tenantId, tenantId))
      .limit(1);
    const groups = await h.db.select().from(entraGroups).where(eq(entraGroups.tenantId, tenantId)).limit(3);
    const members = [{ id: groups[0]!.id, name: groups[0]!.displayName }];
    const scopes = [
      { id: groups[1]!.id, name: groups[1]!.displayName },
      { id: groups[2]!.id, name: groups[2]!.displayName },
    ];
    const before = await requests();
    const done = await run("rbac.assign", {
      roleDefinitionId: role!.id,
      displayName: "Helpdesk Finance",
      members,
      scopes,
    });
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { created: 1 } });
    const after = await requests();
    const post = "POST /beta/deviceManagement/roleAssignments";
    expect(after.callers[post]!.app - (before.callers[post]?.app ?? 0)).toBe(1);

    const [recorded] = await h.db.select().from(intuneRoleAssignments).where(eq(intuneRoleAssignments.runId, done.id));
    expect(recorded).toMatchObject({
      tenantId,
      displayName: "Helpdesk Finance",
      roleDefinitionId: role!.id,
      members,
      scopeMembers: scopes,
    });
    // Intune has it, under the id the console recorded, bound to the chosen role, its scope
    // groups in resourceScopes (as the portal writes them).
    const inIntune = (await listAssignments("?$expand=roleDefinition")).find((a) => a.id === recorded!.id);
    expect(inIntune).toMatchObject({
      roleDefinition: { id: role!.id },
      members: [members[0]!.id],
      resourceScopes: scopes.map((s) => s.id),
    });

    // A later sync keeps which run made it, and its role.
    await run("rbac_roles.sync");
    const [still] = await h.db.select().from(intuneRoleAssignments).where(eq(intuneRoleAssignments.id, recorded!.id));
    expect(still).toMatchObject({ runId: done.id, roleDefinitionId: role!.id, scopeMembers: scopes });
  });

  it("refuses a group id the tenant's directory cache does not have, and names groups from the cache, not the form", async () => {
    const [role] = await h.db
      .select()
      .from(intuneRoleDefinitions)
      .where(eq(intuneRoleDefinitions.tenantId, tenantId))
      .limit(1);
    const [cached] = await h.db.select().from(entraGroups).where(eq(entraGroups.tenantId, tenantId)).limit(1);
    const unknown = crypto.randomUUID();
    const start = (members: { id: string; name: string }[]) =>
      startOperation(h.deps, {
        actor: actor(owner),
        tenantId,
        type: "rbac.assign",
        inputs: { roleDefinitionId: role!.id, displayName: "Crafted", members },
      });
    // Giving an Intune role is an owner's decision.
    const operator = await createUser(h.db, "Operator");
    await addMember(h.db, { userId: operator.id, tenantId, role: "operator" });
    await expect(
      startOperation(h.deps, {
        actor: actor(operator),
        tenantId,
        type: "rbac.assign",
        inputs: { roleDefinitionId: role!.id, displayName: "Crafted", members: [{ id: cached!.id, name: "x" }] },
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(start([{ id: unknown, name: "Looks harmless" }])).rejects.toMatchObject({
      fieldErrors: { members: [`No group ${unknown} in this tenant.`] },
    });
    const { run: started } = await start([{ id: cached!.id, name: "Domain Admins (trust me)" }]);
    expect(started.inputs).toMatchObject({ members: [{ id: cached!.id, name: cached!.displayName }] });
    await waitForCompletion(h.db, started.id, 60_000);
  });

  it("a group deleted in Entra ID since the cache saw it fails the run with Graph's reason, without retrying", async () => {
    const [role] = await h.db
      .select()
      .from(intuneRoleDefinitions)
      .where(eq(intuneRoleDefinitions.tenantId, tenantId))
      .limit(1);
    // A stale cache: the group is listed there, Graph no longer has it.
    const ghost = { id: crypto.randomUUID(), name: "Ghost group" };
    await h.db.insert(entraGroups).values({ tenantId, id: ghost.id, displayName: ghost.name });
    const done = await run("rbac.assign", { roleDefinitionId: role!.id, displayName: "Ghost", members: [ghost] });
    expect(done).toMatchObject({ outcome: "failed", attempt: 1 });
    expect(done.attemptErrors).toHaveLength(1);
    expect(done.failures).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/does not exist in this tenant/) }),
    ]);
  });

  it("refuses a role that is not cached, missing members and tampered fields, writing nothing", async () => {
    const runs = async () =>
      (
        await h.db
          .select({ n: sql<number>`count(*)::int` })
          .from(operationRuns)
          .where(eq(operationRuns.tenantId, tenantId))
      )[0]!.n;
    const before = await runs();
    const group = { id: crypto.randomUUID(), name: "G" };
    const start = (inputs: unknown) =>
      startOperation(h.deps, { actor: actor(owner), tenantId, type: "rbac.assign", inputs });
    await expect(start({ roleDefinitionId: crypto.randomUUID(), displayName: "X", members: [group] })).rejects.toThrow(
      /not one of this tenant's role definitions/,
    );
    const [role] = await h.db
      .select()
      .from(intuneRoleDefinitions)
      .where(eq(intuneRoleDefinitions.tenantId, tenantId))
      .limit(1);
    await expect(start({ roleDefinitionId: role!.id, displayName: "X", members: [] })).rejects.toBeInstanceOf(
      InputError,
    );
    await expect(
      start({ roleDefinitionId: role!.id, displayName: "X", members: [{ id: "not-a-guid", name: "G" }] }),
    ).rejects.toBeInstanceOf(InputError);
    await expect(start({ roleDefinitionId: role!.id, displayName: "", members: [group] })).rejects.toBeInstanceOf(
      InputError,
    );
    await expect(
      start({ roleDefinitionId: role!.id, displayName: "X", members: [group], extra: true }),
    ).rejects.toBeInstanceOf(InputError);
    expect(await runs()).toBe(before);
  });
});

describe("Graph emulator: Intune role assignments as Microsoft documents them", () => {
  it("lists assignments without a roleDefinitionId; the role only through $expand or the navigation", async () => {
    const plain = await listAssignments();
    expect(plain.length).toBeGreaterThanOrEqual(2);
    for (const a of plain) {
      expect(a).not.toHaveProperty("roleDefinitionId");
      expect(a).not.toHaveProperty("roleDefinition");
      expect(a["@odata.type"]).toBe("#microsoft.graph.deviceAndAppManagementRoleAssignment");
    }
    const portal = plain.find((a) => a.displayName === PORTAL_ASSIGNMENT)!;
    expect(portal).toMatchObject({ scopeType: "resourceScope", scopeMembers: [] });
    expect(plain.find((a) => a.scopeType === "allDevicesAndLicensedUsers")).toMatchObject({ resourceScopes: [] });

    const expanded = (await listAssignments("?$expand=roleDefinition")).find((a) => a.id === portal.id)!;
    expect(expanded.roleDefinition).toMatchObject({ id: expect.any(String), displayName: "Help Desk Operator" });
    const navigation = await graphAsApp("GET", `/beta/deviceManagement/roleAssignments/${portal.id}/roleDefinition`);
    expect(await navigation.json()).toMatchObject({ id: expanded.roleDefinition!.id });

    // v1.0 defines neither scopeMembers nor scopeType.
    const v1 = (await listAssignments("", "v1.0")).find((a) => a.id === portal.id)!;
    expect(Object.keys(v1).sort()).toEqual(
      ["@odata.type", "id", "displayName", "description", "resourceScopes", "members"].sort(),
    );
  });

  it("honours $select, also inside $expand, and refuses a property the type does not define", async () => {
    const one = await graphAsApp(
      "GET",
      "/beta/deviceManagement/roleAssignments?$select=id,displayName&$expand=roleDefinition($select=displayName)",
    );
    const [first] = ((await one.json()) as { value: Record<string, unknown>[] }).value;
    expect(Object.keys(first!).sort()).toEqual(["@odata.type", "displayName", "id", "roleDefinition"]);
    expect(Object.keys(first!.roleDefinition as object).sort()).toEqual(["@odata.type", "displayName"]);

    const selected = await graphAsApp("GET", "/beta/deviceManagement/roleAssignments?$select=roleDefinitionId");
    expect(selected.status).toBe(400);
    expect(((await selected.json()) as { error: { message: string } }).error.message).toBe(
      "Could not find a property named 'roleDefinitionId' on type 'microsoft.graph.deviceAndAppManagementRoleAssignment'.",
    );
  });

  it("refuses a create naming roleDefinitionId, a beta-only property on v1.0, or a bind to another Graph host", async () => {
    const [role] = await h.db
      .select()
      .from(intuneRoleDefinitions)
      .where(eq(intuneRoleDefinitions.tenantId, tenantId))
      .limit(1);
    const [group] = await h.db.select().from(entraGroups).where(eq(entraGroups.tenantId, tenantId)).limit(1);
    const body = {
      "@odata.type": "#microsoft.graph.deviceAndAppManagementRoleAssignment",
      displayName: "Refused",
      members: [group!.id],
      "roleDefinition@odata.bind": `${emulatorUrl}/beta/deviceManagement/roleDefinitions('${role!.id}')`,
    };
    const before = (await listAssignments()).length;

    const withId = await graphAsApp("POST", "/beta/deviceManagement/roleAssignments", {
      ...body,
      roleDefinitionId: role!.id,
    });
    expect(withId.status).toBe(400);
    expect(((await withId.json()) as { error: unknown }).error).toMatchObject({
      code: "ModelValidationFailure",
      message:
        "The property 'roleDefinitionId' does not exist on type 'microsoft.management.services.api.deviceAndAppManagementRoleAssignment'. Make sure to only use property names that are defined by the type.",
    });
    const scopeMembersOnV1 = await graphAsApp("POST", "/v1.0/deviceManagement/roleAssignments", {
      ...body,
      "roleDefinition@odata.bind": `${emulatorUrl}/v1.0/deviceManagement/roleDefinitions('${role!.id}')`,
      scopeMembers: [group!.id],
    });
    expect(scopeMembersOnV1.status).toBe(400);
    const globalHost = await graphAsApp("POST", "/beta/deviceManagement/roleAssignments", {
      ...body,
      "roleDefinition@odata.bind": `https://graph.microsoft.com/beta/deviceManagement/roleDefinitions('${role!.id}')`,
    });
    expect(globalHost.status).toBe(400);
    expect((await listAssignments()).length).toBe(before);
  });
});
