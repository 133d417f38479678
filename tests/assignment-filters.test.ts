import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assignmentFilters,
  backupItems,
  backupSets,
  driftBaselineEntries,
  driftFindings,
  entraGroups,
  operationRuns,
  type PolicyFamily,
  policies,
  restoreItems,
  scopeTags,
} from "@/db/schema";
import { setDriftBaseline } from "@/lib/drift/baseline";
import { startOperation } from "@/lib/operations/start";
import { referencedGroups, restorePlan, suggestTargets } from "@/lib/restores/plan";
import { FAMILY_PATHS } from "@/workers/intune";
import { actor, emulatorAdmin, openHarness, waitForCompletion } from "./support/harness";
import { graphAs, openRestorePair, type Person } from "./support/restore-pair";
import { claimEmulatedTenants } from "./support/tenants";

/**
 * Assignment filters and scope tags: the emulator's collections, their caches, a cross-tenant
 * restore that maps them by name, and drift that compares them by name. Filter Field and Filter
 * Fold have the same filters and tags under other ids (the emulator seeds both with filtered
 * assignments and custom tags on their policies); each also has a filter and a tag of its own.
 */
let h: Awaited<ReturnType<typeof openHarness>>;
const [field, fold] = claimEmulatedTenants(import.meta.url, 2);
let run: Awaited<ReturnType<typeof openRestorePair>>["run"];
let owner: Person;
let fieldId: string;
let foldId: string;

type Filter = { id: string; displayName: string; "@odata.type": string };
type Tag = { id: string; displayName: string; isBuiltIn: boolean };
type Target = Record<string, unknown> & { groupId?: string; deviceAndAppManagementAssignmentFilterId?: string };

/** Every page of a collection as Graph lists it, `$top` at a time, and how many pages it took. */
async function listAll<T>(tenant: typeof field, path: string, top: number) {
  const items: T[] = [];
  let url: string | undefined = `${path}?$top=${top}`;
  let pages = 0;
  while (url) {
    const { status, body } = await graphAs(tenant, url.replace(/^https:\/\/[^/]+/, ""));
    expect(status).toBe(200);
    items.push(...(body.value as T[]));
    pages += 1;
    url = body["@odata.nextLink"] as string | undefined;
  }
  return { items, pages };
}

const filtersOf = async (tenant: typeof field) =>
  (await listAll<Filter>(tenant, "/beta/deviceManagement/assignmentFilters", 100)).items;
const tagsOf = async (tenant: typeof field) =>
  (await listAll<Tag>(tenant, "/beta/deviceManagement/roleScopeTags", 100)).items;
const idOfName = (list: { id: string; displayName: string }[], name: string) =>
  list.find((x) => x.displayName === name)!.id;
const assignmentsIn = async (tenant: typeof field, family: PolicyFamily, policyId: string) =>
  (
    (await graphAs(tenant, `/beta${FAMILY_PATHS[family]}/${policyId}/assignments`)).body.value as { target: Target }[]
  ).map((a) => a.target);
const patchPolicy = (tenant: typeof field, policyId: string, patch: Record<string, unknown>) =>
  emulatorAdmin(`/tenants/${tenant.tenantId}/policies/${policyId}`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(patch),
  });
const backupOf = async (tenantId: string, policyIds?: string[]) => {
  const done = await run("backup_set.create", tenantId, policyIds ? { policyIds } : {});
  expect(done.outcome).toBe("succeeded");
  const [set] = await h.db.select().from(backupSets).where(eq(backupSets.runId, done.id));
  return set!.id;
};

beforeAll(async () => {
  h = await openHarness();
  await h.startWorker();
  ({
    owner,
    sourceId: fieldId,
    targetId: foldId,
    run,
  } = await openRestorePair(h, {
    source: field,
    target: fold,
    owner: "Filters owner",
    syncs: ["inventory.sync", "groups"],
  }));
  for (const tenantId of [fieldId, foldId])
    expect((await run("directory_references.sync", tenantId)).outcome).toBe("succeeded");
}, 600_000);
afterAll(async () => {
  await h.close();
});

describe("the emulator's filters and scope tags", () => {
  it("lists every page ($top honoured), beta only, the same names under other ids in each tenant", async () => {
    const paged = await listAll<Filter>(field, "/beta/deviceManagement/assignmentFilters", 2);
    expect(paged.pages).toBe(3);
    expect(paged.items).toHaveLength(5);
    expect(new Set(paged.items.map((f) => f.id)).size).toBe(5);
    expect(
      paged.items.every((f) => f["@odata.type"] === "#microsoft.graph.deviceAndAppManagementAssignmentFilter"),
    ).toBe(true);
    const other = await filtersOf(fold);
    const shared = paged.items.map((f) => f.displayName).filter((n) => other.some((o) => o.displayName === n));
    expect(shared).toHaveLength(4);
    for (const name of shared) expect(idOfName(paged.items, name)).not.toBe(idOfName(other, name));
    expect(paged.items.map((f) => f.displayName)).toContain("Filter Field kiosks");

    const [tagsHere, tagsThere] = [await tagsOf(field), await tagsOf(fold)];
    for (const tags of [tagsHere, tagsThere])
      expect(tags[0]).toMatchObject({ id: "0", displayName: "Default", isBuiltIn: true });
    expect(idOfName(tagsHere, "Europe")).not.toBe(idOfName(tagsThere, "Europe"));
    expect((await graphAs(field, "/v1.0/deviceManagement/assignmentFilters")).status).toBe(400);
  });
});

describe("directory_references.sync", () => {
  it("fills each tenant's caches with its own filters and scope tags", async () => {
    const cached = async (tenantId: string) => ({
      filters: await h.db
        .select({ id: assignmentFilters.id, displayName: assignmentFilters.displayName })
        .from(assignmentFilters)
        .where(eq(assignmentFilters.tenantId, tenantId))
        .orderBy(assignmentFilters.displayName),
      tags: await h.db
        .select({ id: scopeTags.id, displayName: scopeTags.displayName, isBuiltIn: scopeTags.isBuiltIn })
        .from(scopeTags)
        .where(eq(scopeTags.tenantId, tenantId))
        .orderBy(scopeTags.id),
    });
    const byName = (list: { displayName: string }[]) =>
      [...list].sort((a, b) => a.displayName.localeCompare(b.displayName));
    for (const [tenant, tenantId] of [
      [field, fieldId],
      [fold, foldId],
    ] as const) {
      const { filters, tags } = await cached(tenantId);
      expect(byName(filters)).toEqual(
        byName((await filtersOf(tenant)).map(({ id, displayName }) => ({ id, displayName }))),
      );
      expect(tags.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
        (await tagsOf(tenant))
          .map(({ id, displayName, isBuiltIn }) => ({ id, displayName, isBuiltIn }))
          .sort((a, b) => a.id.localeCompare(b.id)),
      );
    }
  });

  it("an attempt that fails midway keeps the old cache; the retry replaces it whole", async () => {
    const kiosks = idOfName(await filtersOf(field), "Filter Field kiosks");
    await emulatorAdmin(`/tenants/${field.tenantId}/references/assignmentFilters/${kiosks}`, {
      method: "PATCH",
      body: JSON.stringify({ displayName: "Filter Field kiosks (renamed)" }),
    });
    // The filters are read, then the scope tags' first page fails: the attempt ends there.
    await emulatorAdmin("/faults", {
      method: "POST",
      body: JSON.stringify({ route: "GET /beta/deviceManagement/roleScopeTags", status: 500, times: 1 }),
    });
    try {
      const nameInCache = async () =>
        (
          await h.db
            .select({ name: assignmentFilters.displayName })
            .from(assignmentFilters)
            .where(and(eq(assignmentFilters.tenantId, fieldId), eq(assignmentFilters.id, kiosks)))
        )[0]?.name;
      const { run: started } = await startOperation(h.deps, {
        actor: actor(owner),
        tenantId: fieldId,
        type: "directory_references.sync",
        inputs: {},
      });
      const deadline = Date.now() + 60_000;
      let failedOnce = false;
      while (!failedOnce && Date.now() < deadline) {
        const [row] = await h.db.select().from(operationRuns).where(eq(operationRuns.id, started.id));
        failedOnce = row!.attemptErrors.length > 0;
        if (!failedOnce) await new Promise((r) => setTimeout(r, 100));
      }
      expect(failedOnce).toBe(true);
      expect(await nameInCache()).toBe("Filter Field kiosks");
      expect(await h.db.select().from(scopeTags).where(eq(scopeTags.tenantId, fieldId))).toHaveLength(5);
      expect((await waitForCompletion(h.db, started.id, 120_000)).outcome).toBe("succeeded");
      expect(await nameInCache()).toBe("Filter Field kiosks (renamed)");
    } finally {
      await emulatorAdmin("/faults", { method: "DELETE" });
      await emulatorAdmin(`/tenants/${field.tenantId}/references/assignmentFilters/${kiosks}`, {
        method: "PATCH",
        body: JSON.stringify({ displayName: "Filter Field kiosks" }),
      });
    }
    expect((await run("directory_references.sync", fieldId)).outcome).toBe("succeeded");
  }, 180_000);
});

