import { eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { tenants } from "@/db/schema";
import { delegatedScopes } from "@/lib/auth/microsoft-endpoints";
import { requestAppToken } from "@/lib/graph/identity";
import { createHttpFetch } from "@/lib/graph/transport";
import { startOperation } from "@/lib/operations/start";
import {
  actor,
  emulatedCredentials,
  emulatedTenantFixture,
  emulatorAdmin,
  emulatorAppToken,
  emulatorUrl,
  graphConfig,
  openHarness,
  waitForCompletion,
} from "./support/harness";
import { claimEmulatedTenant } from "./support/tenants";

/**
 * Permissions, checked: the emulator refuses what the token's roles do not allow, as Graph does,
 * and the console tells an operator which permission to grant for which operation.
 */
const http = createHttpFetch(graphConfig.caFile);
const margies = claimEmulatedTenant(import.meta.url);
const app = margies.apps[0]!;
const EVERYTHING_BUT_CONFIGURATION = [
  "Organization.Read.All",
  "GroupMember.Read.All",
  "DeviceManagementScripts.ReadWrite.All",
  "DeviceManagementServiceConfig.ReadWrite.All",
  "DeviceManagementApps.ReadWrite.All",
  "DeviceManagementRBAC.ReadWrite.All",
];
/** Graph then refuses every Intune object type (the RBAC permissions would let scope tags be listed). */
const NO_INTUNE_OBJECTS = ["Organization.Read.All", "GroupMember.Read.All"];

let h: Awaited<ReturnType<typeof openHarness>>;
let owner: { id: string; name: string };
let tenantId: string;
beforeAll(async () => {
  h = await openHarness();
  await h.startWorker();
  ({ owner, tenantId } = await emulatedTenantFixture(h.db, margies, "Permissions owner"));
});
afterEach(async () => {
  await emulatorAdmin(`/tenants/${margies.tenantId}/apps/${app.clientId}/permissions`, { method: "DELETE" });
  await setIntune("active");
});
afterAll(async () => {
  await h.close();
});

const json = (method: string, body: unknown) => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
const grant = (roles: string[]) =>
  emulatorAdmin(`/tenants/${margies.tenantId}/apps/${app.clientId}/permissions`, json("PUT", { roles }));
const setIntune = (subscriptionState: string) =>
  emulatorAdmin(`/tenants/${margies.tenantId}/intune`, json("PUT", { subscriptionState }));
const graph = async (path: string, init: RequestInit = {}) =>
  http(`${emulatorUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${await emulatorAppToken(margies)}`, ...(init.headers as object) },
  });
type GraphErrorBody = { error: { code: string; message: string } };

async function run(type: string) {
  const { run } = await startOperation(h.deps, { actor: actor(owner), tenantId, type, inputs: {} });
  return waitForCompletion(h.db, run.id, 60_000);
}
const storedAccess = async () =>
  (
    await h.db
      .select({
        verificationStatus: tenants.verificationStatus,
        appPermissions: tenants.appPermissions,
        permissionGaps: tenants.permissionGaps,
        intuneStatus: tenants.intuneStatus,
      })
      .from(tenants)
      .where(eq(tenants.id, tenantId))
  )[0]!;

