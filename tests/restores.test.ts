import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  backupItems,
  backupSets,
  entraGroups,
  operationRuns,
  type PolicyFamily,
  policies,
  restoreItems,
} from "@/db/schema";
import { InputError, NotFoundError } from "@/lib/errors";
import { graphTypeOf } from "@/lib/graph/writable";
import { startOperation } from "@/lib/operations/start";
import { assignmentsOf, referencedGroups, suggestTargets } from "@/lib/restores/plan";
import { FAMILY_PATHS } from "@/workers/intune";
import {
  actor,
  addMember,
  createTestTenant,
  createUser,
  emulatorAdmin,
  emulatorAppToken,
  emulatorUrl,
  graphConfig,
  openHarness,
} from "./support/harness";
import { restorableAnywhere } from "./support/restorable";
import { openRestorePair, type Person } from "./support/restore-pair";
import { claimEmulatedTenants } from "./support/tenants";

let h: Awaited<ReturnType<typeof openHarness>>;
// Source: Woodgrove's backup. Target: Proseware, whose groups have the same names under other ids.
const [woodgrove, proseware] = claimEmulatedTenants(import.meta.url, 2);
let owner: Person;
let run: Awaited<ReturnType<typeof openRestorePair>>["run"];
let sourceId: string;
let targetId: string;
let backupSetId: string;
let items: { id: string; family: PolicyFamily; name: string; content: Record<string, unknown> }[];

/** What the target's Graph says about one policy's assignments (read with the app, as a test). */
async function graphAssignments(family: PolicyFamily, policyId: string) {
  const { createHttpFetch } = await import("@/lib/graph/transport");
  const response = await createHttpFetch(graphConfig.caFile)(
    `${emulatorUrl}/beta${FAMILY_PATHS[family]}/${policyId}/assignments`,
    {
      headers: { authorization: `Bearer ${await emulatorAppToken(proseware)}` },
    },
  );
  return ((await response.json()) as { value: { target: { groupId?: string } }[] }).value;
}

/** A policy as a tenant's Graph has it (read with the app, as a test). */
async function graphGet(tenant: typeof woodgrove, path: string) {
  const { createHttpFetch } = await import("@/lib/graph/transport");
  const response = await createHttpFetch(graphConfig.caFile)(`${emulatorUrl}/beta${path}`, {
    headers: { authorization: `Bearer ${await emulatorAppToken(tenant)}` },
  });
  return (await response.json()) as Record<string, unknown>;
}
/** A configuration's values in a comparable form: definition id, enabled, each presentation's value. */
type Values = { definition: { id: string }; enabled: boolean; presentationValues: Record<string, unknown>[] }[];
const valuesOf = (content: Record<string, unknown>) =>
  (content.definitionValues as Values)
    .map((v) => ({
      definition: v.definition.id,
      enabled: v.enabled,
      presentations: v.presentationValues
        .map((pv) => [(pv.presentation as { id: string }).id, pv["@odata.type"], pv.value ?? pv.values])
        .sort(),
    }))
    .sort((a, b) => a.definition.localeCompare(b.definition));
