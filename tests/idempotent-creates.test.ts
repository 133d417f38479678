import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  entraGroups,
  graphCreateIntents,
  intuneRoleAssignments,
  intuneRoleDefinitions,
  type PolicyFamily,
  restoreItems,
} from "@/db/schema";
import { createAppGraphClient } from "@/lib/graph/client";
import { markerOf } from "@/lib/graph/create-marker";
import { cancelRun } from "@/lib/operations/control";
import { startOperation } from "@/lib/operations/start";
import { assignmentsOf } from "@/lib/restores/plan";
import { FAMILY_PATHS } from "@/workers/intune";
import {
  actor,
  emulatedCredentials,
  emulatedTenantFixture,
  emulatorAdmin,
  graphConfig,
  openHarness,
  waitForCompletion,
  waitForStatus,
} from "./support/harness";
import { backupOfAssignedPolicies, graphAs, openRestorePair, type Person } from "./support/restore-pair";
import { claimEmulatedTenants } from "./support/tenants";
import { killHard, startWorkerProcess } from "./support/worker-process-control";

/**
 * Graph creates whose answer is lost — applied by the emulator, then answered 504, or not at all,
 * or never because the worker died or the run was cancelled — make exactly one object: the console
 * finds it again by the marker it wrote and adopts it. Restores go from First Up Consultants into
 * Bellows College; role assignments are made in Fine Art School.
 */
const [firstup, bellows, fineart] = claimEmulatedTenants(import.meta.url, 3);

let h: Awaited<ReturnType<typeof openHarness>>;
let inProcessWorker: { stop(): Promise<void> };
let owner: Person;
let run: Awaited<ReturnType<typeof openRestorePair>>["run"];
let sourceId: string;
let targetId: string;
let backupSetId: string;
type Item = { id: string; family: PolicyFamily; name: string; content: Record<string, unknown> };
let items: Item[];
let mapping: Record<string, string>;

const post = (path: string, body: unknown) =>
  emulatorAdmin(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const routeCount = async (route: string) =>
  ((await (await emulatorAdmin("/requests")).json()) as { routes: Record<string, number> }).routes[route] ?? 0;
/** The target's policies named like `item` (a restore keeps the name). */
const copiesIn = async (item: Item) =>
  ((await (await emulatorAdmin(`/tenants/${bellows.tenantId}/policies`)).json()) as { id: string; name: string }[])
    .filter((p) => p.name === item.name)
    .map((p) => p.id);
const itemOf = (family: PolicyFamily, skip = 0) => items.filter((i) => i.family === family)[skip]!;
const inputsFor = (item: Item) => ({
  backupSetId,
  itemIds: [item.id],
  mapping: Object.fromEntries(
    Object.entries(mapping).filter(([source]) => assignmentsOf(item.content).some((a) => a.target?.groupId === source)),
  ),
  unmapped: "skip",
});
const startRestore = async (item: Item) =>
  (
    await startOperation(h.deps, {
      actor: actor(owner),
      tenantId: targetId,
      type: "restore.execute",
      inputs: inputsFor(item),
    })
  ).run;

/** The one copy of `item` in the target: recorded by `runId`, marked by that create, assigned as mapped. */
async function expectOneCopy(item: Item, { runId, before }: { runId: string; before: string[] }) {
  const copies = (await copiesIn(item)).filter((id) => !before.includes(id));
  expect(copies).toHaveLength(1);
  const [result] = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, runId));
  expect(result).toMatchObject({ status: "restored", createdPolicyId: copies[0] });
  const [intent] = await h.db
    .select()
    .from(graphCreateIntents)
    .where(and(eq(graphCreateIntents.objectId, copies[0]!), eq(graphCreateIntents.tenantId, targetId)));
  const path = `/beta${FAMILY_PATHS[item.family]}/${copies[0]}`;
  const { body } = await graphAs(bellows, path);
  expect(body.description).toEqual(expect.stringContaining(markerOf(intent!.id)));
  const assigned = (await graphAs(bellows, `${path}/assignments`)).body.value as { target: { groupId?: string } }[];
  expect(assigned.map((a) => a.target.groupId)).toEqual(
    assignmentsOf(item.content).map((a) => (a.target?.groupId ? mapping[a.target.groupId] : undefined)),
  );
  return intent!;
}

beforeAll(async () => {
  h = await openHarness();
  inProcessWorker = await h.startWorker();
  ({ owner, sourceId, targetId, run } = await openRestorePair(h, {
    source: firstup,
    target: bellows,
    owner: "Idempotent restore owner",
    syncs: ["inventory.sync", "groups"],
  }));
  ({ backupSetId, items, mapping } = await backupOfAssignedPolicies(h, { sourceId, targetId, run }));
  expect(items).toHaveLength(6);
}, 300_000);

afterEach(async () => {
  await emulatorAdmin("/faults", { method: "DELETE" });
});
afterAll(async () => {
  await h.close();
});