/** Each tenant's own filter and scope tag (named after it): in drift across the two, missing and new. */
const OWN_REFERENCES = [
  "missing assignment_filter Filter Field kiosks",
  "missing scope_tag Filter Field only",
  "new assignment_filter Filter Fold kiosks",
  "new scope_tag Filter Fold only",
];

describe("drift across tenants, filters and scope tags by name", () => {
  it("a baseline from the other tenant, with filtered assignments and custom tags, is no drift", async () => {
    await setDriftBaseline(h.db, { actor: actor(owner), tenantId: foldId, backupSetId: await backupOf(fieldId) });
    const entries = await h.db.select().from(driftBaselineEntries).where(eq(driftBaselineEntries.tenantId, foldId));
    // The test means something: many entries filter an assignment or carry a custom tag.
    expect(entries.filter((e) => Object.keys(e.filterNames).length > 0).length).toBeGreaterThan(20);
    expect(entries.filter((e) => Object.keys(e.scopeTagNames).length > 1).length).toBeGreaterThan(20);
    const done = await run("drift.detect", foldId);
    expect(done.failures).toEqual([]);
    // Filters and tags are objects too: only each tenant's own (named after it) differ, Field's missing, Fold's new.
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { changed: 0, missing: 2, new: 2 } });
    const findings = await h.db.select().from(driftFindings).where(eq(driftFindings.runId, done.id));
    expect(findings.map((f) => `${f.kind} ${f.family} ${f.name}`).sort()).toEqual(OWN_REFERENCES);
  }, 300_000);

  it("another filter on one assignment is exactly that policy changed; a revert maps the filter back by name", async () => {
    // A configuration of this tenant with a filtered group assignment and a custom scope tag.
    const listed = (await (await emulatorAdmin(`/tenants/${fold.tenantId}/policies`)).json()) as {
      family: string;
      id: string;
    }[];
    let policyId: string | undefined;
    let tagsBefore: string[] = [];
    for (const p of listed.filter((p) => p.family === "deviceConfigurations")) {
      const targets = await assignmentsIn(fold, "device_configuration", p.id);
      const tags = (await graphAs(fold, `/beta/deviceManagement/deviceConfigurations/${p.id}`)).body
        .roleScopeTagIds as string[];
      if (targets[0]?.deviceAndAppManagementAssignmentFilterId && targets[0].groupId && tags.length > 1) {
        policyId = p.id;
        tagsBefore = tags;
        break;
      }
    }
    expect(policyId).toBeTruthy();
    const original = await assignmentsIn(fold, "device_configuration", policyId!);
    const filters = await filtersOf(fold);
    const before = filters.find((f) => f.id === original[0]!.deviceAndAppManagementAssignmentFilterId)!;
    const other = filters.find((f) => f.id !== before.id && f.displayName !== "Filter Fold kiosks")!;
    const changed = [{ ...original[0]!, deviceAndAppManagementAssignmentFilterId: other.id }, ...original.slice(1)];
    expect(
      (
        await graphAs(fold, `/beta/deviceManagement/deviceConfigurations/${policyId}/assign`, {
          method: "POST",
          body: { assignments: changed.map((target) => ({ target })) },
        })
      ).status,
    ).toBeLessThan(300);

    const detected = await run("drift.detect", foldId);
    expect(detected).toMatchObject({ outcome: "succeeded", summaryCounts: { changed: 1, missing: 2, new: 2 } });
    const [finding] = await h.db
      .select()
      .from(driftFindings)
      .where(and(eq(driftFindings.runId, detected.id), eq(driftFindings.kind, "changed")));
    expect(finding).toMatchObject({ kind: "changed", policyId });
    expect(finding!.changes).toEqual([
      expect.objectContaining({
        baseline: expect.stringContaining(`“${before.displayName}”`),
        current: expect.stringContaining(`“${other.displayName}”`),
      }),
    ]);

    // The baseline's filter has a namesake here: the revert assigns it (by this tenant's id).
    const reverted = await run("drift.revert", foldId, { findingId: finding!.id });
    expect(reverted.failures).toEqual([]);
    expect(reverted.outcome).toBe("succeeded");
    const after = await assignmentsIn(fold, "device_configuration", policyId!);
    expect(after.map((t) => [t.groupId, t.deviceAndAppManagementAssignmentFilterId])).toEqual(
      original.map((t) => [t.groupId, t.deviceAndAppManagementAssignmentFilterId]),
    );
    // Its scope tags are this tenant's of the baseline's names, not the other tenant's numbers.
    const tagsAfter = (await graphAs(fold, `/beta/deviceManagement/deviceConfigurations/${policyId}`)).body
      .roleScopeTagIds;
    expect(tagsAfter).toEqual(tagsBefore);
  }, 300_000);
});

describe("drift of filters and scope tags as objects, across tenants", () => {
  it("a changed filter is reverted in place; a missing one is recreated with its tags by name and cached at once", async () => {
    // Fold compares with Field's backup (above). Someone edits the rule of Fold's "macOS pilot".
    const pilot = idOfName(await filtersOf(fold), "macOS pilot");
    const path = `/beta/deviceManagement/assignmentFilters/${pilot}`;
    const rule = (await graphAs(fold, path)).body.rule;
    expect((await graphAs(fold, path, { method: "PATCH", body: { rule: '(device.model -eq "iMac")' } })).status).toBe(
      200,
    );
    const detected = await run("drift.detect", foldId);
    expect(detected).toMatchObject({ outcome: "succeeded", summaryCounts: { changed: 1, missing: 2, new: 2 } });
    const findings = await h.db.select().from(driftFindings).where(eq(driftFindings.runId, detected.id));
    const changed = findings.find((f) => f.kind === "changed")!;
    expect(changed).toMatchObject({ family: "assignment_filter", name: "macOS pilot", policyId: pilot });
    expect(changed.changes.map((c) => c.key)).toEqual(["property:rule"]);
    expect((await run("drift.revert", foldId, { findingId: changed.id })).outcome).toBe("succeeded");
    expect((await graphAs(fold, path)).body.rule).toBe(rule);

    // Field's own filter is missing here: Revert makes it, and Fold's cache names it without a sync.
    const missing = findings.find((f) => f.kind === "missing" && f.family === "assignment_filter")!;
    const reverted = await run("drift.revert", foldId, { findingId: missing.id });
    expect(reverted.failures).toEqual([]);
    const made = (await filtersOf(fold)).find((f) => f.displayName === "Filter Field kiosks")!;
    expect(made).toBeTruthy();
    expect((await graphAs(fold, `/beta/deviceManagement/assignmentFilters/${made.id}`)).body).toMatchObject({
      roleScopeTags: ["0"],
      platform: "windows10AndLater",
    });
    const cached = await h.db
      .select()
      .from(assignmentFilters)
      .where(and(eq(assignmentFilters.tenantId, foldId), eq(assignmentFilters.id, made.id)));
    expect(cached.map((f) => f.displayName)).toEqual(["Filter Field kiosks"]);
    const again = await run("drift.detect", foldId);
    expect(again).toMatchObject({ summaryCounts: { changed: 0, missing: 1, new: 2 } });

    // The later tests expect Field's own filter to have no namesake in Fold.
    expect(
      (await graphAs(fold, `/beta/deviceManagement/assignmentFilters/${made.id}`, { method: "DELETE" })).status,
    ).toBe(204);
    expect((await run("directory_references.sync", foldId)).outcome).toBe("succeeded");
  }, 300_000);
});

