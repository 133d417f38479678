import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type PolicyFamily, restoreItems } from "@/db/schema";
import { INTUNE_WRITE_LIMITS } from "@/emulator/write-throttle";
import { createAppGraphClient } from "@/lib/graph/client";
import { createHttpFetch } from "@/lib/graph/transport";
import { startOperation } from "@/lib/operations/start";
import { assignmentsOf } from "@/lib/restores/plan";
import { FAMILY_PATHS } from "@/workers/intune";
import {
  actor,
  emulatorAdmin,
  emulatorAppToken,
  emulatorUrl,
  graphConfig,
  openHarness,
  waitForCompletion,
  waitForStatus,
} from "./support/harness";
import { backupOfAssignedPolicies, openRestorePair, type Person } from "./support/restore-pair";
import { claimEmulatedTenants } from "./support/tenants";

/**
 * Intune's write limit and replication delays, end to end: restores from Humongous's backup into
 * Southridge while the emulator holds Southridge to a small write limit (5 writes per 4 s per app,
 * as Intune holds every tenant to 100 per 20 s) or hides what was just created.
 */
const [humongous, southridge] = claimEmulatedTenants(import.meta.url, 2);
const SMALL_LIMIT = { appWrites: 5, tenantWrites: 10, windowSeconds: 4, retryAfter: "absent" } as const;
// At most 2 + 0.7 × 4 = 4.8 writes in any 4 s: under the small limit, whoever sends them.
const WRITE_RATE = { perSecond: 0.7, burst: 2 };

let h: Awaited<ReturnType<typeof openHarness>>;
let owner: Person;
let run: Awaited<ReturnType<typeof openRestorePair>>["run"];
let sourceId: string;
let targetId: string;
let backupSetId: string;
let items: { id: string; family: PolicyFamily; name: string; content: Record<string, unknown> }[];
let mapping: Record<string, string>;
const http = createHttpFetch(graphConfig.caFile);

/** The mapping of the groups these items are assigned to (a restore refuses any other). */
const mappingOf = (chosen: typeof items) => {
  const used = new Set(chosen.flatMap((i) => assignmentsOf(i.content).map((a) => a.target?.groupId)));
  return Object.fromEntries(Object.entries(mapping).filter(([source]) => used.has(source)));
};
const restoreInputs = (chosen: typeof items, unmapped: "block" | "skip" = "block") => ({
  backupSetId,
  itemIds: chosen.map((i) => i.id),
  mapping: mappingOf(chosen),
  unmapped,
});