describe("a restore whose create answer is lost", () => {
  it("apply then 504: one policy, adopted in the same attempt and assigned", async () => {
    const item = itemOf("device_configuration");
    const before = await copiesIn(item);
    const route = `POST /beta${FAMILY_PATHS.device_configuration}`;
    const sent = await routeCount(route);
    await post("/faults", { route, status: 504, afterApply: true, times: 1 });
    const done = await waitForCompletion(h.db, (await startRestore(item)).id, 120_000);
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({ outcome: "succeeded", attempt: 1, summaryCounts: { restored: 1 } });
    const intent = await expectOneCopy(item, { runId: done.id, before });
    expect(intent).toMatchObject({ runId: done.id, status: "adopted", adoptedByRunId: done.id });
    expect(await routeCount(route)).toBe(sent + 1); // the create was not sent again
    const [result] = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    expect(result!.message).toMatch(/answer was lost/);
  }, 120_000);

  it("apply then drop the connection: one policy", async () => {
    const item = itemOf("settings_catalog");
    const before = await copiesIn(item);
    const route = `POST /beta${FAMILY_PATHS.settings_catalog}`;
    await post("/faults", { route, afterApply: true, drop: true, times: 1 });
    const done = await waitForCompletion(h.db, (await startRestore(item)).id, 120_000);
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { restored: 1 } });
    const intent = await expectOneCopy(item, { runId: done.id, before });
    expect(intent.status).toBe("adopted");
  }, 120_000);

  it("a create refused with 503 before it was applied is looked for, not found, and sent again: one policy", async () => {
    const item = itemOf("settings_catalog", 1);
    const before = await copiesIn(item);
    const route = `POST /beta${FAMILY_PATHS.settings_catalog}`;
    const sent = await routeCount(route);
    await post("/faults", { route, status: 503, retryAfter: { seconds: 0 }, times: 1 });
    const done = await waitForCompletion(h.db, (await startRestore(item)).id, 120_000);
    expect(done).toMatchObject({ outcome: "succeeded", attempt: 1, summaryCounts: { restored: 1 } });
    const intent = await expectOneCopy(item, { runId: done.id, before });
    expect(intent.status).toBe("created");
    expect(await routeCount(route)).toBe(sent + 2);
    const intents = await h.db.select().from(graphCreateIntents).where(eq(graphCreateIntents.runId, done.id));
    expect(intents.map((i) => i.status).sort()).toEqual(["created", "not_applied"]);
  }, 120_000);

  it("a run cancelled while its create was in flight: the re-run adopts what it made", async () => {
    const item = itemOf("device_configuration", 1);
    const before = await copiesIn(item);
    const route = `POST /beta${FAMILY_PATHS.device_configuration}`;
    // Applied at once, answered only after a minute: the cancel comes in between.
    await post("/faults", { route, afterApply: true, delayMs: 60_000, times: 1 });
    const first = await startRestore(item);
    for (let i = 0; i < 300 && (await copiesIn(item)).length === before.length; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect((await copiesIn(item)).length).toBe(before.length + 1);
    await cancelRun(h.deps, { actor: actor(owner), tenantId: targetId, runId: first.id });
    expect((await waitForCompletion(h.db, first.id, 30_000)).outcome).toBe("cancelled");

    const rerun = await waitForCompletion(h.db, (await startRestore(item)).id, 120_000);
    expect(rerun).toMatchObject({ outcome: "succeeded", summaryCounts: { restored: 1 } });
    const intent = await expectOneCopy(item, { runId: rerun.id, before });
    expect(intent).toMatchObject({ runId: first.id, status: "adopted", adoptedByRunId: rerun.id });
  }, 150_000);
});