describe("restore across tenants maps filters and scope tags by name", () => {
  /**
   * Filtered (a shared filter), tagged (a shared tag), one using the source's own filter and tag, and
   * an iOS app protection policy (T_ id, apps set by targetApps) with a shared filter and tag.
   */
  let chosen: { filtered: string; tagged: string; own: string; protection: string };
  let backupSetId: string;
  let items: { id: string; name: string; policyId: string; family: PolicyFamily }[];
  let fieldFilters: Filter[];
  let foldFilters: Filter[];
  let fieldTags: Tag[];
  let foldTags: Tag[];

  beforeAll(async () => {
    [fieldFilters, foldFilters, fieldTags, foldTags] = await Promise.all([
      filtersOf(field),
      filtersOf(fold),
      tagsOf(field),
      tagsOf(fold),
    ]);
    const inventory = await h.db
      .select()
      .from(policies)
      .where(and(eq(policies.tenantId, fieldId), eq(policies.family, "device_configuration")))
      .orderBy(policies.name);
    const targetsOf = (p: (typeof inventory)[number]) =>
      ((p.content.assignments as { target: Target }[] | undefined) ?? []).map((a) => a.target);
    const tags = (p: (typeof inventory)[number]) => (p.content.roleScopeTagIds as string[] | undefined) ?? [];
    const filtered = inventory.find(
      (p) => targetsOf(p)[0]?.deviceAndAppManagementAssignmentFilterId && targetsOf(p)[0]?.groupId,
    )!;
    const tagged = inventory.find((p) => p.id !== filtered.id && tags(p).length > 1)!;
    const own = inventory.find(
      (p) => p.id !== filtered.id && p.id !== tagged.id && targetsOf(p).some((t) => t.groupId) && tags(p).length === 1,
    )!;
    // The source's own filter on one of its assignments and its own tag beside Default: no namesakes.
    const ownTargets = targetsOf(own).map((t, i) =>
      i === 0
        ? {
            ...t,
            deviceAndAppManagementAssignmentFilterId: idOfName(fieldFilters, "Filter Field kiosks"),
            deviceAndAppManagementAssignmentFilterType: "exclude",
          }
        : t,
    );
    await patchPolicy(field, own.id, {
      body: { roleScopeTagIds: ["0", idOfName(fieldTags, "Filter Field only"), idOfName(fieldTags, "Pilot")] },
      assignments: [
        ...ownTargets,
        // Unfiltered, yet naming a filter id (type "none"): that id must not cross either.
        {
          "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget",
          deviceAndAppManagementAssignmentFilterId: idOfName(fieldFilters, "Corporate Windows devices"),
          deviceAndAppManagementAssignmentFilterType: "none",
        },
      ].map((target) => ({ id: crypto.randomUUID(), target })),
    });
    const protectionTargets = (
      await h.db
        .select()
        .from(policies)
        .where(and(eq(policies.tenantId, fieldId), eq(policies.family, "ios_app_protection")))
    )
      .map((p) => ({ p, targets: targetsOf(p) }))
      .find(({ targets }) => targets[0]?.groupId && targets[0]?.deviceAndAppManagementAssignmentFilterId);
    expect(protectionTargets).toBeTruthy();
    await patchPolicy(field, protectionTargets!.p.id, {
      body: { roleScopeTagIds: ["0", idOfName(fieldTags, "Pilot")] },
    });
    chosen = { filtered: filtered.id, tagged: tagged.id, own: own.id, protection: protectionTargets!.p.id };
    backupSetId = await backupOf(fieldId, Object.values(chosen));
    items = await h.db
      .select({
        id: backupItems.id,
        name: backupItems.name,
        policyId: backupItems.policyId,
        family: backupItems.family,
      })
      .from(backupItems)
      .where(eq(backupItems.backupSetId, backupSetId));
  }, 300_000);

  const itemOf = (policyId: string) => items.find((i) => i.policyId === policyId)!;
  const restoreInto = async (tenantId: string) => {
    const withContent = await h.db.select().from(backupItems).where(eq(backupItems.backupSetId, backupSetId));
    const groups = await referencedGroups(h.db, fieldId, withContent);
    const mapping =
      tenantId === fieldId
        ? Object.fromEntries(groups.map((g) => [g.id, g.id]))
        : Object.fromEntries(
            Object.entries(await suggestTargets(h.db, tenantId, groups)).map(([source, target]) => [source, target.id]),
          );
    const inputs = { backupSetId, itemIds: items.map((i) => i.id), mapping, unmapped: "skip" as const };
    const done = await run("restore.execute", tenantId, inputs);
    const results = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    const created = (policyId: string) => results.find((r) => r.backupItemId === itemOf(policyId).id)!;
    return { done, inputs, created };
  };
  const sourceTargets = async (policyId: string) =>
    (
      (
        await h.db
          .select({ content: backupItems.content })
          .from(backupItems)
          .where(and(eq(backupItems.backupSetId, backupSetId), eq(backupItems.policyId, policyId)))
      )[0]!.content.assignments as { target: Target }[]
    ).map((a) => a.target);

  it("the plan names each filter and tag with its target of the same name, or none", async () => {
    const plan = await restorePlan(h.db, {
      targetTenantId: foldId,
      sourceTenantId: fieldId,
      inputs: { backupSetId, itemIds: items.map((i) => i.id), mapping: {}, unmapped: "skip" },
    });
    const rows = Object.fromEntries(plan.references.map((r) => [`${r.kind}:${r.name}`, r.targetId ?? null]));
    expect(rows["filter:Filter Field kiosks"]).toBeNull();
    expect(rows["scopeTag:Filter Field only"]).toBeNull();
    expect(rows["scopeTag:Pilot"]).toBe(idOfName(foldTags, "Pilot"));
    const filterName = fieldFilters.find(
      (f) => f.id === plan.items.find((i) => i.backupItemId === itemOf(chosen.filtered).id)!.assignments[0]!.filter?.id,
    )!.displayName;
    expect(rows[`filter:${filterName}`]).toBe(idOfName(foldFilters, filterName));
  });

  it("into another tenant: the target's ids of the same names; without a namesake left out and named", async () => {
    const { done, created } = await restoreInto(foldId);
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { restored: 4 } });

    // App protection: group, filter and scope tag each the target's namesake; its apps targeted.
    const protectionSource = await sourceTargets(chosen.protection);
    const protectionFilter = fieldFilters.find(
      (f) => f.id === protectionSource[0]!.deviceAndAppManagementAssignmentFilterId,
    )!;
    const protectionId = created(chosen.protection).createdPolicyId!;
    expect(protectionId).toMatch(/^T_/);
    const protectionHere = await assignmentsIn(fold, "ios_app_protection", protectionId);
    expect(protectionHere[0]).toMatchObject({
      deviceAndAppManagementAssignmentFilterId: idOfName(foldFilters, protectionFilter.displayName),
    });
    expect(protectionHere[0]!.groupId).toBeTruthy();
    expect(protectionHere[0]!.groupId).not.toBe(protectionSource[0]!.groupId);
    const protectionPolicy = await graphAs(
      fold,
      `/beta${FAMILY_PATHS.ios_app_protection}/${protectionId}?$expand=apps`,
    );
    expect(protectionPolicy.body.roleScopeTagIds).toEqual(["0", idOfName(foldTags, "Pilot")]);
    expect((protectionPolicy.body.apps as unknown[]).length).toBeGreaterThan(0);

    // The filtered assignment carries the target's filter of the same name.
    const source = await sourceTargets(chosen.filtered);
    const sourceFilter = fieldFilters.find((f) => f.id === source[0]!.deviceAndAppManagementAssignmentFilterId)!;
    const filteredHere = await assignmentsIn(fold, "device_configuration", created(chosen.filtered).createdPolicyId!);
    expect(filteredHere[0]).toMatchObject({
      deviceAndAppManagementAssignmentFilterId: idOfName(foldFilters, sourceFilter.displayName),
      deviceAndAppManagementAssignmentFilterType: source[0]!.deviceAndAppManagementAssignmentFilterType,
    });

    // The tagged policy carries the target's tag of the same name.
    const [taggedSource] = await h.db.select().from(policies).where(eq(policies.id, chosen.tagged));
    const tagName = fieldTags.find((t) => t.id === (taggedSource!.content.roleScopeTagIds as string[])[1])!.displayName;
    const taggedHere = await graphAs(
      fold,
      `/beta${FAMILY_PATHS.device_configuration}/${created(chosen.tagged).createdPolicyId}`,
    );
    expect(taggedHere.body.roleScopeTagIds).toEqual(["0", idOfName(foldTags, tagName)]);

    // The source's own filter and tag have no namesake: that assignment and that tag are left out.
    const ownHere = await assignmentsIn(fold, "device_configuration", created(chosen.own).createdPolicyId!);
    const ownSource = await sourceTargets(chosen.own);
    expect(ownHere).toHaveLength(ownSource.length - 1);
    expect(ownHere.some((t) => t.deviceAndAppManagementAssignmentFilterId)).toBe(false);
    const ownPolicy = await graphAs(
      fold,
      `/beta${FAMILY_PATHS.device_configuration}/${created(chosen.own).createdPolicyId}`,
    );
    expect(ownPolicy.body.roleScopeTagIds).toEqual(["0", idOfName(foldTags, "Pilot")]);
    expect(created(chosen.own).message).toContain("filter “Filter Field kiosks” has no namesake");
    expect(created(chosen.own).message).toContain("scope tag “Filter Field only”");

    // No id of the source's filters reached the target.
    const sent = JSON.stringify([filteredHere, ownHere, protectionHere]);
    for (const f of fieldFilters) expect(sent).not.toContain(f.id);
  }, 300_000);

  it("into the same tenant: every filter and tag id is kept", async () => {
    const { done, created } = await restoreInto(fieldId);
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { restored: 4 } });
    const ownHere = await assignmentsIn(field, "device_configuration", created(chosen.own).createdPolicyId!);
    expect(ownHere.map((t) => t.deviceAndAppManagementAssignmentFilterId)).toEqual(
      (await sourceTargets(chosen.own)).map((t) => t.deviceAndAppManagementAssignmentFilterId),
    );
    const ownPolicy = await graphAs(
      field,
      `/beta${FAMILY_PATHS.device_configuration}/${created(chosen.own).createdPolicyId}`,
    );
    expect(ownPolicy.body.roleScopeTagIds).toEqual([
      "0",
      idOfName(fieldTags, "Filter Field only"),
      idOfName(fieldTags, "Pilot"),
    ]);
  }, 300_000);

  it("an administrative template into another tenant: its values, and its group, filter and scope tag by name", async () => {
    const templates = await h.db
      .select()
      .from(policies)
      .where(and(eq(policies.tenantId, fieldId), eq(policies.family, "administrative_template")))
      .orderBy(policies.name);
    const groupOf = (p: (typeof templates)[number]) =>
      ((p.content.assignments as { target: Target }[]).find((a) => a.target.groupId)?.target.groupId as string) ??
      undefined;
    const template = templates.find((p) => groupOf(p));
    const group = { id: groupOf(template!)! };
    const filterName = "Corporate Windows devices";
    await patchPolicy(field, template!.id, {
      body: { roleScopeTagIds: ["0", idOfName(fieldTags, "Pilot")] },
      assignments: [
        {
          id: crypto.randomUUID(),
          target: {
            "@odata.type": "#microsoft.graph.groupAssignmentTarget",
            groupId: group!.id,
            deviceAndAppManagementAssignmentFilterId: idOfName(fieldFilters, filterName),
            deviceAndAppManagementAssignmentFilterType: "include",
          },
        },
      ],
    });
    const setId = await backupOf(fieldId, [template!.id]);
    const [item] = await h.db.select().from(backupItems).where(eq(backupItems.backupSetId, setId));
    const groups = await referencedGroups(h.db, fieldId, [item!]);
    const mapping = Object.fromEntries(
      Object.entries(await suggestTargets(h.db, foldId, groups)).map(([source, target]) => [source, target.id]),
    );
    expect(Object.keys(mapping)).toEqual([group!.id]);
    const done = await run("restore.execute", foldId, {
      backupSetId: setId,
      itemIds: [item!.id],
      mapping,
      unmapped: "block",
    });
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { restored: 1 } });
    const [result] = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    const path = `/beta${FAMILY_PATHS.administrative_template}/${result!.createdPolicyId}`;
    expect((await graphAs(fold, path)).body.roleScopeTagIds).toEqual(["0", idOfName(foldTags, "Pilot")]);
    expect(await assignmentsIn(fold, "administrative_template", result!.createdPolicyId!)).toEqual([
      {
        "@odata.type": "#microsoft.graph.groupAssignmentTarget",
        groupId: mapping[group!.id],
        deviceAndAppManagementAssignmentFilterId: idOfName(foldFilters, filterName),
        deviceAndAppManagementAssignmentFilterType: "include",
      },
    ]);
    // The values, bound to the same built-in definitions as in the source.
    const values = (await graphAs(fold, `${path}/definitionValues?$expand=definition`)).body.value as {
      enabled: boolean;
      definition: { id: string };
    }[];
    const backedUp = item!.content.definitionValues as { enabled: boolean; definition: { id: string } }[];
    const pairs = (list: typeof values) => list.map((v) => `${v.definition.id} ${v.enabled}`).sort();
    expect(pairs(values)).toEqual(pairs(backedUp));
  }, 300_000);
});