const post = (path: string, body: unknown) =>
  emulatorAdmin(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const throttling = async (tenantId: string) =>
  (await (await emulatorAdmin(`/tenants/${tenantId}/throttling`)).json()) as { throttled: number };
const targetPolicies = async () =>
  (await (await emulatorAdmin(`/tenants/${southridge.tenantId}/policies`)).json()) as { id: string; name: string }[];

async function targetAssignments(family: PolicyFamily, policyId: string) {
  const response = await http(`${emulatorUrl}/beta${FAMILY_PATHS[family]}/${policyId}/assignments`, {
    headers: { authorization: `Bearer ${await emulatorAppToken(southridge)}` },
  });
  return ((await response.json()) as { value: { target: { groupId?: string } }[] }).value;
}

/** Each item of the run restored once, with its groups mapped, and nothing else created. */
async function expectRestoredOnce(runIds: string[], chosen: typeof items, before: number) {
  const results = (
    await Promise.all(runIds.map((id) => h.db.select().from(restoreItems).where(eq(restoreItems.runId, id))))
  ).flat();
  expect(results.map((r) => r.status)).toEqual(chosen.map(() => "restored"));
  expect(await targetPolicies()).toHaveLength(before + chosen.length);
  for (const result of results) {
    const item = chosen.find((i) => i.id === result.backupItemId)!;
    const expected = assignmentsOf(item.content).map((a) =>
      a.target?.groupId ? mapping[a.target.groupId] : undefined,
    );
    expect((await targetAssignments(item.family, result.createdPolicyId!)).map((a) => a.target.groupId)).toEqual(
      expected,
    );
  }
}

beforeAll(async () => {
  h = await openHarness();
  h.workerDeps.graph = { ...graphConfig, writeRate: WRITE_RATE };
  await h.startWorker();
  ({ owner, sourceId, targetId, run } = await openRestorePair(h, {
    source: humongous,
    target: southridge,
    owner: "Throttled restore owner",
    syncs: ["inventory.sync", "groups"],
  }));
  // Two policies of each family, each assigned to at least one group: twelve writes per restore.
  ({ backupSetId, items, mapping } = await backupOfAssignedPolicies(h, { sourceId, targetId, run }));
  expect(items).toHaveLength(6);
}, 300_000);

afterEach(async () => {
  await emulatorAdmin("/faults", { method: "DELETE" });
});
afterAll(async () => {
  for (const tenant of [humongous, southridge]) {
    await post(`/tenants/${tenant.tenantId}/throttling`, INTUNE_WRITE_LIMITS);
    await post(`/tenants/${tenant.tenantId}/consistency`, { policyVisibleAfterSeconds: 0, groupReplicationSeconds: 0 });
  }
  await h.close();
});

describe("restores under Intune's write limit", () => {
  it("stays under the tenant's limit: every item created once and assigned, and Graph never answered 429", async () => {
    await post(`/tenants/${southridge.tenantId}/throttling`, SMALL_LIMIT);
    const before = (await targetPolicies()).length;
    const done = await run("restore.execute", targetId, restoreInputs(items));
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({ outcome: "succeeded", attempt: 1, summaryCounts: { restored: 6, failed: 0 } });
    await expectRestoredOnce([done.id], items, before);
    expect((await throttling(southridge.tenantId)).throttled).toBe(0);
  }, 120_000);

  it("two restores at once, each with its own Graph client and two workers running, share one budget for the tenant", async () => {
    await h.startWorker(); // a second worker with its own Graph clients; only the database is shared
    await post(`/tenants/${southridge.tenantId}/throttling`, SMALL_LIMIT);
    const before = (await targetPolicies()).length;
    const halves = [items.slice(0, 3), items.slice(3)];
    const runs = await Promise.all(
      halves.map(
        async (half) =>
          (
            await startOperation(h.deps, {
              actor: actor(owner),
              tenantId: targetId,
              type: "restore.execute",
              inputs: restoreInputs(half),
            })
          ).run.id,
      ),
    );
    // Both run at the same time, not one after the other.
    await Promise.all(runs.map((runId) => waitForStatus(h.db, { runId, status: "running", timeoutMs: 30_000 })));
    const done = await Promise.all(runs.map((runId) => waitForCompletion(h.db, runId, 120_000)));
    for (const d of done) expect(d).toMatchObject({ outcome: "succeeded", summaryCounts: { restored: 3, failed: 0 } });
    await expectRestoredOnce(runs, items, before);
    expect((await throttling(southridge.tenantId)).throttled).toBe(0);
  }, 150_000);
});

describe("restores while the new objects replicate", () => {
  it("assigns a policy whose /assign answers 404 for a few seconds after its creation", async () => {
    await post(`/tenants/${southridge.tenantId}/throttling`, INTUNE_WRITE_LIMITS);
    await post(`/tenants/${southridge.tenantId}/consistency`, { policyVisibleAfterSeconds: 2 });
    const before = (await targetPolicies()).length;
    const done = await run("restore.execute", targetId, restoreInputs(items));
    await post(`/tenants/${southridge.tenantId}/consistency`, { policyVisibleAfterSeconds: 0 });
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({ outcome: "succeeded", attempt: 1, summaryCounts: { restored: 6, failed: 0 } });
    await expectRestoredOnce([done.id], items, before);
  }, 120_000);

  it("assigns to a group Entra ID created moments ago once Intune stops refusing it", async () => {
    const item = items.find((i) => i.family === "compliance")!;
    const sourceGroup = assignmentsOf(item.content).find((a) => a.target?.groupId)!.target!.groupId!;
    const created = (await (
      await post(`/tenants/${southridge.tenantId}/groups`, { displayName: `Restore pilot ${crypto.randomUUID()}` })
    ).json()) as { id: string };
    await post(`/tenants/${southridge.tenantId}/consistency`, { groupReplicationSeconds: 8 });
    expect((await run("directory_groups.sync", targetId)).outcome).toBe("succeeded");
    const done = await run("restore.execute", targetId, {
      backupSetId,
      itemIds: [item.id],
      mapping: { ...mappingOf([item]), [sourceGroup]: created.id },
      unmapped: "skip",
    });
    await post(`/tenants/${southridge.tenantId}/consistency`, { groupReplicationSeconds: 0 });
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { restored: 1, failed: 0 } });
    const [result] = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    const groupIds = (await targetAssignments(item.family, result!.createdPolicyId!)).map((a) => a.target.groupId);
    expect(groupIds).toContain(created.id);
  }, 120_000);

  it("a 404 for a policy this attempt did not just create stays permanent", async () => {
    const item = items.find((i) => i.family === "device_configuration")!;
    // The first attempt creates the policy, then every in-call retry of its /assign fails (1 s apart).
    await post("/faults", {
      route: "POST /beta/deviceManagement/deviceConfigurations/{id}/assign",
      status: 503,
      retryAfter: { seconds: 1 },
      times: graphConfig.maxRetries + 1,
    });
    const { run: started } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId: targetId,
      type: "restore.execute",
      inputs: restoreInputs([item], "skip"),
    });
    // Meanwhile the policy is deleted in the tenant: the retried attempt's /assign gets a real 404.
    let policyId: string | null | undefined;
    for (let i = 0; i < 200 && !policyId; i++) {
      [{ createdPolicyId: policyId } = { createdPolicyId: undefined }] = await h.db
        .select({ createdPolicyId: restoreItems.createdPolicyId })
        .from(restoreItems)
        .where(eq(restoreItems.runId, started.id));
      if (!policyId) await new Promise((r) => setTimeout(r, 50));
    }
    expect(
      (await emulatorAdmin(`/tenants/${southridge.tenantId}/policies/${policyId}`, { method: "DELETE" })).status,
    ).toBe(204);
    const done = await waitForCompletion(h.db, started.id, 120_000).finally(() =>
      emulatorAdmin("/faults", { method: "DELETE" }),
    );
    expect(done).toMatchObject({ outcome: "partially_succeeded", attempt: 2, summaryCounts: { failed: 1 } });
    expect(done.failures).toEqual([
      expect.objectContaining({ item: item.name, message: expect.stringMatching(/404/) }),
    ]);
  }, 120_000);
});