describe("a worker killed right after its create was applied", () => {
  it("the retried attempt adopts the policy: exactly one, recorded by the run", async () => {
    await inProcessWorker.stop(); // the worker process alone takes the restore
    const doomed = await startWorkerProcess({ graph: true });
    const item = itemOf("compliance");
    const before = await copiesIn(item);
    // Applied at once, answered only after two minutes: the worker is killed while it waits.
    await post("/faults", {
      route: `POST /beta${FAMILY_PATHS.compliance}`,
      afterApply: true,
      delayMs: 120_000,
      times: 1,
    });
    const started = await startRestore(item);
    await waitForStatus(h.db, { runId: started.id, status: "running", timeoutMs: 30_000 });
    for (let i = 0; i < 300 && (await copiesIn(item)).length === before.length; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect((await copiesIn(item)).length).toBe(before.length + 1);
    await killHard(doomed);

    inProcessWorker = await h.startWorker();
    // Bound: heartbeat (JOB_HEARTBEAT_SECONDS) + supervision + retry delay (10 s) + the restore, generously.
    const done = await waitForCompletion(h.db, started.id, 150_000);
    expect(done).toMatchObject({ outcome: "succeeded", attempt: 2, summaryCounts: { restored: 1 } });
    const intent = await expectOneCopy(item, { runId: done.id, before });
    expect(intent).toMatchObject({ status: "adopted", adoptedByRunId: done.id });
  }, 200_000);
});

describe("rbac.assign whose create answer is lost", () => {
  it("apply then 504: exactly one role assignment, recorded under its id", async () => {
    const { owner: rbacOwner, tenantId } = await emulatedTenantFixture(h.db, fineart, "Idempotent RBAC owner");
    const rbacRun = async (type: string, inputs: unknown = {}) =>
      waitForCompletion(
        h.db,
        (await startOperation(h.deps, { actor: actor(rbacOwner), tenantId, type, inputs })).run.id,
        120_000,
      );
    expect((await rbacRun("directory_groups.sync")).outcome).toBe("succeeded");
    expect((await rbacRun("rbac_roles.sync")).outcome).toBe("succeeded");
    const [role] = await h.db
      .select()
      .from(intuneRoleDefinitions)
      .where(eq(intuneRoleDefinitions.tenantId, tenantId))
      .limit(1);
    const groups = await h.db.select().from(entraGroups).where(eq(entraGroups.tenantId, tenantId)).limit(2);
    const displayName = `Lost answer ${crypto.randomUUID()}`;
    const route = "POST /beta/deviceManagement/roleAssignments";
    await post("/faults", { route, status: 504, afterApply: true, times: 1 });
    const done = await rbacRun("rbac.assign", {
      roleDefinitionId: role!.id,
      displayName,
      members: [{ id: groups[0]!.id, name: groups[0]!.displayName }],
      scopes: [{ id: groups[1]!.id, name: groups[1]!.displayName }],
    });
    expect(done).toMatchObject({ outcome: "succeeded", attempt: 1, summaryCounts: { created: 1 } });
    const listed = (await graphAs(fineart, "/beta/deviceManagement/roleAssignments")).body.value as {
      id: string;
      displayName: string;
      description: string;
    }[];
    const copies = listed.filter((a) => a.displayName === displayName);
    expect(copies).toHaveLength(1);
    const [recorded] = await h.db.select().from(intuneRoleAssignments).where(eq(intuneRoleAssignments.runId, done.id));
    expect(recorded!.id).toBe(copies[0]!.id);
    expect(copies[0]!.description).toMatch(/^Assigned from TenantAtlas by .+ \[TenantAtlas:[0-9a-f-]{36}\]$/);
  }, 200_000);
});

describe("the Graph client's retries", () => {
  const client = () => createAppGraphClient({ ...graphConfig, retryDelaySeconds: 0 }, emulatedCredentials(fineart));

  it("still retries a GET answered 503", async () => {
    const graph = await client();
    const route = "GET /v1.0/organization";
    const sent = await routeCount(route);
    await post("/faults", { route, status: 503, retryAfter: { seconds: 0 }, times: 2 });
    await expect(graph.api("/organization").get()).resolves.toMatchObject({ value: [expect.anything()] });
    expect(await routeCount(route)).toBe(sent + 3);
  });

  it("does not resend a create answered 504 or dropped after the write, but resends one Graph throttled (429)", async () => {
    const graph = await client();
    const route = "POST /beta/deviceManagement/deviceConfigurations";
    const create = (displayName: string) =>
      graph
        .api("/deviceManagement/deviceConfigurations")
        .version("beta")
        .post({ "@odata.type": "#microsoft.graph.windows10GeneralConfiguration", displayName });
    const copies = async (name: string) =>
      ((await (await emulatorAdmin(`/tenants/${fineart.tenantId}/policies`)).json()) as { name: string }[]).filter(
        (p) => p.name === name,
      ).length;

    let sent = await routeCount(route);
    await post("/faults", { route, status: 504, afterApply: true, times: 1 });
    const lost = `Lost ${crypto.randomUUID()}`;
    await expect(create(lost)).rejects.toMatchObject({ statusCode: 504 });
    expect(await routeCount(route)).toBe(sent + 1);
    expect(await copies(lost)).toBe(1);

    // The emulator's "apply then drop": no status at all, the object made once.
    sent = await routeCount(route);
    await post("/faults", { route, afterApply: true, drop: true, times: 1 });
    const dropped = `Dropped ${crypto.randomUUID()}`;
    await expect(create(dropped)).rejects.toMatchObject({
      message: expect.stringMatching(/fetch failed|other side closed/),
    });
    expect(await routeCount(route)).toBe(sent + 1);
    expect(await copies(dropped)).toBe(1);

    sent = await routeCount(route);
    await post("/faults", { route, status: 429, retryAfter: { seconds: 0 }, times: 1 });
    const throttled = `Throttled ${crypto.randomUUID()}`;
    await expect(create(throttled)).resolves.toMatchObject({ displayName: throttled });
    expect(await routeCount(route)).toBe(sent + 2);
    expect(await copies(throttled)).toBe(1);
  });
});