describe("an Autopilot profile across tenants (assigned one assignment entity at a time)", () => {
  it("carries its group, filter and scope tag over by name, and a same-tenant restore keeps every id", async () => {
    const [fieldFilters, foldFilters, fieldTags, foldTags] = await Promise.all([
      filtersOf(field),
      filtersOf(fold),
      tagsOf(field),
      tagsOf(fold),
    ]);
    const [profile] = await h.db
      .select()
      .from(policies)
      .where(and(eq(policies.tenantId, fieldId), eq(policies.family, "autopilot_profile")))
      .orderBy(policies.name);
    const [group] = await h.db
      .select({ id: entraGroups.id })
      .from(entraGroups)
      .where(eq(entraGroups.tenantId, fieldId))
      .orderBy(entraGroups.displayName)
      .limit(1);
    const filtered: Target = {
      "@odata.type": "#microsoft.graph.groupAssignmentTarget",
      groupId: group!.id,
      deviceAndAppManagementAssignmentFilterId: idOfName(fieldFilters, "Corporate Windows devices"),
      deviceAndAppManagementAssignmentFilterType: "include",
    };
    const allDevices: Target = { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" };
    await patchPolicy(field, profile!.id, {
      body: { roleScopeTagIds: ["0", idOfName(fieldTags, "Pilot")] },
      assignments: [filtered, allDevices].map((target) => ({
        id: crypto.randomUUID(),
        source: "direct",
        sourceId: null,
        target,
      })),
    });
    const setId = await backupOf(fieldId, [profile!.id]);
    const withContent = await h.db.select().from(backupItems).where(eq(backupItems.backupSetId, setId));
    const groups = await referencedGroups(h.db, fieldId, withContent);
    const mapping = Object.fromEntries(
      Object.entries(await suggestTargets(h.db, foldId, groups)).map(([source, target]) => [source, target.id]),
    );
    expect(mapping[group!.id]).toBeTruthy();
    const inputs = { backupSetId: setId, itemIds: withContent.map((i) => i.id), mapping, unmapped: "block" as const };

    const done = await run("restore.execute", foldId, inputs);
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { restored: 1, assignments: 2 } });
    const [result] = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    const here = await assignmentsIn(fold, "autopilot_profile", result!.createdPolicyId!);
    expect(here).toEqual([
      {
        ...filtered,
        groupId: mapping[group!.id],
        deviceAndAppManagementAssignmentFilterId: idOfName(foldFilters, "Corporate Windows devices"),
      },
      allDevices,
    ]);
    const created = await graphAs(fold, `/beta${FAMILY_PATHS.autopilot_profile}/${result!.createdPolicyId}`);
    expect(created.body).toMatchObject({
      "@odata.type": profile!.content["@odata.type"],
      displayName: profile!.name,
      roleScopeTagIds: ["0", idOfName(foldTags, "Pilot")],
    });
    // What Graph sets itself, deprecated mirrors included, was not sent (the create would be refused).
    expect(created.body.language).toBeUndefined();

    const same = await run("restore.execute", fieldId, {
      ...inputs,
      mapping: Object.fromEntries(groups.map((g) => [g.id, g.id])),
    });
    expect(same).toMatchObject({ outcome: "succeeded", summaryCounts: { restored: 1, assignments: 2 } });
    const [again] = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, same.id));
    expect(await assignmentsIn(field, "autopilot_profile", again!.createdPolicyId!)).toEqual([filtered, allDevices]);
  }, 300_000);
});

