import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, backupSets, driftBaselineEntries, driftBaselines, driftFindings, tenants } from "@/db/schema";
import { driftBaselineOf, setDriftBaseline } from "@/lib/drift/baseline";
import { latestDetectRun } from "@/lib/drift/findings";
import { ForbiddenError, InputError } from "@/lib/errors";
import { createHttpFetch } from "@/lib/graph/transport";
import { startOperation } from "@/lib/operations/start";
import { backupSetProtection } from "@/lib/retention/protected";
import { removeTenant } from "@/lib/tenants/settings";
import {
  actor,
  addMember,
  createTestTenant,
  createUser,
  emulatedCredentials,
  emulatedTenantFixture,
  emulatorAdmin,
  emulatorAppToken,
  emulatorUrl,
  graphConfig,
  openHarness,
  waitForCompletion,
} from "./support/harness";
import { claimEmulatedTenants } from "./support/tenants";

/**
 * drift.detect against a real emulator and worker: Baseline Works drifts; Baseline Lab, whose
 * policies have the same names (and groups the same names) under other ids, lends its backup as a
 * cross-tenant baseline.
 */
let h: Awaited<ReturnType<typeof openHarness>>;
const [works, lab] = claimEmulatedTenants(import.meta.url, 2);
const http = createHttpFetch(graphConfig.caFile);
let owner: { id: string; name: string };
let worksId: string;
let labId: string;
const backupOf: Record<string, string> = {};

async function run(tenantId: string, type: string, inputs: Record<string, unknown> = {}) {
  const { run } = await startOperation(h.deps, { actor: actor(owner), tenantId, type, inputs });
  return waitForCompletion(h.db, run.id, 180_000);
}