describe("Graph emulator: Intune throttling and the apply-then-fail fault", () => {
  const asSource = async (method: string, path: string, body?: unknown) =>
    http(`${emulatorUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${await emulatorAppToken(humongous)}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const configuration = (name: string) => ({
    "@odata.type": "#microsoft.graph.windows10GeneralConfiguration",
    displayName: name,
  });

  it("answers 429 past the per-app write limit, without Retry-After unless told, and still serves reads", async () => {
    await post(`/tenants/${humongous.tenantId}/throttling`, { ...SMALL_LIMIT, appWrites: 2, windowSeconds: 60 });
    const path = "/beta/deviceManagement/deviceConfigurations";
    expect((await asSource("POST", path, configuration("Throttle 1"))).status).toBe(201);
    expect((await asSource("POST", path, configuration("Throttle 2"))).status).toBe(201);
    const refused = await asSource("POST", path, configuration("Throttle 3"));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBeNull();
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("TooManyRequests");
    expect((await asSource("GET", `${path}?$top=1`)).status).toBe(200);
    // The settings catalog is another Intune service, with a budget of its own.
    expect((await asSource("POST", "/beta/deviceManagement/configurationPolicies", {})).status).toBe(400);
    await post(`/tenants/${humongous.tenantId}/throttling`, {
      ...SMALL_LIMIT,
      appWrites: 1,
      windowSeconds: 60,
      retryAfter: "seconds",
    });
    expect((await asSource("POST", path, configuration("Throttle 4"))).status).toBe(201);
    const timed = await asSource("POST", path, configuration("Throttle 5"));
    expect(timed.status).toBe(429);
    expect(Number(timed.headers.get("retry-after"))).toBeGreaterThan(50);
    expect((await throttling(humongous.tenantId)).throttled).toBe(1);
    await post(`/tenants/${humongous.tenantId}/throttling`, INTUNE_WRITE_LIMITS);
  });

  it("applies a write and then answers 504 when the apply-then-fail fault is set", async () => {
    await post("/faults", {
      route: "POST /v1.0/deviceManagement/deviceConfigurations",
      status: 504,
      afterApply: true,
      times: 1,
    });
    const name = `Applied then lost ${crypto.randomUUID()}`;
    const answer = await asSource("POST", "/v1.0/deviceManagement/deviceConfigurations", configuration(name));
    expect(answer.status).toBe(504);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe("GatewayTimeout");
    const listed = (await (await emulatorAdmin(`/tenants/${humongous.tenantId}/policies`)).json()) as {
      name: string;
    }[];
    expect(listed.filter((p) => p.name === name)).toHaveLength(1);
  });

  it("hides a new policy from GET and /assign for the configured window, then serves it", async () => {
    await post(`/tenants/${humongous.tenantId}/consistency`, { policyVisibleAfterSeconds: 1 });
    const path = "/beta/deviceManagement/deviceConfigurations";
    const { id } = (await (await asSource("POST", path, configuration("Replicating"))).json()) as { id: string };
    expect((await asSource("GET", `${path}/${id}`)).status).toBe(404);
    expect((await asSource("POST", `${path}/${id}/assign`, { assignments: [] })).status).toBe(404);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await asSource("GET", `${path}/${id}`)).status).toBe(200);
    await post(`/tenants/${humongous.tenantId}/consistency`, { policyVisibleAfterSeconds: 0 });
  });
});

describe("the Graph client on 429 without Retry-After", () => {
  it("retries with growing pauses and gives up after maxRetries", async () => {
    const graph = await createAppGraphClient(
      { ...graphConfig, maxRetries: 3, retryDelaySeconds: 0 },
      {
        tenantGuid: humongous.tenantId,
        clientId: humongous.apps[0]!.clientId,
        clientSecret: humongous.apps[0]!.clientSecret,
      },
    );
    const requests = async () =>
      ((await (await emulatorAdmin("/requests")).json()) as { routes: Record<string, number> }).routes[
        "GET /v1.0/organization"
      ] ?? 0;
    // Three 429s, then an answer: pauses of about 0, 2 and 4 s (delay, then 2^n/2 more each time).
    await post("/faults", { route: "GET /v1.0/organization", status: 429, retryAfter: "absent", times: 3 });
    let started = Date.now();
    await graph.api("/organization").get();
    expect(Date.now() - started).toBeGreaterThanOrEqual(6000);
    expect(Date.now() - started).toBeLessThan(12_000);
    // Always 429: bounded, four requests in all and the 429 surfaces.
    await post("/faults", { route: "GET /v1.0/organization", status: 429, retryAfter: "absent", times: 100 });
    const before = await requests();
    started = Date.now();
    await expect(graph.api("/organization").get()).rejects.toMatchObject({ statusCode: 429 });
    expect(await requests()).toBe(before + 4);
    expect(Date.now() - started).toBeLessThan(12_000);
    await emulatorAdmin("/faults", { method: "DELETE" });
  }, 60_000);
});

describe("a restore as a real tenant answers it", () => {
  it("every family into another tenant under the write limit while new policies replicate: each created once, assigned, compliance actions intact", async () => {
    await post(`/tenants/${southridge.tenantId}/throttling`, SMALL_LIMIT);
    await post(`/tenants/${southridge.tenantId}/consistency`, { policyVisibleAfterSeconds: 2 });
    const before = (await targetPolicies()).length;
    const done = await run("restore.execute", targetId, restoreInputs(items)).finally(() =>
      post(`/tenants/${southridge.tenantId}/consistency`, { policyVisibleAfterSeconds: 0 }),
    );
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { restored: 6, failed: 0 } });
    expect(new Set(items.map((i) => i.family))).toEqual(
      new Set(["device_configuration", "compliance", "settings_catalog"]),
    );
    await expectRestoredOnce([done.id], items, before);
    expect((await throttling(southridge.tenantId)).throttled).toBe(0);

    // The compliance policies keep every scheduled action and grace period their backup holds.
    const results = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    const compliance = items.filter((i) => i.family === "compliance");
    expect(compliance.length).toBeGreaterThan(0);
    for (const item of compliance) {
      const result = results.find((r) => r.backupItemId === item.id)!;
      const response = await http(
        `${emulatorUrl}/beta${FAMILY_PATHS.compliance}/${result.createdPolicyId}?$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)`,
        { headers: { authorization: `Bearer ${await emulatorAppToken(southridge)}` } },
      );
      const created = (await response.json()) as { scheduledActionsForRule: Rule[] };
      expect(withoutIds(created.scheduledActionsForRule)).toEqual(
        withoutIds(item.content.scheduledActionsForRule as Rule[]),
      );
    }
  }, 180_000);
});

type Rule = { ruleName: string; scheduledActionConfigurations: Record<string, unknown>[] };
/** What a rule says, without what Graph assigns (ids) or adds for the request (annotations). */
const withoutIds = (rules: Rule[]) =>
  rules.map((rule) => ({
    ruleName: rule.ruleName,
    actions: rule.scheduledActionConfigurations
      .map((a) => Object.fromEntries(Object.entries(a).filter(([k]) => k !== "id" && !k.includes("@odata"))))
      .sort((a, b) => String(a.actionType).localeCompare(String(b.actionType))),
  }));