describe("creating filters and scope tags in the emulator", () => {
  it("creates each with the properties its type defines, refusing read-only and unknown ones", async () => {
    const filter = await graphAs(fold, "/beta/deviceManagement/assignmentFilters", {
      method: "POST",
      body: {
        displayName: "Created filter",
        platform: "windows10AndLater",
        rule: '(device.osVersion -startsWith "10.0")',
        assignmentFilterManagementType: "devices",
      },
    });
    expect(filter.status).toBe(201);
    expect(filter.body).toMatchObject({ displayName: "Created filter", platform: "windows10AndLater" });
    const got = await graphAs(fold, `/beta/deviceManagement/assignmentFilters/${filter.body.id}`);
    expect(got.body.displayName).toBe("Created filter");
    const withId = await graphAs(fold, "/beta/deviceManagement/assignmentFilters", {
      method: "POST",
      body: { displayName: "x", id: "mine" },
    });
    expect(withId.status).toBe(400);
    expect((withId.body.error as { code: string }).code).toBe("ModelValidationFailure");

    const tag = await graphAs(fold, "/beta/deviceManagement/roleScopeTags", {
      method: "POST",
      body: { displayName: "Created tag", description: "made by a test" },
    });
    expect(tag.status).toBe(201);
    expect(tag.body).toMatchObject({ displayName: "Created tag", isBuiltIn: false });
    const builtIn = await graphAs(fold, "/beta/deviceManagement/roleScopeTags", {
      method: "POST",
      body: { displayName: "y", isBuiltIn: true },
    });
    expect(builtIn.status).toBe(400);
  });
});

describe("restore across tenants of the types inside other collections", () => {
  it("recreates an update ring and an endpoint-security policy in another tenant: its type, template and settings, a group, a filter and a scope tag mapped", async () => {
    const [fieldFilters, foldFilters, fieldTags, foldTags] = await Promise.all([
      filtersOf(field),
      filtersOf(fold),
      tagsOf(field),
      tagsOf(fold),
    ]);
    const inventory = await h.db.select().from(policies).where(eq(policies.tenantId, fieldId)).orderBy(policies.name);
    const ring = inventory.find((p) => p.family === "update_ring")!;
    const antivirus = inventory.find((p) => p.family === "endpoint_security_antivirus")!;
    const groupId = inventory
      .flatMap((p) => (p.content.assignments as { target: Target }[]).map((a) => a.target))
      .find((t) => t["@odata.type"] === "#microsoft.graph.groupAssignmentTarget")!.groupId!;
    const shared = "Corporate Windows devices";
    for (const policy of [ring, antivirus])
      await patchPolicy(field, policy.id, {
        body: { roleScopeTagIds: ["0", idOfName(fieldTags, "Pilot")] },
        assignments: [
          {
            id: crypto.randomUUID(),
            target: {
              "@odata.type": "#microsoft.graph.groupAssignmentTarget",
              groupId,
              deviceAndAppManagementAssignmentFilterId: idOfName(fieldFilters, shared),
              deviceAndAppManagementAssignmentFilterType: "include",
            },
          },
        ],
      });
    const backupSetId = await backupOf(fieldId, [ring.id, antivirus.id]);
    const setItems = await h.db.select().from(backupItems).where(eq(backupItems.backupSetId, backupSetId));
    expect(setItems.map((i) => i.family).sort()).toEqual(["endpoint_security_antivirus", "update_ring"]);
    const groups = await referencedGroups(h.db, fieldId, setItems);
    const mapping = Object.fromEntries(
      Object.entries(await suggestTargets(h.db, foldId, groups)).map(([source, target]) => [source, target.id]),
    );
    expect(mapping[groupId]).toBeTruthy();
    const done = await run("restore.execute", foldId, {
      backupSetId,
      itemIds: setItems.map((i) => i.id),
      mapping,
      unmapped: "block",
    });
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { restored: 2 } });
    const results = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    for (const item of setItems) {
      const createdId = results.find((r) => r.backupItemId === item.id)!.createdPolicyId!;
      const created = (await graphAs(fold, `/beta${FAMILY_PATHS[item.family]}/${createdId}`)).body;
      expect(created.roleScopeTagIds).toEqual(["0", idOfName(foldTags, "Pilot")]);
      expect(await assignmentsIn(fold, item.family, createdId)).toEqual([
        {
          "@odata.type": "#microsoft.graph.groupAssignmentTarget",
          groupId: mapping[groupId],
          deviceAndAppManagementAssignmentFilterId: idOfName(foldFilters, shared),
          deviceAndAppManagementAssignmentFilterType: "include",
        },
      ]);
      if (item.family === "update_ring") {
        expect(created["@odata.type"]).toBe("#microsoft.graph.windowsUpdateForBusinessConfiguration");
        expect(created.qualityUpdatesDeferralPeriodInDays).toBe(item.content.qualityUpdatesDeferralPeriodInDays);
      } else {
        // Graph fills the template's family from its id: the copy is an antivirus policy there too.
        expect(created.templateReference).toEqual(item.content.templateReference);
        const settings = (await graphAs(fold, `/beta${FAMILY_PATHS[item.family]}/${createdId}/settings`)).body.value;
        expect((settings as { settingInstance: unknown }[]).map((s) => s.settingInstance)).toEqual(
          (item.content.settings as { settingInstance: unknown }[]).map((s) => s.settingInstance),
        );
      }
    }
  }, 300_000);
});