async function definitionValuesIn(tenant: typeof woodgrove, policyId: string) {
  const path = `${FAMILY_PATHS.administrative_template}/${policyId}/definitionValues`;
  const values: Values = [];
  for (let next: unknown = `${path}?$expand=definition`; typeof next === "string"; ) {
    const page = await graphGet(tenant, next.replace(/^.*\/beta\//, "/"));
    values.push(...(page.value as Values));
    next = page["@odata.nextLink"];
  }
  for (const v of values)
    v.presentationValues = (
      await graphGet(tenant, `${path}/${(v as unknown as { id: string }).id}/presentationValues?$expand=presentation`)
    ).value as Record<string, unknown>[];
  return valuesOf({ definitionValues: values });
}
type Rule = { ruleName: string; scheduledActionConfigurations: Record<string, unknown>[] };
const EXPAND_ACTIONS = "$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)";
/** A compliance policy's actions without what Graph assigns (ids) or adds for the request (annotations). */
const actionsOf = (policy: Record<string, unknown>) =>
  (policy.scheduledActionsForRule as Rule[]).map((rule) => ({
    ruleName: rule.ruleName,
    actions: rule.scheduledActionConfigurations.map(
      (action): Record<string, unknown> => ({ ...action, id: undefined }),
    ),
  }));

async function backUp(policyIds: string[]) {
  const backup = await run("backup_set.create", sourceId, { policyIds });
  expect(backup.outcome).toBe("succeeded");
  const [set] = await h.db.select().from(backupSets).where(eq(backupSets.runId, backup.id));
  const setItems = await h.db
    .select({ id: backupItems.id, name: backupItems.name, policyId: backupItems.policyId })
    .from(backupItems)
    .where(eq(backupItems.backupSetId, set!.id));
  return { setId: set!.id, items: setItems };
}

const countRows = async (table: typeof operationRuns | typeof restoreItems) =>
  (await h.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;

beforeAll(async () => {
  h = await openHarness();
  await h.startWorker();
  ({ owner, sourceId, targetId, run } = await openRestorePair(h, {
    source: woodgrove,
    target: proseware,
    owner: "Restore owner",
    syncs: ["inventory.sync", "groups"],
  }));
  // One policy of each family, each assigned to at least one group.
  const assigned = await h.db
    .select()
    .from(policies)
    .where(and(eq(policies.tenantId, sourceId), eq(policies.assigned, true)))
    .orderBy(policies.name);
  const chosen = (["device_configuration", "compliance", "settings_catalog"] as const).map(
    (family) =>
      assigned.find(
        (p) => p.family === family && assignmentsOf(p.content).some((a) => a.target?.groupId) && restorableAnywhere(p),
      )!,
  );
  const backup = await run("backup_set.create", sourceId, { policyIds: chosen.map((p) => p.id) });
  expect(backup.outcome).toBe("succeeded");
  const [set] = await h.db.select().from(backupSets).where(eq(backupSets.runId, backup.id));
  backupSetId = set!.id;
  items = await h.db
    .select({ id: backupItems.id, family: backupItems.family, name: backupItems.name, content: backupItems.content })
    .from(backupItems)
    .where(eq(backupItems.backupSetId, backupSetId));
}, 300_000);
afterAll(async () => {
  await h.close();
});

describe("restore.execute", () => {
  it("recreates policies from another tenant's backup with their groups mapped by name, and records each item", async () => {
    const groups = await referencedGroups(h.db, sourceId, items);
    expect(groups.length).toBeGreaterThan(0);
    expect(groups.every((g) => g.name)).toBe(true);
    const suggestions = await suggestTargets(h.db, targetId, groups);
    const mapping = Object.fromEntries(Object.entries(suggestions).map(([source, target]) => [source, target.id]));
    expect(Object.keys(mapping).sort()).toEqual(groups.map((g) => g.id).sort());

    const done = await run("restore.execute", targetId, {
      backupSetId,
      itemIds: items.map((i) => i.id),
      mapping,
      unmapped: "block",
    });
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({
      outcome: "succeeded",
      summaryCounts: { total: 3, processed: 3, restored: 3, failed: 0, skipped_assignments: 0 },
    });

    const results = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    expect(results).toHaveLength(3);
    const targetGroupIds = new Set(
      (await h.db.select({ id: entraGroups.id }).from(entraGroups).where(eq(entraGroups.tenantId, targetId))).map(
        (g) => g.id,
      ),
    );
    for (const result of results) {
      const item = items.find((i) => i.id === result.backupItemId)!;
      expect(result).toMatchObject({ status: "restored", tenantId: targetId, name: item.name, skippedCount: 0 });
      // The new policy exists in the target with the backup's assignments, its groups swapped for the mapped ones.
      const assignments = await graphAssignments(item.family, result.createdPolicyId!);
      const expected = assignmentsOf(item.content).map((a) =>
        a.target?.groupId ? mapping[a.target.groupId] : undefined,
      );
      expect(assignments.map((a) => a.target.groupId)).toEqual(expected);
      expect(assignments.every((a) => !a.target.groupId || targetGroupIds.has(a.target.groupId))).toBe(true);
    }
    const inTarget = (await (await emulatorAdmin(`/tenants/${proseware.tenantId}/policies`)).json()) as {
      id: string;
      name: string;
    }[];
    expect(results.map((r) => inTarget.find((p) => p.id === r.createdPolicyId)?.name).sort()).toEqual(
      items.map((i) => i.name).sort(),
    );
  });

  it("creates a device configuration whose backup carries read-only supportsScopeTags, sending what a create may carry", async () => {
    const config = items.find((i) => i.family === "device_configuration")!;
    expect(config.content).toMatchObject({ supportsScopeTags: true, roleScopeTagIds: ["0"], version: 1 });
    const done = await run("restore.execute", targetId, { backupSetId, itemIds: [config.id], unmapped: "skip" });
    expect(done.failures).toEqual([]);
    expect(done.summaryCounts).toMatchObject({ restored: 1, failed: 0 });
    const [result] = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    const created = await graphGet(proseware, `/deviceManagement/deviceConfigurations/${result!.createdPolicyId}`);
    const type = graphTypeOf("device_configuration", String(config.content["@odata.type"]))!;
    const sent = type.writable.filter((key) => key in config.content);
    expect(sent).toEqual(expect.arrayContaining(["displayName", "roleScopeTagIds", "passwordMinimumLength"]));
    for (const key of ["@odata.type", ...sent.filter((k) => k !== "description")])
      expect([key, created[key]]).toEqual([key, config.content[key]]);
    // The description is the backup's, then the marker its create left (lib/graph/create-marker.ts).
    expect(String(created.description).replace(/ ?\[TenantAtlas:[0-9a-f-]{36}\]$/, "")).toBe(
      config.content.description ?? "",
    );
  });

  it("restores a compliance policy with every action and grace period its backup holds", async () => {
    // A source policy with more than the block action, and a grace period before the block.
    const candidates = await h.db
      .select()
      .from(policies)
      .where(and(eq(policies.tenantId, sourceId), eq(policies.family, "compliance")));
    let chosen: { id: string; actions: ReturnType<typeof actionsOf> } | undefined;
    // Into another tenant: one whose actions name nothing of the source tenant (no message template).
    for (const { id } of candidates.filter(restorableAnywhere)) {
      const actions = actionsOf(
        await graphGet(woodgrove, `/deviceManagement/deviceCompliancePolicies/${id}?${EXPAND_ACTIONS}`),
      );
      const all = actions.flatMap((r) => r.actions);
      if (all.length >= 2 && all.some((a) => a.actionType === "block" && Number(a.gracePeriodHours) > 0)) {
        chosen = { id, actions };
        break;
      }
    }
    const backup = await backUp([chosen!.id]);
    const done = await run("restore.execute", targetId, {
      backupSetId: backup.setId,
      itemIds: backup.items.map((i) => i.id),
      unmapped: "skip",
    });
    expect(done.failures).toEqual([]);
    const [result] = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    const created = await graphGet(
      proseware,
      `/deviceManagement/deviceCompliancePolicies/${result!.createdPolicyId}?${EXPAND_ACTIONS}`,
    );
    expect(actionsOf(created)).toEqual(chosen!.actions);
  });

  it("refuses per item, saying why, a policy of a type the console cannot create, and sends nothing for it", async () => {
    const configs = await h.db
      .select({ id: policies.id, name: policies.name })
      .from(policies)
      .where(and(eq(policies.tenantId, sourceId), eq(policies.family, "device_configuration")))
      .orderBy(policies.name);
    const [future, usual] = configs.filter((p) => !items.some((i) => i.name === p.name));
    // A type newer than the console's metadata list, as Intune adds them in beta.
    await emulatorAdmin(`/tenants/${woodgrove.tenantId}/policies/${future!.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ body: { "@odata.type": "#microsoft.graph.futureDeviceConfiguration" } }),
    });
    const backup = await backUp([future!.id, usual!.id]);
    const creates = async () =>
      ((await (await emulatorAdmin("/requests")).json()) as { routes: Record<string, number> }).routes[
        "POST /beta/deviceManagement/deviceConfigurations"
      ] ?? 0;
    const before = await creates();
    const done = await run("restore.execute", targetId, {
      backupSetId: backup.setId,
      itemIds: backup.items.map((i) => i.id),
      unmapped: "skip",
    });
    expect(done).toMatchObject({ outcome: "partially_succeeded", summaryCounts: { restored: 1, failed: 1 } });
    expect(done.failures).toEqual([
      expect.objectContaining({
        code: "type_not_creatable",
        item: future!.name,
        message: expect.stringMatching(/#microsoft\.graph\.futureDeviceConfiguration\) is not in the console's list/),
      }),
    ]);
    expect(await creates()).toBe(before + 1);
    const results = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    expect(results.find((r) => r.name === future!.name)).toMatchObject({ status: "failed", createdPolicyId: null });
  });

  it("a retried run assigns the policy its first attempt created instead of creating it again", async () => {
    const groups = await referencedGroups(h.db, sourceId, items);
    const mapping = Object.fromEntries(
      Object.entries(await suggestTargets(h.db, targetId, groups)).map(([s, t]) => [s, t.id]),
    );
    const policiesInTarget = async () =>
      ((await (await emulatorAdmin(`/tenants/${proseware.tenantId}/policies`)).json()) as unknown[]).length;
    const before = await policiesInTarget();
    // Every in-call retry of the compliance policy's /assign fails: the first job attempt gives up after creating it.
    await emulatorAdmin("/faults", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        route: "POST /beta/deviceManagement/deviceCompliancePolicies/{id}/assign",
        status: 503,
        retryAfter: { seconds: 0 },
        times: graphConfig.maxRetries + 1,
      }),
    });
    const done = await run("restore.execute", targetId, {
      backupSetId,
      itemIds: items.map((i) => i.id),
      mapping,
      unmapped: "skip",
    });
    await emulatorAdmin("/faults", { method: "DELETE" });
    expect(done).toMatchObject({ outcome: "succeeded", attempt: 2, summaryCounts: { restored: 3, failed: 0 } });
    expect(await policiesInTarget()).toBe(before + 3);
    const results = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    expect(results.map((r) => r.status)).toEqual(["restored", "restored", "restored"]);
  });

  it("an Autopilot assignment created whose answer was lost is not created again by the retry", async () => {
    const [profile] = await h.db
      .select()
      .from(policies)
      .where(
        and(eq(policies.tenantId, sourceId), eq(policies.family, "autopilot_profile"), eq(policies.assigned, true)),
      )
      .orderBy(policies.name);
    const backup = await backUp([profile!.id]);
    const [item] = await h.db.select().from(backupItems).where(eq(backupItems.backupSetId, backup.setId));
    const groups = await referencedGroups(h.db, sourceId, [item!]);
    const mapping = Object.fromEntries(
      Object.entries(await suggestTargets(h.db, targetId, groups)).map(([s, t]) => [s, t.id]),
    );
    const backedUp = assignmentsOf(item!.content);
    expect(backedUp.length).toBeGreaterThan(0);
    // Intune creates the first assignment, then its answer is lost (504): the client may not resend a create.
    await emulatorAdmin("/faults", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        route: "POST /beta/deviceManagement/windowsAutopilotDeploymentProfiles/{id}/assignments",
        status: 504,
        afterApply: true,
        times: 1,
      }),
    });
    const done = await run("restore.execute", targetId, {
      backupSetId: backup.setId,
      itemIds: [item!.id],
      mapping,
      unmapped: "block",
    });
    await emulatorAdmin("/faults", { method: "DELETE" });
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({ outcome: "succeeded", attempt: 2, summaryCounts: { restored: 1 } });
    const [result] = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    const assigned = await graphAssignments("autopilot_profile", result!.createdPolicyId!);
    expect(assigned.map((a) => a.target.groupId)).toEqual(
      backedUp.map((a) => (a.target?.groupId ? mapping[a.target.groupId] : undefined)),
    );
  });

  it("leaves out assignments of unmapped groups when asked to skip, and says so per item", async () => {
    const done = await run("restore.execute", targetId, {
      backupSetId,
      itemIds: items.map((i) => i.id),
      mapping: {},
      unmapped: "skip",
    });
    const groupAssignments = items.flatMap((i) => assignmentsOf(i.content)).filter((a) => a.target?.groupId).length;
    expect(done).toMatchObject({
      outcome: "succeeded",
      summaryCounts: { restored: 3, skipped_assignments: groupAssignments },
    });
    const results = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    expect(results.reduce((n, r) => n + r.skippedCount, 0)).toBe(groupAssignments);
    expect(results.filter((r) => r.skippedCount > 0).every((r) => /left out/.test(r.message ?? ""))).toBe(true);
  });

  it("names the item Graph refuses and restores the rest (partially_succeeded)", async () => {
    const groups = await referencedGroups(h.db, sourceId, items);
    const suggestions = await suggestTargets(h.db, targetId, groups);
    const victim = items.find((i) => i.family === "compliance")!;
    const victimGroup = assignmentsOf(victim.content).find((a) => a.target?.groupId)!.target!.groupId!;
    const mapping = Object.fromEntries(Object.entries(suggestions).map(([s, t]) => [s, t.id]));
    // The group left Entra ID after the cache was synced: /assign is refused for that policy only.
    const onlyVictim = Object.entries(mapping).filter(([s]) => s === victimGroup);
    await emulatorAdmin(`/tenants/${proseware.tenantId}/groups/${onlyVictim[0]![1]}`, { method: "DELETE" });
    const affected = items.filter((i) => assignmentsOf(i.content).some((a) => a.target?.groupId === victimGroup));

    const done = await run("restore.execute", targetId, {
      backupSetId,
      itemIds: items.map((i) => i.id),
      mapping,
      unmapped: "block",
    });
    expect(done).toMatchObject({
      outcome: "partially_succeeded",
      summaryCounts: { failed: affected.length, restored: items.length - affected.length },
    });
    expect(done.failures).toEqual(
      affected.map((i) => expect.objectContaining({ item: i.name, message: expect.stringMatching(/does not exist/) })),
    );
    const results = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    // The policy was created before /assign was refused: the result keeps its id for the operator.
    expect(results.find((r) => r.backupItemId === victim.id)).toMatchObject({
      status: "failed",
      createdPolicyId: expect.any(String),
    });
    expect(
      results
        .filter((r) => r.status === "restored")
        .map((r) => r.backupItemId)
        .sort(),
    ).toEqual(
      items
        .filter((i) => !affected.includes(i))
        .map((i) => i.id)
        .sort(),
    );
  });

  it("refuses bad input with a clear message and writes nothing", async () => {
    const runsBefore = await countRows(operationRuns);
    const itemsBefore = await countRows(restoreItems);
    const groups = await referencedGroups(h.db, sourceId, items);
    const all = items.map((i) => i.id);
    const refuse = (inputs: unknown, who = owner, tenant = targetId) =>
      startOperation(h.deps, { actor: actor(who), tenantId: tenant, type: "restore.execute", inputs });

    // A target group that is not in this tenant's cache (here: the source tenant's own group id).
    await expect(refuse({ backupSetId, itemIds: all, mapping: { [groups[0]!.id]: groups[0]!.id } })).rejects.toThrow(
      /not in this tenant's directory cache/,
    );
    // Unmapped groups with "block".
    await expect(refuse({ backupSetId, itemIds: all, mapping: {}, unmapped: "block" })).rejects.toThrow(
      /have no target/,
    );
    // Tampered fields: an item of no set, a mapping for a group no item uses, unknown keys, bad ids.
    await expect(refuse({ backupSetId, itemIds: [crypto.randomUUID()] })).rejects.toThrow(/not in this backup/);
    await expect(
      refuse({ backupSetId, itemIds: all, mapping: { [crypto.randomUUID()]: crypto.randomUUID() } }),
    ).rejects.toThrow(/no chosen item is assigned to/);
    await expect(refuse({ backupSetId, itemIds: all, extra: 1 })).rejects.toBeInstanceOf(InputError);
    await expect(refuse({ backupSetId: "x", itemIds: ["y"] })).rejects.toBeInstanceOf(InputError);
    // A backup of a tenant the user cannot read does not exist for them.
    const stranger = await createUser(h.db, "Stranger");
    const strangersTenant = (await createTestTenant(h.db, stranger.id)).id;
    await expect(refuse({ backupSetId, itemIds: all }, stranger, strangersTenant)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    // An operator of both tenants (not owner) cannot restore across them.
    const operator = await createUser(h.db, "Operator");
    await addMember(h.db, { userId: operator.id, tenantId: sourceId, role: "operator" });
    await addMember(h.db, { userId: operator.id, tenantId: targetId, role: "operator" });
    await expect(refuse({ backupSetId, itemIds: all }, operator)).rejects.toBeInstanceOf(NotFoundError);

    expect(await countRows(operationRuns)).toBe(runsBefore);
    expect(await countRows(restoreItems)).toBe(itemsBefore);
  });
});

describe("restore.execute of the script types, Windows update profiles, Autopilot profiles, app protection, administrative templates and intents", () => {
  const SCRIPT_TYPES = [
    "powershell_script",
    "shell_script",
    "remediation",
    "feature_update_profile",
    "quality_update_profile",
    "driver_update_profile",
    "autopilot_profile",
    "ios_app_protection",
    "android_app_protection",
    "windows_app_protection",
    "managed_app_configuration",
    "managed_device_app_configuration",
    "administrative_template",
    "endpoint_security_intent",
  ] as const;
  /** A property that says what the object does, compared between the backup and the recreated object. */
  const CONTENT = {
    powershell_script: "scriptContent",
    shell_script: "scriptContent",
    remediation: "detectionScriptContent",
    feature_update_profile: "featureUpdateVersion",
    quality_update_profile: "expeditedUpdateSettings",
    driver_update_profile: "approvalType",
    autopilot_profile: "outOfBoxExperienceSetting",
    ios_app_protection: "minimumPinLength",
    android_app_protection: "encryptAppData",
    windows_app_protection: "periodOfflineBeforeWipeIsEnforced",
    managed_app_configuration: "customSettings",
    // Its type (iOS or Android Enterprise) comes from the backup: the collection's root is abstract.
    managed_device_app_configuration: "@odata.type",
    // Its values are a navigation of their own: compared below.
    administrative_template: "displayName",
    // Made from the same Microsoft template by its createInstance; its settings are compared below.
    endpoint_security_intent: "templateId",
  };

  it("an app protection policy whose targetApps failed after its create is finished by the retried attempt, created once", async () => {
    const [ios] = await h.db
      .select()
      .from(policies)
      .where(
        and(eq(policies.tenantId, sourceId), eq(policies.family, "ios_app_protection"), eq(policies.assigned, true)),
      )
      .orderBy(policies.name)
      .limit(1);
    const backup = await backUp([ios!.id]);
    const protectionsInTarget = async () =>
      ((await (await emulatorAdmin(`/tenants/${proseware.tenantId}/policies`)).json()) as { family: string }[]).filter(
        (p) => p.family === "iosManagedAppProtections",
      ).length;
    const before = await protectionsInTarget();
    // Every in-call retry of targetApps fails: the first job attempt gives up between the create and the apps.
    await emulatorAdmin("/faults", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        route: "POST /beta/deviceAppManagement/iosManagedAppProtections/T_{id}/targetApps",
        status: 503,
        retryAfter: { seconds: 0 },
        times: graphConfig.maxRetries + 1,
      }),
    });
    const done = await run("restore.execute", targetId, {
      backupSetId: backup.setId,
      itemIds: backup.items.map((i) => i.id),
      mapping: {},
      unmapped: "skip",
    });
    await emulatorAdmin("/faults", { method: "DELETE" });
    expect(done).toMatchObject({ outcome: "succeeded", attempt: 2, summaryCounts: { restored: 1, failed: 0 } });
    expect(await protectionsInTarget()).toBe(before + 1);
    const [result] = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    const apps = (await graphGet(proseware, `${FAMILY_PATHS.ios_app_protection}/${result!.createdPolicyId}/apps`))
      .value as Record<string, unknown>[];
    expect(apps.map((a) => a.mobileAppIdentifier)).toEqual(
      (ios!.content.apps as Record<string, unknown>[]).map((a) => a.mobileAppIdentifier),
    );
  });

  it("recreates one object of each in another tenant: content, groups mapped, a remediation's schedule kept, protected apps targeted", async () => {
    const assigned = await h.db
      .select()
      .from(policies)
      .where(and(eq(policies.tenantId, sourceId), eq(policies.assigned, true)))
      .orderBy(policies.name);
    const chosen = SCRIPT_TYPES.map(
      (family) => assigned.find((p) => p.family === family && assignmentsOf(p.content).some((a) => a.target?.groupId))!,
    );
    const backup = await backUp(chosen.map((p) => p.id));
    const setItems = await h.db
      .select({ id: backupItems.id, family: backupItems.family, name: backupItems.name, content: backupItems.content })
      .from(backupItems)
      .where(eq(backupItems.backupSetId, backup.setId));
    // The backup holds the content the list leaves out (read by id).
    for (const family of SCRIPT_TYPES)
      expect(setItems.find((s) => s.family === family)!.content[CONTENT[family]]).toBeTruthy();

    const groups = await referencedGroups(h.db, sourceId, setItems);
    const mapping = Object.fromEntries(
      Object.entries(await suggestTargets(h.db, targetId, groups)).map(([source, target]) => [source, target.id]),
    );
    const done = await run("restore.execute", targetId, {
      backupSetId: backup.setId,
      itemIds: setItems.map((i) => i.id),
      mapping,
      unmapped: "block",
    });
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({
      outcome: "succeeded",
      summaryCounts: { total: SCRIPT_TYPES.length, restored: SCRIPT_TYPES.length, failed: 0 },
    });

    const results = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    for (const family of SCRIPT_TYPES) {
      const item = setItems.find((s) => s.family === family)!;
      const result = results.find((r) => r.backupItemId === item.id)!;
      // Apps of the source's own catalogue are never sent to another tenant: named, to be chosen again.
      const appsNamed = family === "managed_device_app_configuration";
      expect(result).toMatchObject({
        status: "restored",
        skippedCount: 0,
        message: appsNamed ? expect.stringContaining("to be chosen again in this tenant") : null,
      });
      const created = await graphGet(proseware, `${FAMILY_PATHS[family]}/${result.createdPolicyId}`);
      expect(created[CONTENT[family]]).toEqual(item.content[CONTENT[family]]);
      if (appsNamed) expect(created.targetedMobileApps ?? []).toEqual([]);
      expect(created.displayName).toBe(item.name);
      // Groups swapped for the mapped ones; a remediation's schedule and remediate switch carried over.
      const assignments = (await graphAssignments(family, result.createdPolicyId!)) as unknown as Record<
        string,
        unknown
      >[];
      const backedUp = assignmentsOf(item.content);
      expect(assignments.map((a) => (a.target as { groupId?: string }).groupId)).toEqual(
        backedUp.map((a) => (a.target?.groupId ? mapping[a.target.groupId] : undefined)),
      );
      if (family === "remediation")
        expect(assignments.map((a) => [a.runRemediationScript, a.runSchedule])).toEqual(
          backedUp.map((a) => [a.runRemediationScript, a.runSchedule]),
        );
      // App protection and configuration: an id of the target's own, the backed-up apps set by targetApps (not the create).
      if (family.endsWith("_app_protection") || family === "managed_app_configuration") {
        expect(result.createdPolicyId).toMatch(/^[TA]_/);
        const apps = (await graphGet(proseware, `${FAMILY_PATHS[family]}/${result.createdPolicyId}/apps`))
          .value as Record<string, unknown>[];
        const backedUpApps = item.content.apps as Record<string, unknown>[];
        expect(backedUpApps.length).toBeGreaterThan(0);
        expect(apps.map((a) => a.mobileAppIdentifier)).toEqual(backedUpApps.map((a) => a.mobileAppIdentifier));
        expect(created.appGroupType).toBe(item.content.appGroupType);
      }
      // An administrative template's values, bound to the same built-in definitions, with their presentation values.
      if (family === "administrative_template")
        expect(await definitionValuesIn(proseware, result.createdPolicyId!)).toEqual(valuesOf(item.content));
      // An intent's settings, by definition and value, as the backup holds them.
      if (family === "endpoint_security_intent") {
        type Instance = { definitionId: string; valueJson: string };
        const settings: Instance[] = [];
        let next: unknown = `${FAMILY_PATHS[family]}/${result.createdPolicyId}/settings`;
        while (typeof next === "string") {
          const page = await graphGet(proseware, next.replace(/^.*\/beta\//, "/"));
          settings.push(...(page.value as Instance[]));
          next = page["@odata.nextLink"];
        }
        const pairs = (list: Instance[]) => list.map((s) => `${s.definitionId} ${s.valueJson}`).sort();
        expect(pairs(settings)).toEqual(pairs(item.content.settings as Instance[]));
      }
    }
  });

  it("an administrative template whose values were set but whose answer was lost is finished by the retry, each value once", async () => {
    const [template] = await h.db
      .select()
      .from(policies)
      .where(and(eq(policies.tenantId, sourceId), eq(policies.family, "administrative_template")))
      .orderBy(policies.name);
    const backup = await backUp([template!.id]);
    const [item] = await h.db.select().from(backupItems).where(eq(backupItems.backupSetId, backup.setId));
    const policiesInTarget = async () =>
      ((await (await emulatorAdmin(`/tenants/${proseware.tenantId}/policies`)).json()) as unknown[]).length;
    const before = await policiesInTarget();
    // Intune applies the values, and the answer is lost: the first job attempt fails after the write.
    await emulatorAdmin("/faults", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        route: "POST /beta/deviceManagement/groupPolicyConfigurations/{id}/updateDefinitionValues",
        status: 500,
        afterApply: true,
        times: 1,
      }),
    });
    const done = await run("restore.execute", targetId, {
      backupSetId: backup.setId,
      itemIds: [item!.id],
      mapping: {},
      unmapped: "skip",
    });
    await emulatorAdmin("/faults", { method: "DELETE" });
    expect(done).toMatchObject({ outcome: "succeeded", attempt: 2, summaryCounts: { restored: 1, failed: 0 } });
    expect(await policiesInTarget()).toBe(before + 1);
    const [result] = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    expect(await definitionValuesIn(proseware, result!.createdPolicyId!)).toEqual(valuesOf(item!.content));
  });
});