async function graph(method: string, path: string, body?: unknown) {
  const response = await http(`${emulatorUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${await emulatorAppToken(works)}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: response.status === 204 ? null : await response.json() };
}

const json = (body: unknown) => ({
  method: "PATCH",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

const latestDetect = () => latestDetectRun(h.db, worksId);

const findingsOf = (runId: string) =>
  h.db.select().from(driftFindings).where(eq(driftFindings.runId, runId)).orderBy(driftFindings.kind);
/** A run's missing and new findings as `kind family name`, sorted. */
const ownReferenceFindings = async (runId: string) =>
  (await findingsOf(runId))
    .filter((f) => f.kind !== "changed")
    .map((f) => `${f.kind} ${f.family} ${f.name}`)
    .sort();
/** Each tenant has a filter and a scope tag named after it (emulator/references.ts): Lab's are missing in Works, Works' new. */
const ownReferencesOnly = [
  `missing assignment_filter ${lab.displayName} kiosks`,
  `missing scope_tag ${lab.displayName} only`,
  `new assignment_filter ${works.displayName} kiosks`,
  `new scope_tag ${works.displayName} only`,
];

beforeAll(async () => {
  h = await openHarness();
  await h.startWorker();
  ({ owner, tenantId: worksId } = await emulatedTenantFixture(h.db, works, "Drift owner"));
  labId = (await createTestTenant(h.db, owner.id, emulatedCredentials(lab))).id;
  for (const tenantId of [worksId, labId]) {
    for (const type of ["inventory.sync", "directory_groups.sync"])
      expect((await run(tenantId, type)).outcome).toBe("succeeded");
    const backup = await run(tenantId, "backup_set.create");
    expect(backup.outcome).toBe("succeeded");
    const [set] = await h.db.select().from(backupSets).where(eq(backupSets.runId, backup.id));
    backupOf[tenantId] = set!.id;
  }
}, 600_000);
afterAll(async () => {
  await emulatorAdmin(`/tenants/${works.tenantId}/volatile`, {
    method: "POST",
    body: JSON.stringify({ enabled: false }),
  });
  await h.close();
});

describe("drift baseline", () => {
  it("takes a baseline from another tenant the owner can read, matched by name: no drift", async () => {
    await setDriftBaseline(h.db, { actor: actor(owner), tenantId: worksId, backupSetId: backupOf[labId]! });
    const done = await run(worksId, "drift.detect");
    expect(done.failures).toEqual([]);
    // Only each tenant's own filter and tag (named after it) differ: Lab's missing here, Works' new.
    // Every other filter and tag pairs by name, not by the id Lab gave it (Lab's tag 3 is not Works' 3).
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { changed: 0, missing: 2, new: 2 } });
    expect(await ownReferenceFindings(done.id)).toEqual(ownReferencesOnly);
    expect(done.summaryCounts.unchanged).toBe(528);
  });

  it("refuses a set the user cannot read with a message that reveals nothing, and writes nothing", async () => {
    const stranger = await createUser(h.db, "Stranger");
    const strangersTenant = (await createTestTenant(h.db, stranger.id)).id;
    const audits = async () =>
      (
        await h.db
          .select({ n: sql<number>`count(*)::int` })
          .from(auditEvents)
          .where(eq(auditEvents.tenantId, strangersTenant))
      )[0]!.n;
    const before = await audits();
    const attempt = (backupSetId: string) =>
      setDriftBaseline(h.db, { actor: actor(stranger), tenantId: strangersTenant, backupSetId });
    const refusedOther = await attempt(backupOf[labId]!).catch((e: unknown) => e);
    const refusedUnknown = await attempt("00000000-0000-4000-a000-000000000000").catch((e: unknown) => e);
    expect(refusedOther).toBeInstanceOf(InputError);
    // The same answer as for a set that does not exist: nothing about the other tenant leaks.
    expect((refusedOther as Error).message).toBe((refusedUnknown as Error).message);
    expect(await h.db.select().from(driftBaselines).where(eq(driftBaselines.tenantId, strangersTenant))).toEqual([]);
    expect(
      await h.db.select().from(driftBaselineEntries).where(eq(driftBaselineEntries.tenantId, strangersTenant)),
    ).toEqual([]);
    expect(await audits()).toBe(before);

    // A viewer of the tenant may not choose its baseline either.
    const viewer = await createUser(h.db, "Viewer");
    await addMember(h.db, { userId: viewer.id, tenantId: worksId, role: "viewer" });
    await expect(
      setDriftBaseline(h.db, { actor: actor(viewer), tenantId: worksId, backupSetId: backupOf[worksId]! }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("keeps a baseline's set from retention and deletes; removing its tenant leaves the baseline's policies", async () => {
    // Works compares with Lab's set (the first test): neither retention nor an owner may delete it.
    expect(await backupSetProtection(h.db, { tenantId: labId, backupSetId: backupOf[labId]! })).toBe("baseline");
    const entries = async () =>
      (
        await h.db
          .select({ n: sql<number>`count(*)::int` })
          .from(driftBaselineEntries)
          .where(eq(driftBaselineEntries.tenantId, worksId))
      )[0]!.n;
    const before = await entries();
    expect(before).toBe(530);
    // Lab's owner removes Lab: its sets go with it; Works keeps its baseline from the entries' copies.
    const [lab] = await h.db.select().from(tenants).where(eq(tenants.id, labId));
    await removeTenant(h.db, { actor: actor(owner), tenantId: labId, confirmName: lab!.displayName });
    expect(await h.db.select().from(backupSets).where(eq(backupSets.id, backupOf[labId]!))).toHaveLength(0);
    expect(await driftBaselineOf(h.db, worksId)).toMatchObject({ backupSetId: null, entries: before });
    const done = await run(worksId, "drift.detect");
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { changed: 0, missing: 2, new: 2 } });
    expect(await ownReferenceFindings(done.id)).toEqual(ownReferencesOnly);
  });
});

describe("drift.revert across tenants", () => {
  it("leaves a policy's assignments alone when a baseline group has no single namesake here, and says so", async () => {
    // Works compares with Lab's copy (above). Two Works groups now share the name of one the
    // baseline assigns, and someone assigned the policy to another group as well.
    const policies = (await (await emulatorAdmin(`/tenants/${works.tenantId}/policies`)).json()) as {
      family: string;
      id: string;
    }[];
    type Target = { "@odata.type": string; groupId?: string };
    const assignmentsOf = async (id: string) =>
      (
        (await graph("GET", `/beta/deviceManagement/deviceConfigurations/${id}/assignments`)).body.value as {
          target: Target;
        }[]
      ).map((a) => a.target);
    let policyId = "";
    let original: Target[] = [];
    for (const p of policies.filter((p) => p.family === "deviceConfigurations")) {
      original = await assignmentsOf(p.id);
      if (original.length && original.every((t) => t.groupId)) {
        policyId = p.id;
        break;
      }
    }
    expect(policyId).not.toBe("");
    const groups = (await (await emulatorAdmin(`/tenants/${works.tenantId}/groups`)).json()) as {
      id: string;
      displayName: string;
    }[];
    const assigned = groups.find((g) => g.id === original[0]!.groupId)!;
    const extra = groups.find((g) => !original.some((t) => t.groupId === g.id))!;
    const twin = (await (
      await emulatorAdmin(`/tenants/${works.tenantId}/groups`, {
        method: "POST",
        body: JSON.stringify({ displayName: assigned.displayName }),
      })
    ).json()) as { id: string };
    const drifted = [...original, { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: extra.id }];
    const assign = (targets: Target[]) =>
      graph("POST", `/beta/deviceManagement/deviceConfigurations/${policyId}/assign`, {
        assignments: targets.map((target) => ({ target })),
      });
    expect((await assign(drifted)).status).toBeLessThan(300);
    try {
      expect((await run(worksId, "directory_groups.sync")).outcome).toBe("succeeded");
      const detected = await run(worksId, "drift.detect");
      const finding = (await findingsOf(detected.id)).find((f) => f.policyId === policyId)!;
      expect(finding.changes.map((c) => c.key)).toContain(`assignment:include:group ${extra.displayName}`);

      const reverted = await run(worksId, "drift.revert", { findingId: finding.id });
      expect(reverted.outcome).toBe("partially_succeeded");
      expect(reverted.failures).toEqual([expect.objectContaining({ code: "assignments_not_reverted" })]);
      // `/assign` replaces every assignment: sending the ones that could be mapped would have dropped
      // the others. They are all still there.
      const after = await assignmentsOf(policyId);
      expect(after.map((t) => t.groupId).sort()).toEqual(drifted.map((t) => t.groupId).sort());
    } finally {
      await assign(original);
      await emulatorAdmin(`/tenants/${works.tenantId}/groups/${twin.id}`, { method: "DELETE" });
      expect((await run(worksId, "directory_groups.sync")).outcome).toBe("succeeded");
    }
  }, 300_000);
});

describe("drift.revert of a tenant default across tenants", () => {
  it("Revert of Windows Hello's default against Lab's baseline updates this tenant's default in place, never a second one", async () => {
    // Works still compares with Lab's copy (other ids, the same names): the defaults match by name.
    const COLLECTION = "/beta/deviceManagement/deviceEnrollmentConfigurations";
    const hellos = async () =>
      ((await graph("GET", `${COLLECTION}?$top=100`)).body.value as Record<string, unknown>[]).filter(
        (c) => c["@odata.type"] === "#microsoft.graph.deviceEnrollmentWindowsHelloForBusinessConfiguration",
      );
    const [hello] = await hellos();
    await emulatorAdmin(
      `/tenants/${works.tenantId}/policies/${String(hello!.id)}`,
      json({ body: { pinMinimumLength: 9 } }),
    );
    const detected = await run(worksId, "drift.detect");
    // Besides each tenant's own filter and tag (missing and new across tenants).
    expect(detected.summaryCounts).toMatchObject({ changed: 1, missing: 2, new: 2 });
    expect(await ownReferenceFindings(detected.id)).toEqual(ownReferencesOnly);
    const [finding] = (await findingsOf(detected.id)).filter((f) => f.kind === "changed");
    expect(finding).toMatchObject({ kind: "changed", policyId: hello!.id });
    const reverted = await run(worksId, "drift.revert", { findingId: finding!.id });
    expect(reverted.failures).toEqual([]);
    expect(reverted).toMatchObject({ outcome: "succeeded", summaryCounts: { reverted: 1, created: 0 } });
    expect((await hellos()).map((c) => [c.id, c.pinMinimumLength, c.priority])).toEqual([
      [hello!.id, hello!.pinMinimumLength, 0],
    ]);
    expect((await run(worksId, "drift.detect")).summaryCounts).toMatchObject({ changed: 0, missing: 2, new: 2 });
  }, 300_000);

  it("Revert of a removed compliance policy against Lab's baseline sends this tenant's namesake of its notification's template, never Lab's id", async () => {
    type Action = { actionType: string; notificationTemplateId: string; notificationMessageCCList: string[] };
    const COLLECTION = "/beta/deviceManagement/deviceCompliancePolicies";
    const EXPAND = "$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)";
    const actionsOf = (policy: Record<string, unknown>) =>
      (policy.scheduledActionsForRule as { scheduledActionConfigurations: Action[] }[]).flatMap(
        (r) => r.scheduledActionConfigurations,
      );
    const notificationOf = (policy: Record<string, unknown>) =>
      actionsOf(policy).find((a) => a.actionType === "notification");
    const listed = (await graph("GET", `${COLLECTION}?${EXPAND}`)).body.value as Record<string, unknown>[];
    // One that notifies with a template and CCs no one (a CC group is another reference).
    const policy = listed.find((p) => notificationOf(p) && notificationOf(p)!.notificationMessageCCList.length === 0)!;
    const template = notificationOf(policy)!.notificationTemplateId;
    await emulatorAdmin(`/tenants/${works.tenantId}/policies/${String(policy.id)}`, { method: "DELETE" });

    const detected = await run(worksId, "drift.detect");
    // Besides each tenant's own filter and tag (missing and new across tenants).
    expect(detected.summaryCounts).toMatchObject({ changed: 0, missing: 3, new: 2 });
    expect(await ownReferenceFindings(detected.id)).toEqual(
      [...ownReferencesOnly, `missing compliance ${String(policy.displayName)}`].sort(),
    );
    const [finding] = (await findingsOf(detected.id)).filter((f) => f.family === "compliance");
    expect(finding).toMatchObject({ kind: "missing", name: policy.displayName });
    const reverted = await run(worksId, "drift.revert", { findingId: finding!.id });
    expect(reverted.failures).toEqual([]);
    expect(reverted).toMatchObject({ outcome: "succeeded", summaryCounts: { reverted: 1, created: 1 } });
    const recreated = ((await graph("GET", `${COLLECTION}?${EXPAND}`)).body.value as Record<string, unknown>[]).find(
      (p) => p.displayName === policy.displayName,
    )!;
    expect(notificationOf(recreated)!.notificationTemplateId).toBe(template);
    expect((await run(worksId, "drift.detect")).summaryCounts).toMatchObject({ changed: 0, missing: 2, new: 2 });
  }, 300_000);
});

describe("drift.detect", () => {
  let changedPolicyId: string;
  let changedSetting: string;

  it("reports exactly one changed setting, one removed and one added policy, while Graph's own fields move on every read", async () => {
    await setDriftBaseline(h.db, { actor: actor(owner), tenantId: worksId, backupSetId: backupOf[worksId]! });
    const policies = (await (await emulatorAdmin(`/tenants/${works.tenantId}/policies`)).json()) as {
      family: string;
      id: string;
      name: string;
    }[];
    const catalog = policies.find((p) => p.family === "configurationPolicies" && p.name.endsWith("004"))!;
    const removed = policies.find((p) => p.family === "deviceConfigurations")!;
    changedPolicyId = catalog.id;

    // One setting changed in Intune: its settings as Graph lists them, one value swapped.
    const settings = (await graph("GET", `/beta/deviceManagement/configurationPolicies/${catalog.id}/settings`)).body
      .value as { settingInstance: { settingDefinitionId: string; choiceSettingValue: { value: string } } }[];
    const target = settings[1]!.settingInstance;
    changedSetting = target.settingDefinitionId;
    target.choiceSettingValue.value = `${target.choiceSettingValue.value}_changed`;
    expect((await emulatorAdmin(`/tenants/${works.tenantId}/policies/${catalog.id}`, json({ settings }))).status).toBe(
      200,
    );
    await emulatorAdmin(`/tenants/${works.tenantId}/policies/${removed.id}`, { method: "DELETE" });
    const added = await graph("POST", "/beta/deviceManagement/deviceConfigurations", {
      "@odata.type": "#microsoft.graph.windows10GeneralConfiguration",
      displayName: "Added after the baseline",
      passwordRequired: true,
    });
    expect(added.status).toBe(201);

    await emulatorAdmin(`/tenants/${works.tenantId}/volatile`, {
      method: "POST",
      body: JSON.stringify({ enabled: true }),
    });
    // The switch works: two reads of one policy differ in what Graph sets itself.
    const first = (await graph("GET", `/beta/deviceManagement/deviceConfigurations/${added.body.id}`)).body;
    const second = (await graph("GET", `/beta/deviceManagement/deviceConfigurations/${added.body.id}`)).body;
    expect(second.version).toBeGreaterThan(first.version);
    expect(second["@odata.etag"]).not.toBe(first["@odata.etag"]);

    const done = await run(worksId, "drift.detect");
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { changed: 1, missing: 1, new: 1 } });
    const findings = await findingsOf(done.id);
    expect(findings.map((f) => [f.kind, f.name])).toEqual([
      ["changed", catalog.name],
      ["missing", removed.name],
      ["new", "Added after the baseline"],
    ]);
    expect(findings[0]!.policyId).toBe(catalog.id);
    expect(findings[0]!.changes).toEqual([
      {
        key: `setting:${changedSetting}`,
        label: changedSetting,
        baseline: target.choiceSettingValue.value.replace(/_changed$/, ""),
        current: target.choiceSettingValue.value,
      },
    ]);
  }, 300_000);

  it("a retried detect (its completion lost after the findings were written) leaves one set of findings", async () => {
    await h.db.execute(
      sql.raw(`
      create or replace function test_lose_first_detect() returns trigger language plpgsql as $$
      begin
        if NEW.status = 'completed' and NEW.attempt = 1 and NEW.type = 'drift.detect' then
          raise exception 'injected: completion lost';
        end if;
        return NEW;
      end $$;
      create trigger test_lose_first_detect before update on operation_runs
        for each row execute function test_lose_first_detect();`),
    );
    try {
      const done = await run(worksId, "drift.detect");
      expect(done).toMatchObject({
        outcome: "succeeded",
        attempt: 2,
        summaryCounts: { changed: 1, missing: 1, new: 1 },
      });
      const findings = await findingsOf(done.id);
      expect(findings.map((f) => f.kind)).toEqual(["changed", "missing", "new"]);
    } finally {
      await h.db.execute(sql`drop trigger test_lose_first_detect on operation_runs`);
    }
    expect(
      (
        await h.db
          .select({ n: sql<number>`count(*)::int` })
          .from(driftFindings)
          .where(and(eq(driftFindings.tenantId, worksId), eq(driftFindings.policyId, changedPolicyId)))
      )[0]!.n,
    ).toBe(2); // one per completed detect run (this one and the one before), never two for one run
  }, 300_000);

  it("Revert puts the setting back in place (same policy id), recreates the missing policy once, and the next detect is clean", async () => {
    const latest = (await findingsOf((await latestDetect())!.id)) as Awaited<ReturnType<typeof findingsOf>>;
    const [changed, missing, added] = latest;
    expect([changed!.kind, missing!.kind, added!.kind]).toEqual(["changed", "missing", "new"]);
    const before = (await (await emulatorAdmin(`/tenants/${works.tenantId}/policies`)).json()) as { id: string }[];

    for (const finding of [changed!, missing!]) {
      const done = await run(worksId, "drift.revert", { findingId: finding.id });
      expect(done.failures).toEqual([]);
      expect(done.outcome).toBe("succeeded");
    }
    // The page still lists them until the next detect: a second Revert (or a Re-run) would create
    // the missing policy twice, so it is refused.
    const again = (findingId: string) =>
      startOperation(h.deps, { actor: actor(owner), tenantId: worksId, type: "drift.revert", inputs: { findingId } });
    await expect(again(missing!.id)).rejects.toThrow(/already reverted/);
    await expect(again(changed!.id)).rejects.toThrow(/already reverted/);
    // A policy new in the tenant has no baseline version: Revert is refused, Accept takes it in.
    await expect(
      startOperation(h.deps, {
        actor: actor(owner),
        tenantId: worksId,
        type: "drift.revert",
        inputs: { findingId: added!.id },
      }),
    ).rejects.toBeInstanceOf(InputError);
    expect((await run(worksId, "drift.accept", { findingId: added!.id })).outcome).toBe("succeeded");

    const after = (await (await emulatorAdmin(`/tenants/${works.tenantId}/policies`)).json()) as {
      id: string;
      name: string;
    }[];
    // Updated in place: the same id is there, and exactly one policy more (the recreated one).
    expect(after.map((p) => p.id)).toContain(changedPolicyId);
    expect(after).toHaveLength(before.length + 1);
    expect(after.filter((p) => p.name === missing!.name)).toHaveLength(1);
    const settings = (await graph("GET", `/beta/deviceManagement/configurationPolicies/${changedPolicyId}/settings`))
      .body.value as { settingInstance: { settingDefinitionId: string; choiceSettingValue: { value: string } } }[];
    const reverted = settings.find((s) => s.settingInstance.settingDefinitionId === changedSetting)!;
    expect(reverted.settingInstance.choiceSettingValue.value).toBe(changed!.changes[0]!.baseline);

    const clean = await run(worksId, "drift.detect");
    expect(clean).toMatchObject({ outcome: "succeeded", summaryCounts: { changed: 0, missing: 0, new: 0 } });
    expect(await findingsOf(clean.id)).toEqual([]);
    // Findings of an earlier detect are history: neither Accept nor Revert acts on them.
    await expect(
      startOperation(h.deps, {
        actor: actor(owner),
        tenantId: worksId,
        type: "drift.accept",
        inputs: { findingId: missing!.id },
      }),
    ).rejects.toThrow(/earlier detection/);
  }, 300_000);

  it("Accept makes a policy's current version its baseline: the next detect is clean for it", async () => {
    const policies = (await (await emulatorAdmin(`/tenants/${works.tenantId}/policies`)).json()) as {
      family: string;
      id: string;
      name: string;
    }[];
    const config = policies.find((p) => p.family === "deviceConfigurations" && p.name.endsWith("010"))!;
    await emulatorAdmin(
      `/tenants/${works.tenantId}/policies/${config.id}`,
      json({ body: { passwordMinimumLength: 30 } }),
    );
    const drifted = await run(worksId, "drift.detect");
    expect(drifted.summaryCounts).toMatchObject({ changed: 1, missing: 0, new: 0 });
    const [finding] = await findingsOf(drifted.id);
    expect(finding!.changes).toEqual([
      expect.objectContaining({ key: "property:passwordMinimumLength", current: "30" }),
    ]);
    expect((await run(worksId, "drift.accept", { findingId: finding!.id })).outcome).toBe("succeeded");
    const [entry] = await h.db
      .select()
      .from(driftBaselineEntries)
      .where(and(eq(driftBaselineEntries.tenantId, worksId), eq(driftBaselineEntries.policyId, config.id)));
    expect(entry).toMatchObject({
      origin: "accepted",
      content: expect.objectContaining({ passwordMinimumLength: 30 }),
    });
    const clean = await run(worksId, "drift.detect");
    expect(clean.summaryCounts).toMatchObject({ changed: 0, missing: 0, new: 0 });
  }, 300_000);

  it("a Revert that failed after recreating a missing policy is finished by the next one, not made twice", async () => {
    const policies = (await (await emulatorAdmin(`/tenants/${works.tenantId}/policies`)).json()) as {
      family: string;
      id: string;
      name: string;
    }[];
    let gone: (typeof policies)[number] | undefined;
    for (const p of policies.filter((p) => p.family === "deviceConfigurations")) {
      const assigned = await graph("GET", `/beta/deviceManagement/deviceConfigurations/${p.id}/assignments`);
      if (assigned.body.value.length) {
        gone = p;
        break;
      }
    }
    await emulatorAdmin(`/tenants/${works.tenantId}/policies/${gone!.id}`, { method: "DELETE" });
    const detected = await run(worksId, "drift.detect");
    expect(detected.summaryCounts).toMatchObject({ changed: 0, missing: 1, new: 0 });
    const [missing] = await findingsOf(detected.id);

    // The policy is created, then its assignment is refused: the run fails after the create.
    await emulatorAdmin("/faults", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        route: "POST /beta/deviceManagement/deviceConfigurations/{id}/assign",
        status: 403,
        times: 1,
      }),
    });
    const failed = await run(worksId, "drift.revert", { findingId: missing!.id });
    expect(failed).toMatchObject({ outcome: "failed", failures: [expect.objectContaining({ code: "graph_403" })] });
    const retried = await run(worksId, "drift.revert", { findingId: missing!.id });
    expect(retried.failures).toEqual([]);
    expect(retried.outcome).toBe("succeeded");

    const after = (await (await emulatorAdmin(`/tenants/${works.tenantId}/policies`)).json()) as {
      id: string;
      name: string;
    }[];
    const recreated = after.filter((p) => p.name === gone!.name);
    expect(recreated).toHaveLength(1);
    const clean = await run(worksId, "drift.detect");
    expect(clean.summaryCounts).toMatchObject({ changed: 0, missing: 0, new: 0 });

    // That Revert finished its job: when an admin later renames what it made, the next Revert of the
    // policy makes a new one instead of taking over the renamed policy.
    await emulatorAdmin(
      `/tenants/${works.tenantId}/policies/${recreated[0]!.id}`,
      json({ body: { displayName: `${gone!.name} (pilot)` } }),
    );
    const renamed = await run(worksId, "drift.detect");
    expect(renamed.summaryCounts).toMatchObject({ changed: 0, missing: 1, new: 1 });
    const missingAgain = (await findingsOf(renamed.id)).find((f) => f.kind === "missing")!;
    expect((await run(worksId, "drift.revert", { findingId: missingAgain.id })).outcome).toBe("succeeded");
    const names = ((await (await emulatorAdmin(`/tenants/${works.tenantId}/policies`)).json()) as { name: string }[])
      .map((p) => p.name)
      .filter((n) => n.startsWith(gone!.name));
    expect(names.sort()).toEqual([gone!.name, `${gone!.name} (pilot)`]);
    // The tests after this one start from a tenant that matches its baseline.
    await emulatorAdmin(`/tenants/${works.tenantId}/policies/${recreated[0]!.id}`, { method: "DELETE" });
  }, 300_000);

  it("Revert of a deleted remediation keeps its assignments remediating, on their schedule", async () => {
    type Assignment = { target: { groupId?: string }; runRemediationScript?: boolean; runSchedule?: unknown };
    const assignmentsOf = async (id: string) =>
      (await graph("GET", `/beta/deviceManagement/deviceHealthScripts/${id}/assignments`)).body.value as Assignment[];
    const policies = (await (await emulatorAdmin(`/tenants/${works.tenantId}/policies`)).json()) as {
      family: string;
      id: string;
      name: string;
    }[];
    let gone: { id: string; name: string; assignments: Assignment[] } | undefined;
    for (const p of policies.filter((p) => p.family === "deviceHealthScripts")) {
      const assignments = await assignmentsOf(p.id);
      if (assignments.length && assignments.every((a) => a.runRemediationScript === true)) {
        gone = { ...p, assignments };
        break;
      }
    }
    expect(gone).toBeDefined();
    await emulatorAdmin(`/tenants/${works.tenantId}/policies/${gone!.id}`, { method: "DELETE" });
    const detected = await run(worksId, "drift.detect");
    expect(detected.summaryCounts).toMatchObject({ changed: 0, missing: 1, new: 0 });
    const [missing] = await findingsOf(detected.id);
    const reverted = await run(worksId, "drift.revert", { findingId: missing!.id });
    expect(reverted.failures).toEqual([]);
    expect(reverted.outcome).toBe("succeeded");

    const after = (await (await emulatorAdmin(`/tenants/${works.tenantId}/policies`)).json()) as {
      id: string;
      name: string;
    }[];
    const recreated = after.find((p) => p.name === gone!.name)!;
    const shape = (list: Assignment[]) =>
      list
        .map((a) => ({ group: a.target.groupId, run: a.runRemediationScript, schedule: a.runSchedule }))
        .sort((x, y) => String(x.group).localeCompare(String(y.group)));
    expect(shape(await assignmentsOf(recreated.id))).toEqual(shape(gone!.assignments));
    expect(shape(gone!.assignments).every((a) => a.run === true && a.schedule)).toBe(true);
    const clean = await run(worksId, "drift.detect");
    expect(clean.summaryCounts).toMatchObject({ changed: 0, missing: 0, new: 0 });
  }, 300_000);

  it("finds an Autopilot profile's changed setting and assignments; Revert puts both back one assignment entity at a time", async () => {
    type Assignment = { id: string; source?: string; target: Record<string, unknown> };
    const path = (id: string) => `/beta/deviceManagement/windowsAutopilotDeploymentProfiles/${id}`;
    const assignmentsOf = async (id: string) =>
      (await graph("GET", `${path(id)}/assignments`)).body.value as Assignment[];
    const policies = (await (await emulatorAdmin(`/tenants/${works.tenantId}/policies`)).json()) as {
      family: string;
      id: string;
      name: string;
    }[];
    let profile: { id: string; name: string; assignments: Assignment[] } | undefined;
    for (const p of policies.filter((p) => p.family === "windowsAutopilotDeploymentProfiles")) {
      const assignments = await assignmentsOf(p.id);
      if (assignments.length >= 2 && assignments.some((a) => a.target.groupId)) {
        profile = { ...p, assignments };
        break;
      }
    }
    expect(profile).toBeDefined();
    // Ids stay put while reads are not made volatile: they show which assignments Revert left alone.
    const volatile = (enabled: boolean) =>
      emulatorAdmin(`/tenants/${works.tenantId}/volatile`, { method: "POST", body: JSON.stringify({ enabled }) });
    await volatile(false);
    profile!.assignments = await assignmentsOf(profile!.id);
    const before = (await graph("GET", path(profile!.id))).body as Record<string, unknown>;
    const oobe = before.outOfBoxExperienceSetting as Record<string, unknown>;
    const [group] = (await graph("GET", "/v1.0/groups?$top=1")).body.value as { id: string }[];
    // One setting changed, one assignment removed and another group added, as an administrator would.
    const changed = [
      ...profile!.assignments.slice(1),
      {
        id: crypto.randomUUID(),
        source: "direct",
        target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: group!.id },
      },
    ];
    await emulatorAdmin(
      `/tenants/${works.tenantId}/policies/${profile!.id}`,
      json({
        body: {
          outOfBoxExperienceSetting: { ...oobe, userType: oobe.userType === "standard" ? "administrator" : "standard" },
        },
        assignments: changed,
      }),
    );
    const detected = await run(worksId, "drift.detect");
    expect(detected.failures).toEqual([]);
    expect(detected.summaryCounts).toMatchObject({ changed: 1, missing: 0, new: 0 });
    const [finding] = await findingsOf(detected.id);
    expect(finding).toMatchObject({ kind: "changed", policyId: profile!.id });
    const keys = finding!.changes.map((c) => c.key);
    expect(keys.some((k) => k.startsWith("assignment:"))).toBe(true);
    expect(keys.filter((k) => !k.startsWith("assignment:"))).toEqual([
      expect.stringContaining("outOfBoxExperienceSetting"),
    ]);

    // The DELETE of the assignment added since is applied, then its answer lost (504): the client resends
    // it (DELETE is idempotent) and meets 404, which is what it asked for.
    await emulatorAdmin("/faults", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        route: "DELETE /beta/deviceManagement/windowsAutopilotDeploymentProfiles/{id}/assignments/{id}",
        status: 504,
        afterApply: true,
        times: 1,
      }),
    });
    const reverted = await run(worksId, "drift.revert", { findingId: finding!.id }).finally(() =>
      emulatorAdmin("/faults", { method: "DELETE" }),
    );
    expect(reverted.failures).toEqual([]);
    expect(reverted.outcome).toBe("succeeded");
    const after = (await graph("GET", path(profile!.id))).body as Record<string, unknown>;
    expect(after.outOfBoxExperienceSetting).toEqual(oobe);
    const targets = (list: Assignment[]) =>
      list.map((a) => JSON.stringify(Object.entries(a.target).sort(([x], [y]) => x.localeCompare(y)))).sort();
    const now = await assignmentsOf(profile!.id);
    expect(targets(now)).toEqual(targets(profile!.assignments));
    // The assignments that stayed were left alone (same ids): only the difference was written.
    const kept = new Set(profile!.assignments.slice(1).map((a) => a.id));
    expect(kept.size).toBeGreaterThan(0);
    expect(now.filter((a) => kept.has(a.id))).toHaveLength(kept.size);
    await volatile(true);
    const clean = await run(worksId, "drift.detect");
    expect(clean.summaryCounts).toMatchObject({ changed: 0, missing: 0, new: 0 });
  }, 300_000);

  it("Revert of a deleted administrative template recreates it with every value, its imported ADMX's included", async () => {
    const policies = (await (await emulatorAdmin(`/tenants/${works.tenantId}/policies`)).json()) as {
      family: string;
      id: string;
      name: string;
    }[];
    // The fifth has a value of the tenant's imported ADMX besides built-in ones.
    const gone = policies.find((p) => p.name === "Administrative template 005")!;
    const valuesOf = async (id: string) =>
      (
        (
          await graph(
            "GET",
            `/beta/deviceManagement/groupPolicyConfigurations/${id}/definitionValues?$expand=definition`,
          )
        ).body.value as { enabled: boolean; definition: { id: string; policyType: string } }[]
      )
        .map((v) => `${v.definition.id} ${v.definition.policyType} ${v.enabled}`)
        .sort();
    const before = await valuesOf(gone.id);
    expect(before.some((v) => v.includes("admxIngested"))).toBe(true);
    await emulatorAdmin(`/tenants/${works.tenantId}/policies/${gone.id}`, { method: "DELETE" });
    const detected = await run(worksId, "drift.detect");
    expect(detected.summaryCounts).toMatchObject({ changed: 0, missing: 1, new: 0 });
    const [missing] = await findingsOf(detected.id);
    const reverted = await run(worksId, "drift.revert", { findingId: missing!.id });
    expect(reverted.failures).toEqual([]);
    expect(reverted.outcome).toBe("succeeded");

    const after = (await (await emulatorAdmin(`/tenants/${works.tenantId}/policies`)).json()) as typeof policies;
    const recreated = after.find((p) => p.name === gone.name)!;
    expect(await valuesOf(recreated.id)).toEqual(before);
    // Values, presentation values and assignments as the baseline has them: no drift left.
    const clean = await run(worksId, "drift.detect");
    expect(clean.summaryCounts).toMatchObject({ changed: 0, missing: 0, new: 0 });
  }, 300_000);

  it("an administrative template's changed values are one finding; Revert puts them back in place, and the next detect is clean", async () => {
    const policies = (await (await emulatorAdmin(`/tenants/${works.tenantId}/policies`)).json()) as {
      id: string;
      name: string;
    }[];
    const template = policies.find((p) => p.name === "Administrative template 003")!;
    const path = `/beta/deviceManagement/groupPolicyConfigurations/${template.id}`;
    const valuesOf = async () =>
      (
        (await graph("GET", `${path}/definitionValues?$expand=definition`)).body.value as {
          id: string;
          enabled: boolean;
          definition: { id: string };
        }[]
      ).sort((a, b) => a.definition.id.localeCompare(b.definition.id));
    const before = await valuesOf();
    expect(before.length).toBeGreaterThan(1);
    // Someone removes one value and switches another off, in the portal.
    const [removed, switched] = before;
    const changed = await graph("POST", `${path}/updateDefinitionValues`, {
      deletedIds: [removed!.id],
      updated: [{ id: switched!.id, enabled: !switched!.enabled }],
    });
    expect(changed.status).toBe(204);
    const detected = await run(worksId, "drift.detect");
    expect(detected.summaryCounts).toMatchObject({ changed: 1, missing: 0, new: 0 });
    const [finding] = await findingsOf(detected.id);
    const reverted = await run(worksId, "drift.revert", { findingId: finding!.id });
    expect(reverted.failures).toEqual([]);
    expect(reverted.outcome).toBe("succeeded");
    const shape = (list: Awaited<ReturnType<typeof valuesOf>>) => list.map((v) => [v.definition.id, v.enabled]);
    expect(shape(await valuesOf())).toEqual(shape(before));
    const clean = await run(worksId, "drift.detect");
    expect(clean.summaryCounts).toMatchObject({ changed: 0, missing: 0, new: 0 });
  }, 300_000);

  it("compares every other type when the app lacks DeviceManagementScripts, and calls no script missing", async () => {
    const permissions = `/tenants/${works.tenantId}/apps/${works.apps[0]!.clientId}/permissions`;
    const roles = [
      "Organization.Read.All",
      "GroupMember.Read.All",
      "DeviceManagementConfiguration.ReadWrite.All",
      "DeviceManagementServiceConfig.Read.All",
      "DeviceManagementApps.ReadWrite.All",
    ];
    await emulatorAdmin(permissions, { ...json({ roles }), method: "PUT" });
    try {
      const done = await run(worksId, "drift.detect");
      expect(done.outcome).toBe("partially_succeeded");
      expect(done.failures.map((f) => [f.code, f.item]).sort()).toEqual(
        [
          ["type_forbidden", "Remediation"],
          ["type_forbidden", "Windows PowerShell script"],
          ["type_forbidden", "macOS shell script"],
        ].sort(),
      );
      expect(done.summaryCounts).toMatchObject({ changed: 0, missing: 0, new: 0, failed: 0 });
      expect(await findingsOf(done.id)).toEqual([]);
    } finally {
      await emulatorAdmin(permissions, { method: "DELETE" });
    }
  }, 300_000);

  it("finds a changed endpoint-security setting and a removed update ring, and Revert puts both back (PUT with the template, POST as a ring)", async () => {
    const policies = (await (await emulatorAdmin(`/tenants/${works.tenantId}/policies`)).json()) as {
      id: string;
      name: string;
      odataType?: string;
      templateFamily?: string;
    }[];
    const firewall = policies.find((p) => p.templateFamily === "endpointSecurityFirewall")!;
    const ring = policies.find((p) => p.odataType === "#microsoft.graph.windowsUpdateForBusinessConfiguration")!;
    const path = `/beta/deviceManagement/configurationPolicies/${firewall.id}`;
    const settings = (await graph("GET", `${path}/settings`)).body.value as {
      settingInstance: { settingDefinitionId: string; choiceSettingValue: { value: string } };
    }[];
    const target = settings[0]!.settingInstance;
    const baseline = target.choiceSettingValue.value;
    target.choiceSettingValue.value = `${baseline}_changed`;
    expect((await emulatorAdmin(`/tenants/${works.tenantId}/policies/${firewall.id}`, json({ settings }))).status).toBe(
      200,
    );
    await emulatorAdmin(`/tenants/${works.tenantId}/policies/${ring.id}`, { method: "DELETE" });

    const done = await run(worksId, "drift.detect");
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { changed: 1, missing: 1, new: 0 } });
    const findings = await findingsOf(done.id);
    expect(findings.map((f) => [f.kind, f.family, f.name])).toEqual([
      ["changed", "endpoint_security_firewall", firewall.name],
      ["missing", "update_ring", ring.name],
    ]);
    expect(findings[0]!.changes).toEqual([
      {
        key: `setting:${target.settingDefinitionId}`,
        label: target.settingDefinitionId,
        baseline,
        current: `${baseline}_changed`,
      },
    ]);
    for (const finding of findings) {
      const reverted = await run(worksId, "drift.revert", { findingId: finding.id });
      expect(reverted.failures).toEqual([]);
      expect(reverted.outcome).toBe("succeeded");
    }
    // By its definition: a tenant whose reads are volatile answers the settings in another order each time.
    const back = (await graph("GET", `${path}/settings`)).body.value as typeof settings;
    const reverted = back.find((s) => s.settingInstance.settingDefinitionId === target.settingDefinitionId);
    expect(reverted!.settingInstance.choiceSettingValue.value).toBe(baseline);
    expect((await graph("GET", path)).body.templateReference).toMatchObject({
      templateFamily: "endpointSecurityFirewall",
    });
    const after = (await (await emulatorAdmin(`/tenants/${works.tenantId}/policies`)).json()) as typeof policies;
    expect(after.filter((p) => p.name === ring.name).map((p) => p.odataType)).toEqual([ring.odataType]);
    const clean = await run(worksId, "drift.detect");
    expect(clean).toMatchObject({ outcome: "succeeded", summaryCounts: { changed: 0, missing: 0, new: 0 } });
  }, 300_000);

  it("finds a changed intent setting by its definition and a removed intent; Revert sets it with updateSettings and remakes the other from its template", async () => {
    // The tests before leave the tenant matching its baseline; run alone, its own backup is the baseline.
    if (!(await driftBaselineOf(h.db, worksId))?.entries)
      await setDriftBaseline(h.db, { actor: actor(owner), tenantId: worksId, backupSetId: backupOf[worksId]! });
    const policies = (await (await emulatorAdmin(`/tenants/${works.tenantId}/policies`)).json()) as {
      family: string;
      id: string;
      name: string;
    }[];
    const [changed, gone] = policies.filter((p) => p.family === "intents");
    type Instance = { id: string; definitionId: string; valueJson: string; value: unknown };
    const instancesOf = async (id: string) => {
      const out: Instance[] = [];
      for (let next: string | undefined = `/beta/deviceManagement/intents/${id}/settings`; next; ) {
        const page: { value: Instance[]; "@odata.nextLink"?: string } = (
          await graph("GET", next.replace(/^https:\/\/[^/]+/, ""))
        ).body;
        out.push(...(page.value as Instance[]));
        next = page["@odata.nextLink"];
      }
      return out;
    };
    const settingsOf = async (id: string) =>
      (await instancesOf(id)).map((s) => `${s.definitionId} ${s.valueJson}`).sort();
    // Every page: the first intent has more settings than a page.
    const settings = await instancesOf(changed!.id);
    const target = settings.find((s) => typeof s.value === "number") ?? settings[0]!;
    const baseline = target.valueJson;
    const edited = settings.map((s) =>
      s === target ? { ...s, value: "changed-in-portal", valueJson: JSON.stringify("changed-in-portal") } : s,
    );
    expect(
      (await emulatorAdmin(`/tenants/${works.tenantId}/policies/${changed!.id}`, json({ settings: edited }))).status,
    ).toBe(200);
    const goneSettings = await settingsOf(gone!.id);
    await emulatorAdmin(`/tenants/${works.tenantId}/policies/${gone!.id}`, { method: "DELETE" });

    const done = await run(worksId, "drift.detect");
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { changed: 1, missing: 1, new: 0 } });
    const findings = await findingsOf(done.id);
    expect(findings.map((f) => [f.kind, f.family, f.name])).toEqual([
      ["changed", "endpoint_security_intent", changed!.name],
      ["missing", "endpoint_security_intent", gone!.name],
    ]);
    expect(findings[0]!.changes).toEqual([
      {
        key: `setting:${target.definitionId}`,
        label: target.definitionId,
        baseline: String(JSON.parse(baseline)),
        current: "changed-in-portal",
      },
    ]);
    for (const finding of findings) {
      const reverted = await run(worksId, "drift.revert", { findingId: finding.id });
      expect(reverted.failures).toEqual([]);
      expect(reverted.outcome).toBe("succeeded");
    }
    // Same intent id, the setting's baseline value; the removed intent made again from its template, every setting.
    expect((await settingsOf(changed!.id)).find((s) => s.startsWith(`${target.definitionId} `))).toBe(
      `${target.definitionId} ${baseline}`,
    );
    const after = (await (await emulatorAdmin(`/tenants/${works.tenantId}/policies`)).json()) as typeof policies;
    const remade = after.filter((p) => p.name === gone!.name);
    expect(remade).toHaveLength(1);
    expect(await settingsOf(remade[0]!.id)).toEqual(goneSettings);
    const clean = await run(worksId, "drift.detect");
    expect(clean).toMatchObject({ outcome: "succeeded", summaryCounts: { changed: 0, missing: 0, new: 0 } });
  }, 300_000);
});

describe("drift of an app configuration for managed devices", () => {
  it("finds one changed key/value setting of an iOS configuration; Revert puts it back in place and the next detect finds nothing of it", async () => {
    await setDriftBaseline(h.db, { actor: actor(owner), tenantId: worksId, backupSetId: backupOf[worksId]! });
    const path = (id: string) => `/beta/deviceAppManagement/mobileAppConfigurations/${id}`;
    const configurations = (await graph("GET", "/beta/deviceAppManagement/mobileAppConfigurations")).body.value as {
      id: string;
      settings?: { appConfigKey: string; appConfigKeyValue: string }[];
    }[];
    const configuration = configurations.find((c) => (c.settings ?? []).length > 1)!;
    const settings = configuration.settings!.map((s, i) => (i === 1 ? { ...s, appConfigKeyValue: "99" } : s));
    await emulatorAdmin(`/tenants/${works.tenantId}/policies/${configuration.id}`, json({ body: { settings } }));

    const detected = await run(worksId, "drift.detect");
    expect(detected.failures).toEqual([]);
    const finding = (await findingsOf(detected.id)).find((f) => f.policyId === configuration.id);
    expect(finding).toMatchObject({ kind: "changed" });
    expect(finding!.changes.map((c) => c.key)).toEqual(["property:settings"]);

    const reverted = await run(worksId, "drift.revert", { findingId: finding!.id });
    expect(reverted.failures).toEqual([]);
    expect(reverted.outcome).toBe("succeeded");
    const after = (await graph("GET", path(configuration.id))).body as Record<string, unknown>;
    expect(after.settings).toEqual(configuration.settings);
    const clean = await run(worksId, "drift.detect");
    expect((await findingsOf(clean.id)).filter((f) => f.policyId === configuration.id)).toEqual([]);
  }, 300_000);
});

describe("drift of a notification message template's localized messages", () => {
  it("finds a changed and a removed message by locale in one finding; Revert patches one and recreates the other, and the next detect is clean", async () => {
    await setDriftBaseline(h.db, { actor: actor(owner), tenantId: worksId, backupSetId: backupOf[worksId]! });
    const collection = "/beta/deviceManagement/notificationMessageTemplates";
    const templates = (await graph("GET", `${collection}?$top=20`)).body.value as { id: string; displayName: string }[];
    const template = templates.find((t) => t.displayName === "Non-compliance: first notice")!;
    const messagesPath = `${collection}/${template.id}/localizedNotificationMessages`;
    type Message = { id: string; locale: string; subject: string; messageTemplate: string; isDefault: boolean };
    const messages = async () => {
      const all: Message[] = [];
      for (let url: string | undefined = messagesPath; url; ) {
        const page = (await graph("GET", url.replace(emulatorUrl, ""))).body as {
          value: Message[];
          "@odata.nextLink"?: string;
        };
        all.push(...page.value);
        url = page["@odata.nextLink"];
      }
      return all;
    };
    const before = await messages();
    expect(before).toHaveLength(12);
    const german = before.find((m) => m.locale === "de-de")!;
    const french = before.find((m) => m.locale === "fr-fr")!;
    expect((await graph("PATCH", `${messagesPath}/${german.id}`, { subject: "Geändert" })).status).toBe(200);
    expect((await graph("DELETE", `${messagesPath}/${french.id}`)).status).toBe(204);

    const detected = await run(worksId, "drift.detect");
    expect(detected.failures).toEqual([]);
    const finding = (await findingsOf(detected.id)).find((f) => f.policyId === template.id);
    expect(finding).toMatchObject({ kind: "changed", family: "notification_message_template" });
    expect(finding!.changes.map((c) => c.key).sort()).toEqual(["part:de-de", "part:fr-fr"]);

    const reverted = await run(worksId, "drift.revert", { findingId: finding!.id });
    expect(reverted.failures).toEqual([]);
    expect(reverted.outcome).toBe("succeeded");
    const text = (m: Message) => [m.locale, m.subject, m.messageTemplate, m.isDefault];
    expect((await messages()).map(text).sort()).toEqual(before.map(text).sort());
    const clean = await run(worksId, "drift.detect");
    expect((await findingsOf(clean.id)).filter((f) => f.policyId === template.id)).toEqual([]);
  }, 300_000);
});

describe("drift of enrollment configurations (ranked, with tenant defaults)", () => {
  type Configuration = Record<string, unknown> & { id: string; priority: number };
  const COLLECTION = "/beta/deviceManagement/deviceEnrollmentConfigurations";
  const pagesOf = async () => {
    const items: Configuration[] = [];
    for (let url: string | undefined = COLLECTION; url; ) {
      const { body } = await graph("GET", url.replace(/^https:\/\/[^/]+/, ""));
      items.push(...(body.value as Configuration[]));
      url = body["@odata.nextLink"];
    }
    return items;
  };
  const ofType = (items: Configuration[], type: string) =>
    items.filter((i) => i["@odata.type"] === `#microsoft.graph.${type}`).sort((a, b) => a.priority - b.priority);

  it("finds a page's changed setting and the rank it moved to, and a default's changed setting; Revert puts them back in place (setPriority for the rank)", async () => {
    // Against the baseline the tests above leave (Works' own); only these configurations' findings are counted.
    const volatile = (enabled: boolean) =>
      emulatorAdmin(`/tenants/${works.tenantId}/volatile`, { method: "POST", body: JSON.stringify({ enabled }) });
    await volatile(false);
    const before = await pagesOf();
    const pages = ofType(before, "windows10EnrollmentCompletionPageConfiguration");
    expect(pages.map((p) => p.priority)).toEqual([0, 1, 2, 3]);
    const moved = pages[1]!;
    const hello = ofType(before, "deviceEnrollmentWindowsHelloForBusinessConfiguration")[0]!;
    // An administrator changes a setting of the first-ranked page and moves it last; and the default's PIN length.
    await emulatorAdmin(
      `/tenants/${works.tenantId}/policies/${moved.id}`,
      json({ body: { showInstallationProgress: !moved.showInstallationProgress } }),
    );
    expect((await graph("POST", `${COLLECTION}/${moved.id}/setPriority`, { priority: 3 })).status).toBe(204);
    await emulatorAdmin(`/tenants/${works.tenantId}/policies/${hello.id}`, json({ body: { pinMinimumLength: 8 } }));

    const ids = new Set(before.map((c) => c.id));
    const enrollmentFindings = async (runId: string) =>
      (await findingsOf(runId)).filter((f) => f.policyId && ids.has(f.policyId));
    const detected = await run(worksId, "drift.detect");
    expect(detected.failures).toEqual([]);
    const findings = await enrollmentFindings(detected.id);
    // The moved page, the two that moved up in its place, and the default; none missing or new.
    expect(findings.map((f) => f.kind)).toEqual(["changed", "changed", "changed", "changed"]);
    expect(new Set(findings.map((f) => f.policyId))).toEqual(new Set([...pages.slice(1).map((p) => p.id), hello.id]));
    const movedFinding = findings.find((f) => f.policyId === moved.id)!;
    expect(movedFinding.changes.map((c) => c.key).sort()).toEqual(
      [expect.stringContaining("priority"), expect.stringContaining("showInstallationProgress")].sort(),
    );
    const helloFinding = findings.find((f) => f.policyId === hello.id)!;
    expect(helloFinding.changes.map((c) => c.key)).toEqual([expect.stringContaining("pinMinimumLength")]);

    for (const finding of [movedFinding, helloFinding]) {
      const reverted = await run(worksId, "drift.revert", { findingId: finding.id });
      expect(reverted.failures).toEqual([]);
      expect(reverted).toMatchObject({ outcome: "succeeded", summaryCounts: { reverted: 1, created: 0 } });
    }
    const after = await pagesOf();
    // Same objects, none made: the page back at rank 1 with its setting, the others back below it.
    expect(after.map((c) => c.id).sort()).toEqual(before.map((c) => c.id).sort());
    expect(ofType(after, "windows10EnrollmentCompletionPageConfiguration").map((p) => [p.id, p.priority])).toEqual(
      pages.map((p) => [p.id, p.priority]),
    );
    expect(after.find((c) => c.id === moved.id)!.showInstallationProgress).toBe(moved.showInstallationProgress);
    expect(after.find((c) => c.id === hello.id)!.pinMinimumLength).toBe(hello.pinMinimumLength);
    await volatile(true);
    expect(await enrollmentFindings((await run(worksId, "drift.detect")).id)).toEqual([]);
  }, 300_000);
});