describe("app configuration for managed devices across tenants (apps of each tenant's own catalogue)", () => {
  it("carries its group, filter and scope tag over by name, leaves the source's app ids out and names each app; a same-tenant restore keeps them", async () => {
    const [fieldFilters, foldFilters, fieldTags, foldTags] = await Promise.all([
      filtersOf(field),
      filtersOf(fold),
      tagsOf(field),
      tagsOf(fold),
    ]);
    const [configuration] = await h.db
      .select()
      .from(policies)
      .where(and(eq(policies.tenantId, fieldId), eq(policies.family, "managed_device_app_configuration")))
      .orderBy(policies.name);
    const [group] = await h.db
      .select({ id: entraGroups.id })
      .from(entraGroups)
      .where(eq(entraGroups.tenantId, fieldId))
      .orderBy(entraGroups.displayName)
      .limit(1);
    const shared = "Corporate Windows devices";
    const filtered: Target = {
      "@odata.type": "#microsoft.graph.groupAssignmentTarget",
      groupId: group!.id,
      deviceAndAppManagementAssignmentFilterId: idOfName(fieldFilters, shared),
      deviceAndAppManagementAssignmentFilterType: "include",
    };
    const allUsers: Target = { "@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget" };
    await patchPolicy(field, configuration!.id, {
      body: { roleScopeTagIds: ["0", idOfName(fieldTags, "Pilot")] },
      assignments: [filtered, allUsers].map((target) => ({ id: crypto.randomUUID(), target })),
    });
    const appIds = configuration!.content.targetedMobileApps as string[];
    expect(appIds).toHaveLength(1);
    const sourceApp = (await graphAs(field, `/beta/deviceAppManagement/mobileApps/${appIds[0]}`)).body;

    const setId = await backupOf(fieldId, [configuration!.id]);
    const withContent = await h.db.select().from(backupItems).where(eq(backupItems.backupSetId, setId));
    // The backup keeps each targeted app's name beside its id (Graph returns only ids with the object).
    expect(withContent[0]!.content["@tenantatlas.tenantAppNames"]).toEqual({ [appIds[0]!]: sourceApp.displayName });
    const groups = await referencedGroups(h.db, fieldId, withContent);
    const mapping = Object.fromEntries(
      Object.entries(await suggestTargets(h.db, foldId, groups)).map(([source, target]) => [source, target.id]),
    );
    expect(mapping[group!.id]).toBeTruthy();
    const inputs = { backupSetId: setId, itemIds: withContent.map((i) => i.id), mapping, unmapped: "block" as const };

    const done = await run("restore.execute", foldId, inputs);
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { restored: 1, assignments: 2 } });
    const [result] = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    // The result names the app to choose again, by the name the source tenant gave it.
    expect(result!.message).toContain(`“${String(sourceApp.displayName)}” (${appIds[0]} in the source tenant)`);
    expect(await assignmentsIn(fold, "managed_device_app_configuration", result!.createdPolicyId!)).toEqual([
      {
        ...filtered,
        groupId: mapping[group!.id],
        deviceAndAppManagementAssignmentFilterId: idOfName(foldFilters, shared),
      },
      allUsers,
    ]);
    const created = (
      await graphAs(fold, `/beta${FAMILY_PATHS.managed_device_app_configuration}/${result!.createdPolicyId}`)
    ).body;
    expect(created).toMatchObject({
      "@odata.type": configuration!.content["@odata.type"],
      displayName: configuration!.name,
      roleScopeTagIds: ["0", idOfName(foldTags, "Pilot")],
    });
    // No foreign app id was sent: the copy targets no app until one of this tenant's is chosen.
    expect(created.targetedMobileApps ?? []).toEqual([]);
    for (const key of ["settings", "encodedSettingXml", "payloadJson"])
      expect(created[key]).toEqual(configuration!.content[key]);

    const same = await run("restore.execute", fieldId, {
      ...inputs,
      mapping: Object.fromEntries(groups.map((g) => [g.id, g.id])),
    });
    expect(same).toMatchObject({ outcome: "succeeded", summaryCounts: { restored: 1, assignments: 2 } });
    const [again] = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, same.id));
    expect(again!.message).toBeNull();
    const copy = (
      await graphAs(field, `/beta${FAMILY_PATHS.managed_device_app_configuration}/${again!.createdPolicyId}`)
    ).body;
    expect(copy.targetedMobileApps).toEqual(appIds);
    expect(await assignmentsIn(field, "managed_device_app_configuration", again!.createdPolicyId!)).toEqual([
      filtered,
      allUsers,
    ]);
  }, 300_000);
});

