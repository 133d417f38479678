import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupMemberGroups, policyAssignmentTargets, tenantDirectoryState } from "@/db/schema";
import { seededGuid } from "@/emulator/directory";
import { LARGE_GROUP_USERS } from "@/emulator/nesting";
import { NotFoundError } from "@/lib/errors";
import { groupAssignmentsCsv, reachLabel } from "@/lib/explorer/csv";
import { assignmentsForGroup, assignmentsOfPolicy } from "@/lib/explorer/queries";
import { readExplorerView } from "@/lib/explorer/view";
import { INTUNE_TYPE_KEYS, isAssignable } from "@/lib/intune/types";
import { startOperation } from "@/lib/operations/start";
import {
  actor,
  addMember,
  createUser,
  emulatedTenantFixture,
  emulatorAdmin,
  openHarness,
  waitForCompletion,
} from "./support/harness";
import { claimEmulatedTenant, EMULATOR_SEED } from "./support/tenants";

let h: Awaited<ReturnType<typeof openHarness>>;
const nestingbay = claimEmulatedTenant(import.meta.url);
let tenantId: string;
let owner: { id: string; name: string };

type Group = { id: string; displayName: string };
type Member = { kind: "user" | "group" | "device"; id: string };
const groupsAdmin = (path: string, init?: RequestInit) =>
  emulatorAdmin(`/tenants/${nestingbay.tenantId}/groups${path}`, init);
const policiesAdmin = (path: string, init?: RequestInit) =>
  emulatorAdmin(`/tenants/${nestingbay.tenantId}/policies${path}`, init);