describe("the emulator checks the token's permissions", () => {
  it("answers Intune's 403, naming the scopes, when the app lacks DeviceManagementConfiguration", async () => {
    await grant(EVERYTHING_BUT_CONFIGURATION);
    const refused = await graph("/beta/deviceManagement/deviceConfigurations");
    expect(refused.status).toBe(403);
    const { error } = (await refused.json()) as GraphErrorBody;
    expect(error.code).toBe("Forbidden");
    const intune = JSON.parse(error.message) as { _version: number; Message: string };
    expect(intune._version).toBe(3);
    expect(intune.Message).toMatch(
      /^Application is not authorized to perform this operation\. Application must have one of the following scopes: DeviceManagementConfiguration\.Read\.All, DeviceManagementConfiguration\.ReadWrite\.All - Operation ID/,
    );
    // What the app does hold still works.
    expect((await graph("/beta/deviceManagement/roleDefinitions")).status).toBe(200);
  });

  it("lets a read-only grant read but not write, and answers Entra's 403 for groups without a group permission", async () => {
    await grant(["DeviceManagementConfiguration.Read.All"]);
    expect((await graph("/beta/deviceManagement/deviceCompliancePolicies")).status).toBe(200);
    const create = await graph("/beta/deviceManagement/deviceConfigurations", json("POST", { displayName: "x" }));
    expect(create.status).toBe(403);
    expect(JSON.parse(((await create.json()) as GraphErrorBody).error.message).Message).toContain(
      "one of the following scopes: DeviceManagementConfiguration.ReadWrite.All -",
    );
    const groups = await graph("/v1.0/groups/delta");
    expect(groups.status).toBe(403);
    expect(((await groups.json()) as GraphErrorBody).error).toMatchObject({
      code: "Authorization_RequestDenied",
      message: "Insufficient privileges to complete the operation.",
    });
  });

  it("answers Intune routes of a tenant without Intune with 400 'Request not applicable to target tenant.'", async () => {
    await setIntune("notLicensed");
    const refused = await graph("/beta/deviceManagement/configurationPolicies");
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as GraphErrorBody).error).toMatchObject({
      code: "BadRequest",
      message: "Request not applicable to target tenant.",
    });
    expect((await graph("/v1.0/organization")).status).toBe(200);

    await setIntune("warning");
    const plain = (await (await graph("/v1.0/deviceManagement")).json()) as Record<string, unknown>;
    expect(plain).not.toHaveProperty("subscriptionState");
    const selected = await graph("/v1.0/deviceManagement?$select=subscriptionState");
    expect(await selected.json()).toMatchObject({ subscriptionState: "warning" });
  });
});

describe("tenant.verify reads the app's roles", () => {
  it("reports exactly the missing DeviceManagementConfiguration.ReadWrite.All and the operations needing it", async () => {
    await grant(EVERYTHING_BUT_CONFIGURATION);
    const done = await run("tenant.verify");
    expect(done.outcome).toBe("partially_succeeded");
    expect(done.failures).toHaveLength(1);
    expect(done.failures[0]).toMatchObject({
      code: "permission_missing",
      item: "DeviceManagementConfiguration.ReadWrite.All",
    });
    expect(done.failures[0]!.message).toMatch(
      /^Sync inventory, Create backup, Restore policies, Detect drift, Revert drift and Sync filters and scope tags need the application permission DeviceManagementConfiguration\.ReadWrite\.All, /,
    );
    expect(await storedAccess()).toEqual({
      verificationStatus: "verified",
      appPermissions: EVERYTHING_BUT_CONFIGURATION,
      permissionGaps: [
        {
          permission: "DeviceManagementConfiguration.ReadWrite.All",
          alternatives: [],
          operations: [
            "inventory.sync",
            "backup_set.create",
            "restore.execute",
            "drift.detect",
            "drift.revert",
            "directory_references.sync",
          ],
        },
      ],
      // Reading deviceManagement needs DeviceManagementConfiguration or DeviceManagementServiceConfig.
      intuneStatus: "active",
    });
  });

  it("succeeds without failures when the app has everything, and clears the gaps it recorded before", async () => {
    const done = await run("tenant.verify");
    expect(done.failures).toEqual([]);
    expect(done.outcome).toBe("succeeded");
    expect(await storedAccess()).toMatchObject({ permissionGaps: [], intuneStatus: "active" });
  });

  it("still connects without Organization.Read.All, and names it with what Graph also accepts", async () => {
    await grant([
      "GroupMember.Read.All",
      "DeviceManagementConfiguration.ReadWrite.All",
      "DeviceManagementScripts.ReadWrite.All",
      "DeviceManagementServiceConfig.ReadWrite.All",
      "DeviceManagementApps.ReadWrite.All",
      "DeviceManagementRBAC.Read.All",
    ]);
    const done = await run("tenant.verify");
    expect(done.outcome).toBe("partially_succeeded");
    expect(done.failures.map((f) => f.item)).toEqual(["Organization.Read.All", "DeviceManagementRBAC.ReadWrite.All"]);
    expect(done.failures[0]!.message).toContain(
      "Verify connection needs the application permission Organization.Read.All (or one of Directory.Read.All, Organization.ReadWrite.All, Directory.ReadWrite.All)",
    );
    expect(done.failures[1]!.message).toMatch(/^Assign Intune role needs /);
    expect((await storedAccess()).verificationStatus).toBe("verified");
  });

  it("reports a tenant without Intune", async () => {
    await setIntune("notLicensed");
    const done = await run("tenant.verify");
    expect(done.outcome).toBe("partially_succeeded");
    expect(done.failures).toEqual([
      expect.objectContaining({
        code: "intune_not_licensed",
        message: expect.stringMatching(
          /^This tenant has no Intune subscription .*Sync inventory, .*need an active Intune licence/,
        ),
      }),
    ]);
    expect(await storedAccess()).toMatchObject({ intuneStatus: "notLicensed", permissionGaps: [] });
  });
});