describe("enrollment configurations across tenants (ranked, with a default of each kind)", () => {
  const COLLECTION = `/beta${FAMILY_PATHS.enrollment_status_page}`;
  const allOf = async (tenant: typeof field) => (await listAll<Record<string, unknown>>(tenant, COLLECTION, 100)).items;
  const limitDefaults = (items: Record<string, unknown>[]) =>
    items.filter((i) => i["@odata.type"] === "#microsoft.graph.deviceEnrollmentLimitConfiguration" && i.priority === 0);

  it("a page at its rank with its group, filter and scope tag mapped; a default updates the target's own in place, across tenants and in the same one", async () => {
    const [fieldFilters, foldFilters, fieldTags, foldTags] = await Promise.all([
      filtersOf(field),
      filtersOf(fold),
      tagsOf(field),
      tagsOf(fold),
    ]);
    const fieldItems = await allOf(field);
    const page = fieldItems.find(
      (i) => i["@odata.type"] === "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration" && i.priority === 2,
    )!;
    const [fieldDefault] = limitDefaults(fieldItems);
    const [group] = await h.db
      .select({ id: entraGroups.id })
      .from(entraGroups)
      .where(eq(entraGroups.tenantId, fieldId))
      .orderBy(entraGroups.displayName)
      .limit(1);
    const shared = "Corporate Windows devices";
    const filtered: Target = {
      "@odata.type": "#microsoft.graph.groupAssignmentTarget",
      groupId: group!.id,
      deviceAndAppManagementAssignmentFilterId: idOfName(fieldFilters, shared),
      deviceAndAppManagementAssignmentFilterType: "include",
    };
    await patchPolicy(field, String(page.id), {
      body: { roleScopeTagIds: ["0", idOfName(fieldTags, "Pilot")], installProgressTimeoutInMinutes: 95 },
      assignments: [{ id: crypto.randomUUID(), target: filtered }],
    });
    await patchPolicy(field, String(fieldDefault!.id), { body: { limit: 11 } });
    const setId = await backupOf(fieldId, [String(page.id), String(fieldDefault!.id)]);
    const setItems = await h.db.select().from(backupItems).where(eq(backupItems.backupSetId, setId));
    expect(setItems.map((i) => i.family).sort()).toEqual(["enrollment_limit", "enrollment_status_page"]);
    const groups = await referencedGroups(h.db, fieldId, setItems);
    const mapping = Object.fromEntries(
      Object.entries(await suggestTargets(h.db, foldId, groups)).map(([source, target]) => [source, target.id]),
    );
    const inputs = { backupSetId: setId, itemIds: setItems.map((i) => i.id), mapping, unmapped: "block" as const };
    const foldBefore = await allOf(fold);

    const done = await run("restore.execute", foldId, inputs);
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { restored: 2, assignments: 1 } });
    const results = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    const resultOf = (family: PolicyFamily) =>
      results.find((r) => r.backupItemId === setItems.find((i) => i.family === family)!.id)!;
    const foldAfter = await allOf(fold);
    // One object more (the page); the default of the target updated, not a second one made.
    expect(foldAfter).toHaveLength(foldBefore.length + 1);
    const [foldDefault] = limitDefaults(foldAfter);
    expect(limitDefaults(foldAfter)).toHaveLength(1);
    expect(foldDefault).toMatchObject({ id: limitDefaults(foldBefore)[0]!.id, limit: 11, priority: 0 });
    expect(resultOf("enrollment_limit")).toMatchObject({ createdPolicyId: foldDefault!.id });
    expect(resultOf("enrollment_limit").message).toContain("default of its kind updated in place");
    // The page: its kind and settings, at the rank it had (set after the create), mapped references.
    const createdId = resultOf("enrollment_status_page").createdPolicyId!;
    expect(createdId).toMatch(/_Windows10EnrollmentCompletionPageConfiguration$/);
    const created = foldAfter.find((i) => i.id === createdId)!;
    expect(created).toMatchObject({
      displayName: page.displayName,
      priority: 2,
      installProgressTimeoutInMinutes: 95,
      roleScopeTagIds: ["0", idOfName(foldTags, "Pilot")],
    });
    expect(await assignmentsIn(fold, "enrollment_status_page", createdId)).toEqual([
      {
        ...filtered,
        groupId: mapping[group!.id],
        deviceAndAppManagementAssignmentFilterId: idOfName(foldFilters, shared),
      },
    ]);

    // Into the same tenant: the default is the source's own, put back in place; the page is a copy.
    await patchPolicy(field, String(fieldDefault!.id), { body: { limit: 5 } });
    const fieldBefore = await allOf(field);
    const same = await run("restore.execute", fieldId, {
      ...inputs,
      mapping: Object.fromEntries(groups.map((g) => [g.id, g.id])),
    });
    expect(same.failures).toEqual([]);
    expect(same).toMatchObject({ outcome: "succeeded", summaryCounts: { restored: 2 } });
    const fieldAfter = await allOf(field);
    expect(fieldAfter).toHaveLength(fieldBefore.length + 1);
    expect(limitDefaults(fieldAfter)).toEqual([expect.objectContaining({ id: fieldDefault!.id, limit: 11 })]);
  }, 300_000);
});

describe("an endpoint-security intent across tenants (made by its template's createInstance)", () => {
  const intentsIn = async (tenant: typeof field) =>
    (await listAll<{ id: string; displayName: string }>(tenant, `/beta${FAMILY_PATHS.endpoint_security_intent}`, 100))
      .items;
  const settingsIn = async (tenant: typeof field, intentId: string) =>
    (
      await listAll<{ definitionId: string; valueJson: string }>(
        tenant,
        `/beta${FAMILY_PATHS.endpoint_security_intent}/${intentId}/settings`,
        4,
      )
    ).items
      .map((s) => `${s.definitionId} ${s.valueJson}`)
      .sort();

  it("carries its template, every setting past a page, its group, filter and scope tag over by name; a lost createInstance answer is created once", async () => {
    const [fieldFilters, foldFilters, fieldTags, foldTags] = await Promise.all([
      filtersOf(field),
      filtersOf(fold),
      tagsOf(field),
      tagsOf(fold),
    ]);
    const intents = await h.db
      .select()
      .from(policies)
      .where(and(eq(policies.tenantId, fieldId), eq(policies.family, "endpoint_security_intent")))
      .orderBy(policies.name);
    // The one with 14 settings: more than a settings page.
    const intent = intents.find((p) => (p.content.settings as unknown[]).length > 10)!;
    const groupId = intents
      .flatMap((p) => (p.content.assignments as { target: Target }[]).map((a) => a.target))
      .find((t) => t["@odata.type"] === "#microsoft.graph.groupAssignmentTarget")!.groupId!;
    const filterName = "Corporate Windows devices";
    await patchPolicy(field, intent.id, {
      body: { roleScopeTagIds: ["0", idOfName(fieldTags, "Pilot")] },
      assignments: [
        {
          id: crypto.randomUUID(),
          target: {
            "@odata.type": "#microsoft.graph.groupAssignmentTarget",
            groupId,
            deviceAndAppManagementAssignmentFilterId: idOfName(fieldFilters, filterName),
            deviceAndAppManagementAssignmentFilterType: "include",
          },
        },
      ],
    });
    const setId = await backupOf(fieldId, [intent.id]);
    const [item] = await h.db.select().from(backupItems).where(eq(backupItems.backupSetId, setId));
    expect((item!.content.settings as unknown[]).length).toBe(14);
    const groups = await referencedGroups(h.db, fieldId, [item!]);
    const mapping = Object.fromEntries(
      Object.entries(await suggestTargets(h.db, foldId, groups)).map(([source, target]) => [source, target.id]),
    );
    expect(Object.keys(mapping)).toEqual([groupId]);
    const before = (await intentsIn(fold)).length;
    // Intune makes the intent and the answer is lost: the first job attempt fails after the write.
    await emulatorAdmin("/faults", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        route: "POST /beta/deviceManagement/templates/{id}/createInstance",
        status: 500,
        afterApply: true,
        times: 1,
      }),
    });
    const done = await run("restore.execute", foldId, {
      backupSetId: setId,
      itemIds: [item!.id],
      mapping,
      unmapped: "block",
    }).finally(() => emulatorAdmin("/faults", { method: "DELETE" }));
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { restored: 1 } });
    expect((await intentsIn(fold)).length).toBe(before + 1);
    const [result] = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    const path = `/beta${FAMILY_PATHS.endpoint_security_intent}/${result!.createdPolicyId}`;
    const created = (await graphAs(fold, path)).body;
    expect(created).toMatchObject({
      displayName: intent.name,
      templateId: item!.content.templateId,
      roleScopeTagIds: ["0", idOfName(foldTags, "Pilot")],
    });
    expect(await assignmentsIn(fold, "endpoint_security_intent", result!.createdPolicyId!)).toEqual([
      {
        "@odata.type": "#microsoft.graph.groupAssignmentTarget",
        groupId: mapping[groupId],
        deviceAndAppManagementAssignmentFilterId: idOfName(foldFilters, filterName),
        deviceAndAppManagementAssignmentFilterType: "include",
      },
    ]);
    expect(await settingsIn(fold, result!.createdPolicyId!)).toEqual(await settingsIn(field, intent.id));
  }, 300_000);

  it("an intent whose template the target does not offer is that item's named failure; the others are restored", async () => {
    const [first, second] = await h.db
      .select()
      .from(policies)
      .where(and(eq(policies.tenantId, fieldId), eq(policies.family, "endpoint_security_intent")))
      .orderBy(policies.name)
      .limit(2);
    // An intent of a template the target does not offer (a backup is what Graph answered, and stays as taken).
    const missingTemplate = crypto.randomUUID();
    await patchPolicy(field, first!.id, { body: { templateId: missingTemplate } });
    const setId = await backupOf(fieldId, [first!.id, second!.id]).finally(() =>
      patchPolicy(field, first!.id, { body: { templateId: first!.content.templateId } }),
    );
    const setItems = await h.db.select().from(backupItems).where(eq(backupItems.backupSetId, setId));
    const orphan = setItems.find((i) => i.policyId === first!.id)!;
    expect(orphan.content.templateId).toBe(missingTemplate);
    const before = (await intentsIn(fold)).length;
    const done = await run("restore.execute", foldId, {
      backupSetId: setId,
      itemIds: setItems.map((i) => i.id),
      mapping: {},
      unmapped: "skip",
    });
    expect(done).toMatchObject({ outcome: "partially_succeeded", summaryCounts: { restored: 1, failed: 1 } });
    expect(done.failures).toEqual([
      expect.objectContaining({
        code: "template_missing",
        item: orphan.name,
        message: expect.stringContaining(missingTemplate),
      }),
    ]);
    expect((await intentsIn(fold)).length).toBe(before + 1);
  }, 300_000);
});