const json = (body: unknown) => ({ headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const changeMembers = async (groupId: string, body: { add?: Member[]; remove?: string[] }) =>
  expect((await groupsAdmin(`/${groupId}/members`, { method: "POST", ...json(body) })).status).toBe(204);

let A: Group;
let B: Group;
let C: Group;
let large: Group;

beforeAll(async () => {
  h = await openHarness();
  await h.startWorker();
  ({ owner, tenantId } = await emulatedTenantFixture(h.db, nestingbay, "Explorer owner"));
  const all = (await (await groupsAdmin("")).json()) as Group[];
  const named = (name: string) => all.find((g) => g.displayName === name)!;
  [A, B, C, large] = [named("Nesting A"), named("Nesting B"), named("Nesting C"), named("Nesting Large")];
});
afterAll(async () => {
  await h.close();
});

async function run(type: "directory_groups.sync" | "inventory.sync") {
  const { run } = await startOperation(h.deps, { actor: actor(owner), tenantId, type, inputs: {} });
  const done = await waitForCompletion(h.db, run.id, 120_000);
  expect(done.failures).toEqual([]);
  expect(done.outcome).toBe("succeeded");
  return done.summaryCounts as Record<string, number>;
}

/** The cached nesting as "container ⊃ member" by display name (ids when the group is not one of ours). */
async function cachedEdges() {
  const names = new Map([A, B, C, large].map((g) => [g.id, g.displayName.replace("Nesting ", "")]));
  const rows = await h.db.select().from(groupMemberGroups).where(eq(groupMemberGroups.tenantId, tenantId));
  return rows
    .map((r) => `${names.get(r.groupId) ?? r.groupId} ⊃ ${names.get(r.memberGroupId) ?? r.memberGroupId}`)
    .sort();
}

/** Every group-in-group edge the emulator has, the same way. */
async function emulatorEdges() {
  const names = new Map([A, B, C, large].map((g) => [g.id, g.displayName.replace("Nesting ", "")]));
  const all = (await (await groupsAdmin("")).json()) as Group[];
  const edges: string[] = [];
  for (const g of all) {
    const members = (await (await groupsAdmin(`/${g.id}/members`)).json()) as Member[];
    for (const m of members.filter((m) => m.kind === "group"))
      edges.push(`${names.get(g.id) ?? g.id} ⊃ ${names.get(m.id) ?? m.id}`);
  }
  return edges.sort();
}

// Whole syncs of a tenant with every type (530 objects) on a shared machine: more than the default minute.
describe("group membership in the directory cache", { timeout: 240_000 }, () => {
  it("caches nesting on the full round, merging a large group listed once per slice of its members", async () => {
    const counts = await run("directory_groups.sync");
    // 2,504 groups; the large group's 250 users come in three entries, so two more entries than groups.
    expect(counts).toMatchObject({ total: 2504, processed: 2506, added: 2504, nestingAdded: 2, nestingRemoved: 0 });
    expect(LARGE_GROUP_USERS).toBeGreaterThan(200);
    expect(await cachedEdges()).toEqual(["A ⊃ B", "B ⊃ C"]);
    expect(await cachedEdges()).toEqual(await emulatorEdges());
  });

  it("adds and removes nesting incrementally, and accepts a loop (C ⊃ A) without following it for ever", async () => {
    const d = (await (
      await groupsAdmin("", { method: "POST", ...json({ displayName: "Nesting D" }) })
    ).json()) as Group;
    await changeMembers(C.id, {
      add: [
        { kind: "group", id: d.id },
        { kind: "group", id: A.id },
      ],
    });
    // A user leaving is a membership change too, but not nesting.
    await changeMembers(A.id, { remove: [seededGuid(EMULATOR_SEED, `member-user:${nestingbay.key}:0`)] });
    const counts = await run("directory_groups.sync");
    expect(counts).toMatchObject({ added: 1, nestingAdded: 2, nestingRemoved: 0 });
    expect(counts.total).toBeUndefined(); // incremental
    expect(await cachedEdges()).toEqual(["A ⊃ B", "B ⊃ C", "C ⊃ A", `C ⊃ ${d.id}`].sort());

    // The loop A ⊃ B ⊃ C ⊃ A: D reaches A, B and C each once, by its shortest path.
    await assignTo([{ "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: A.id }]);
    await run("inventory.sync");
    const forD = await assignmentsForGroup(h.db, { tenantId, groupId: d.id });
    const nested = forD.rows.filter((r) => r.kind === "group" || r.kind === "exclusion_group");
    expect(nested.map((r) => r.through.map((g) => g.name))).toEqual([["Nesting C", "Nesting B", "Nesting A"]]);

    await changeMembers(C.id, { remove: [A.id, d.id] });
    await changeMembers(B.id, { remove: [C.id] });
    const after = await run("directory_groups.sync");
    expect(after).toMatchObject({ nestingAdded: 0, nestingRemoved: 3 });
    expect(await cachedEdges()).toEqual(["A ⊃ B"]);
    expect(await cachedEdges()).toEqual(await emulatorEdges());
    // Put B ⊃ C back for the explorer cases below.
    await changeMembers(B.id, { add: [{ kind: "group", id: C.id }] });
    await run("directory_groups.sync");
    expect(await cachedEdges()).toEqual(["A ⊃ B", "B ⊃ C"]);
  });

  it("drops nesting a full round no longer lists, and does a full round once for a link that did not track members", async () => {
    // An edge the cache has but Entra ID does not (say, removed while a deltaLink was lost).
    await h.db.insert(groupMemberGroups).values({ tenantId, groupId: large.id, memberGroupId: A.id });
    // What a console before this change stored: a deltaLink of a round without `members`.
    await h.db
      .update(tenantDirectoryState)
      .set({ groupsDeltaTracksMembers: false })
      .where(eq(tenantDirectoryState.tenantId, tenantId));
    const counts = await run("directory_groups.sync");
    expect(counts.total).toBe(2505); // a full round (D was added)
    expect(counts).toMatchObject({ nestingRemoved: 1 });
    expect(await cachedEdges()).toEqual(["A ⊃ B", "B ⊃ C"]);
    const [state] = await h.db.select().from(tenantDirectoryState).where(eq(tenantDirectoryState.tenantId, tenantId));
    expect(state!.groupsDeltaTracksMembers).toBe(true);
    expect((await run("directory_groups.sync")).total).toBeUndefined(); // incremental again
  });
});

let assigned: { id: string; name: string }[];
/** Gives the first emulated policies these assignments (one policy per entry) and the rest none to the nested groups. */
async function assignTo(targets: Record<string, unknown>[]) {
  assigned ??= ((await (await policiesAdmin("")).json()) as { id: string; name: string }[]).slice(0, 4);
  for (const [i, p] of assigned.entries())
    await policiesAdmin(`/${p.id}`, {
      method: "PATCH",
      ...json({ assignments: targets[i] ? [{ id: `asg-${i}`, target: targets[i] }] : [] }),
    });
}

const FILTER = "0b9e8a2c-1d3f-4e5a-9b7c-6d5e4f3a2b1c";

describe("the assignment projection and the explorer", { timeout: 240_000 }, () => {
  it("projects every target kind, with filters, in the transaction that records the policy", async () => {
    await assignTo([
      {
        "@odata.type": "#microsoft.graph.groupAssignmentTarget",
        groupId: A.id,
        deviceAndAppManagementAssignmentFilterId: FILTER,
        deviceAndAppManagementAssignmentFilterType: "include",
      },
      { "@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", groupId: B.id },
      {
        "@odata.type": "#microsoft.graph.groupAssignmentTarget",
        groupId: C.id,
        deviceAndAppManagementAssignmentFilterId: FILTER,
        deviceAndAppManagementAssignmentFilterType: "none",
      },
      { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" },
    ]);
    await run("inventory.sync");
    const rows = await h.db
      .select()
      .from(policyAssignmentTargets)
      .where(
        and(
          eq(policyAssignmentTargets.tenantId, tenantId),
          sql`${policyAssignmentTargets.policyId} = any(${`{${assigned.map((p) => p.id).join(",")}}`}::text[])`,
        ),
      );
    const byPolicy = (i: number) => rows.filter((r) => r.policyId === assigned[i]!.id);
    expect(byPolicy(0)).toMatchObject([{ kind: "group", groupId: A.id, filterId: FILTER, filterType: "include" }]);
    expect(byPolicy(1)).toMatchObject([{ kind: "exclusion_group", groupId: B.id, filterId: null }]);
    expect(byPolicy(2)).toMatchObject([{ kind: "group", groupId: C.id, filterId: null, filterType: null }]);
    expect(byPolicy(3)).toMatchObject([{ kind: "all_devices", groupId: null }]);
    // The projection agrees with the inventory for every policy of the tenant.
    const disagreeing = await h.db.execute(sql`
      select p.id from policies p
      where p.tenant_id = ${tenantId}::uuid and not p.deleted
        and jsonb_array_length(p.content->'assignments')
          <> (select count(*) from policy_assignment_targets t where t.tenant_id = p.tenant_id and t.policy_id = p.id)`);
    expect(disagreeing.rows).toEqual([]);
    // Every type with assignments is projected, whatever its assignment mechanism (Autopilot profiles
    // included); the seed leaves some types unassigned, but not most (Windows Hello's one object is the
    // tenant's default, which takes no assignments).
    const projected = await h.db.execute(sql`
      select distinct p.family from policies p
      join policy_assignment_targets t on t.tenant_id = p.tenant_id and t.policy_id = p.id
      where p.tenant_id = ${tenantId}::uuid`);
    const assignedTypes = await h.db.execute(sql`
      select distinct family from policies where tenant_id = ${tenantId}::uuid and assigned and not deleted`);
    expect(projected.rows.map((r) => r.family).sort()).toEqual(assignedTypes.rows.map((r) => r.family).sort());
    // Of the types that are assigned at all (filters, scope tags and notification templates are not).
    expect(projected.rows.length).toBeGreaterThan(INTUNE_TYPE_KEYS.filter(isAssignable).length - 5);
    expect(projected.rows.map((r) => r.family)).not.toContain("notification_message_template");

    // App protection (T_ ids, /deviceAppManagement) is projected like any type: groups, exclusions, all users.
    const protections = await h.db.execute(sql`
      select t.kind from policy_assignment_targets t
      join policies p on p.tenant_id = t.tenant_id and p.id = t.policy_id
      where t.tenant_id = ${tenantId}::uuid and p.family::text like '%_app_protection' and p.id like 'T\_%'
      group by t.kind order by t.kind`);
    expect(protections.rows.map((r) => String(r.kind)).sort()).toEqual(["all_users", "exclusion_group", "group"]);
  });

  it("the migration's backfill derives the same rows from stored policies as recording them does", async () => {
    const dir = path.resolve("db/migrations");
    const file = readdirSync(dir).find((f) => f.endsWith("_explorer.sql"))!;
    const backfill = readFileSync(path.join(dir, file), "utf8").split("-- ── Hand-written")[1]!;
    const statement = backfill.slice(backfill.indexOf("INSERT INTO"));
    const mine = statement.replace("WHERE NOT p.deleted", `WHERE NOT p.deleted AND p.tenant_id = '${tenantId}'`);
    expect(mine).not.toBe(statement);
    const snapshot = async () =>
      (await h.db.select().from(policyAssignmentTargets).where(eq(policyAssignmentTargets.tenantId, tenantId)))
        .map((r) => JSON.stringify(r))
        .sort();
    const recorded = await snapshot();
    expect(recorded.length).toBeGreaterThan(100);
    await h.db.delete(policyAssignmentTargets).where(eq(policyAssignmentTargets.tenantId, tenantId));
    await h.db.execute(sql.raw(mine));
    expect(await snapshot()).toEqual(recorded);
  });

  it("shows a group's direct, excluded, nested and all users / all devices assignments", async () => {
    const forC = await assignmentsForGroup(h.db, { tenantId, groupId: C.id });
    const groupRows = forC.rows.filter((r) => r.assignedGroup);
    expect(
      groupRows.map((r) => `${r.policyName} | ${r.kind} | ${reachLabel(r)} | ${r.filterId ?? "-"}`).sort(),
    ).toEqual(
      [
        `${assigned[0]!.name} | group | through Nesting B → Nesting A | ${FILTER}`,
        `${assigned[1]!.name} | exclusion_group | through Nesting B | -`,
        `${assigned[2]!.name} | group | direct | -`,
      ].sort(),
    );
    const everyone = await h.db.execute<{ n: number }>(sql`
      select count(*)::int as n from policy_assignment_targets t join policies p on p.tenant_id = t.tenant_id and p.id = t.policy_id
      where t.tenant_id = ${tenantId}::uuid and t.kind in ('all_users', 'all_devices') and not p.deleted`);
    expect(forC.rows.filter((r) => !r.assignedGroup)).toHaveLength(everyone.rows[0]!.n);
    expect(forC.rows.find((r) => r.policyId === assigned[3]!.id)?.kind).toBe("all_devices");

    const policy = await assignmentsOfPolicy(h.db, { tenantId, policyId: assigned[0]!.id });
    expect(policy?.targets).toMatchObject([
      { kind: "group", group: { id: A.id, name: "Nesting A" }, filterId: FILTER },
    ]);
    expect(policy?.scopeTags.map((t) => t.id)).toEqual(["0"]);
  });

  it("reads the view for members of the tenant only, from the URL's selection", async () => {
    const stranger = await createUser(h.db, "Stranger");
    await expect(
      readExplorerView(h.db, { userId: stranger.id, tenantId, selection: { group: C.id } }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const viewer = await createUser(h.db, "Explorer viewer");
    await addMember(h.db, { userId: viewer.id, tenantId, role: "viewer" });
    const view = await readExplorerView(h.db, {
      userId: viewer.id,
      tenantId,
      selection: { q: "nesting", group: C.id, policy: assigned[0]!.id },
      limit: 2,
    });
    expect(view.matches?.items.map((g) => g.displayName)).toEqual(expect.arrayContaining(["Nesting A", "Nesting C"]));
    expect(view.group).toMatchObject({ group: { name: "Nesting C" }, truncated: true });
    expect(view.group?.rows).toHaveLength(2);
    expect(view.policy?.policy.name).toBe(assigned[0]!.name);
  });

  it("drops a deleted policy's assignments", async () => {
    await policiesAdmin(`/${assigned[2]!.id}`, { method: "DELETE" });
    const counts = await run("inventory.sync");
    expect(counts.deleted).toBe(1);
    const forC = await assignmentsForGroup(h.db, { tenantId, groupId: C.id });
    expect(forC.rows.some((r) => r.policyId === assigned[2]!.id)).toBe(false);
    expect(await assignmentsOfPolicy(h.db, { tenantId, policyId: assigned[2]!.id })).toBeNull();
  });

  it("exports the view as CSV a spreadsheet cannot run", () => {
    const csv = groupAssignmentsCsv([
      {
        policyId: "p1",
        policyName: '=HYPERLINK("https://evil.example","x")',
        family: "compliance",
        platform: "Windows",
        kind: "group",
        filterId: null,
        filterName: null,
        filterType: null,
        assignedGroup: { id: "g1", name: "+Admins, all" },
        through: [{ id: "g1", name: "+Admins, all" }],
      },
    ]);
    const [header, line] = csv.split("\r\n");
    expect(header).toMatch(/^policy_id,policy,family/);
    expect(line).toBe(
      `p1,"'=HYPERLINK(""https://evil.example"",""x"")",compliance,Windows,include,"through +Admins, all",g1,"'+Admins, all",,,`,
    );
  });
});