describe("an operation Graph refuses for want of a permission", () => {
  it("fails inventory.sync at once with a message naming the permission it needs", async () => {
    await grant(NO_INTUNE_OBJECTS);
    const done = await run("inventory.sync");
    expect(done).toMatchObject({ outcome: "failed", attempt: 1 });
    expect(done.failures[0]!.code).toBe("graph_permission_missing");
    expect(done.failures[0]!.message).toContain(
      "Sync inventory needs the application permission DeviceManagementConfiguration.Read.All (or DeviceManagementConfiguration.ReadWrite.All)",
    );
    // Intune's own sentence, without its JSON wrapper.
    expect(done.failures[0]!.message).toContain("Application is not authorized to perform this operation.");
    expect(done.failures[0]!.message).not.toContain("_version");
  });
});

describe("the Graph host comes from configuration", () => {
  it("asks for a token for the configured Graph (scope and audience), which another cloud's host is not", async () => {
    const credentials = emulatedCredentials(margies);
    const token = await requestAppToken(http, { loginUrl: emulatorUrl, graphUrl: emulatorUrl, credentials });
    expect(decodeJwt(token.token)).toMatchObject({ aud: emulatorUrl, roles: expect.any(Array) });
    // The public cloud's Graph is not this emulator's resource: asking for it is AADSTS500011.
    await expect(
      requestAppToken(http, { loginUrl: emulatorUrl, graphUrl: "https://graph.microsoft.com", credentials }),
    ).rejects.toThrow(/AADSTS500011/);
  });

  it("asks for the delegated group search scope on the configured Graph host", async () => {
    expect(delegatedScopes("https://graph.microsoft.us")).toBe(
      "openid profile email offline_access https://graph.microsoft.us/GroupMember.Read.All",
    );
    const authorize = new URL(`${emulatorUrl}/${margies.tenantId}/oauth2/v2.0/authorize`);
    const params = { client_id: app.clientId, response_type: "code", redirect_uri: "http://localhost/cb" };
    const ask = (scope: string) =>
      http(authorize, {
        method: "POST",
        body: new URLSearchParams({ ...params, scope, user: margies.users[0]!.id }),
        redirect: "manual",
      });
    const other = await ask(delegatedScopes("https://graph.microsoft.us"));
    expect(other.status).toBe(400);
    expect(((await other.json()) as { error_codes: number[] }).error_codes).toEqual([500011]);

    const chosen = await ask(delegatedScopes(emulatorUrl));
    const code = new URL(chosen.headers.get("location")!).searchParams.get("code")!;
    const tokens = (await (
      await http(`${emulatorUrl}/${margies.tenantId}/oauth2/v2.0/token`, {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code,
          redirect_uri: params.redirect_uri,
          client_id: app.clientId,
          client_secret: app.clientSecret,
        }),
      })
    ).json()) as { access_token: string; scope: string };
    expect(tokens.scope).toBe("GroupMember.Read.All");
    expect(decodeJwt(tokens.access_token)).toMatchObject({ aud: emulatorUrl, scp: "GroupMember.Read.All" });
    const search = await http(`${emulatorUrl}/v1.0/groups?$search="displayName:a"`, {
      headers: { authorization: `Bearer ${tokens.access_token}`, ConsistencyLevel: "eventual" },
    });
    expect(search.status).toBe(200);
  });
});