describe("updating and deleting filters and scope tags in the emulator", () => {
  it("updates writable properties only, refuses read-only ones and the built-in tag; a filter has no assignments", async () => {
    const made = await graphAs(fold, "/beta/deviceManagement/assignmentFilters", {
      method: "POST",
      body: { displayName: "Patched filter", platform: "iOS", rule: '(device.model -eq "iPad")' },
    });
    const path = `/beta/deviceManagement/assignmentFilters/${made.body.id}`;
    const patched = await graphAs(fold, path, { method: "PATCH", body: { rule: '(device.model -eq "iPhone")' } });
    expect(patched.status).toBe(200);
    expect((await graphAs(fold, path)).body).toMatchObject({ rule: '(device.model -eq "iPhone")', platform: "iOS" });
    for (const readOnly of [{ id: "x" }, { createdDateTime: "2020-01-01T00:00:00Z" }])
      expect((await graphAs(fold, path, { method: "PATCH", body: readOnly })).status).toBe(400);
    expect((await graphAs(fold, path, { method: "PATCH", body: { colour: "red" } })).body.error).toMatchObject({
      code: "ModelValidationFailure",
    });
    expect((await graphAs(fold, `${path}/assignments`)).status).toBe(400);
    expect((await graphAs(fold, path, { method: "DELETE" })).status).toBe(204);
    expect((await graphAs(fold, path)).status).toBe(404);

    const defaultTag = "/beta/deviceManagement/roleScopeTags/0";
    expect((await graphAs(fold, defaultTag, { method: "PATCH", body: { displayName: "Mine" } })).status).toBe(400);
    expect((await graphAs(fold, defaultTag, { method: "DELETE" })).status).toBe(400);
    expect((await graphAs(fold, defaultTag)).body).toMatchObject({ displayName: "Default", isBuiltIn: true });
  });
});

describe("filters and scope tags as objects of their own across tenants", () => {
  it("a filter (its tags mapped by name) and a tag are created in the other tenant and named in its caches at once; the next plan maps to them", async () => {
    const [fieldTags, foldTags] = [await tagsOf(field), await tagsOf(fold)];
    const tag = await graphAs(field, "/beta/deviceManagement/roleScopeTags", {
      method: "POST",
      body: { displayName: "Refs: restored tag", description: "A tag of Filter Field" },
    });
    const filter = await graphAs(field, "/beta/deviceManagement/assignmentFilters", {
      method: "POST",
      body: {
        displayName: "Refs: restored filter",
        platform: "windows10AndLater",
        rule: '(device.manufacturer -eq "Contoso")',
        assignmentFilterManagementType: "devices",
        // Pilot has a namesake in Filter Field's partner; the tenant's own tag has none.
        roleScopeTags: ["0", idOfName(fieldTags, "Pilot"), idOfName(fieldTags, "Filter Field only")],
      },
    });
    expect([tag.status, filter.status]).toEqual([201, 201]);
    expect((await run("inventory.sync", fieldId)).outcome).toBe("succeeded");
    const backupSetId = await backupOf(fieldId, [String(filter.body.id), String(tag.body.id)]);
    const items = await h.db.select().from(backupItems).where(eq(backupItems.backupSetId, backupSetId));
    expect(items.map((i) => i.family).sort()).toEqual(["assignment_filter", "scope_tag"]);
    expect(items.every((i) => Array.isArray(i.content.assignments) && i.content.assignments.length === 0)).toBe(true);

    const inputs = { backupSetId, itemIds: items.map((i) => i.id), mapping: {}, unmapped: "skip" as const };
    const done = await run("restore.execute", foldId, inputs);
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { restored: 2, assignments: 0 } });
    const results = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    const resultOf = (family: string) =>
      results.find((r) => r.backupItemId === items.find((i) => i.family === family)!.id)!;
    const filterHere = await graphAs(
      fold,
      `/beta/deviceManagement/assignmentFilters/${resultOf("assignment_filter").createdPolicyId}`,
    );
    expect(filterHere.body).toMatchObject({
      displayName: "Refs: restored filter",
      rule: '(device.manufacturer -eq "Contoso")',
      roleScopeTags: ["0", idOfName(foldTags, "Pilot")],
    });
    expect(resultOf("assignment_filter").message).toContain("Filter Field only");
    const tagId = resultOf("scope_tag").createdPolicyId!;
    expect((await graphAs(fold, `/beta/deviceManagement/roleScopeTags/${tagId}`)).body).toMatchObject({
      displayName: "Refs: restored tag",
      isBuiltIn: false,
    });

    // In the target's caches without a directory_references.sync.
    const [cachedFilter] = await h.db
      .select()
      .from(assignmentFilters)
      .where(and(eq(assignmentFilters.tenantId, foldId), eq(assignmentFilters.id, String(filterHere.body.id))));
    expect(cachedFilter).toMatchObject({ displayName: "Refs: restored filter", platform: "windows10AndLater" });
    const [cachedTag] = await h.db
      .select()
      .from(scopeTags)
      .where(and(eq(scopeTags.tenantId, foldId), eq(scopeTags.id, tagId)));
    expect(cachedTag).toMatchObject({ displayName: "Refs: restored tag", isBuiltIn: false });

    // A policy using both, restored next: the DB-only plan maps each to what the first restore made.
    const [policy] = await h.db
      .select()
      .from(policies)
      .where(and(eq(policies.tenantId, fieldId), eq(policies.family, "device_configuration")))
      .limit(1);
    await patchPolicy(field, policy!.id, {
      body: { roleScopeTagIds: ["0", String(tag.body.id)] },
      assignments: [
        {
          id: crypto.randomUUID(),
          target: {
            "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget",
            deviceAndAppManagementAssignmentFilterId: String(filter.body.id),
            deviceAndAppManagementAssignmentFilterType: "include",
          },
        },
      ],
    });
    // The source's own cache learns of its new filter and tag by its sync (the target's did not need one).
    expect((await run("directory_references.sync", fieldId)).outcome).toBe("succeeded");
    const policySet = await backupOf(fieldId, [policy!.id]);
    const [policyItem] = await h.db.select().from(backupItems).where(eq(backupItems.backupSetId, policySet));
    const plan = await restorePlan(h.db, {
      targetTenantId: foldId,
      sourceTenantId: fieldId,
      inputs: { backupSetId: policySet, itemIds: [policyItem!.id], mapping: {}, unmapped: "skip" },
    });
    const rows = Object.fromEntries(plan.references.map((r) => [`${r.kind}:${r.name}`, r.targetId ?? null]));
    expect(rows["filter:Refs: restored filter"]).toBe(String(filterHere.body.id));
    expect(rows["scopeTag:Refs: restored tag"]).toBe(tagId);
  }, 300_000);
});
