import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupItems, backupSets, policies } from "@/db/schema";
import { getBackupSet } from "@/lib/backups/backups";
import { InputError } from "@/lib/errors";
import { startOperation } from "@/lib/operations/start";
import { actor, emulatedTenantFixture, emulatorAdmin, openHarness, waitForCompletion } from "./support/harness";
import { claimEmulatedTenant } from "./support/tenants";

let h: Awaited<ReturnType<typeof openHarness>>;
const litware = claimEmulatedTenant(import.meta.url);
let tenantId: string;
let owner: { id: string; name: string };

beforeAll(async () => {
  h = await openHarness();
  await h.startWorker();
  ({ owner, tenantId } = await emulatedTenantFixture(h.db, litware, "Backup owner"));
  const { run } = await startOperation(h.deps, { actor: actor(owner), tenantId, type: "inventory.sync", inputs: {} });
  expect((await waitForCompletion(h.db, run.id, 120_000)).outcome).toBe("succeeded");
});
afterAll(async () => {
  await h.close();
});

const json = (body: unknown) => ({ headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("backup_set.create", () => {
  it("snapshots the chosen policies as Intune has them now, settings and assignments included, then seals the set", async () => {
    const chosen = await h.db.select().from(policies).where(eq(policies.tenantId, tenantId)).orderBy(policies.name);
    const three = [
      chosen.find((p) => p.family === "settings_catalog")!,
      chosen.find((p) => p.family === "compliance")!,
      chosen.find((p) => p.family === "device_configuration")!,
    ];
    // Changed in Intune after the inventory sync: the backup must hold the current content.
    await emulatorAdmin(`/tenants/${litware.tenantId}/policies/${three[2]!.id}`, {
      method: "PATCH",
      ...json({ body: { passwordMinimumLength: 42 } }),
    });

    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId,
      type: "backup_set.create",
      inputs: {
        policyIds: three.map((p) => p.id),
      },
    });
    const done = await waitForCompletion(h.db, run.id);
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({
      outcome: "succeeded",
      summaryCounts: { total: 3, processed: 3, saved: 3, failed: 0 },
    });

    const [set] = await h.db.select().from(backupSets).where(eq(backupSets.runId, run.id));
    expect(set).toMatchObject({ itemCount: 3, selection: three.map((p) => p.id).sort() });
    expect(set!.completedAt).toBeTruthy();
    const { items } = await getBackupSet(h.db, { tenantId, backupSetId: set!.id, role: "owner" });
    expect(items.map((i) => i.policyId).sort()).toEqual(three.map((p) => p.id).sort());
    const catalog = items.find((i) => i.family === "settings_catalog")!;
    expect((catalog.content.settings as unknown[]).length).toBe(three[0]!.content.settingCount);
    expect(items.find((i) => i.policyId === three[2]!.id)!.content.passwordMinimumLength).toBe(42);
    expect(items.every((i) => Array.isArray(i.content.assignments))).toBe(true);
    // The compliance policy's scheduled actions, which Graph returns only expanded, are in the backup.
    const rules = items.find((i) => i.family === "compliance")!.content.scheduledActionsForRule as {
      id: string;
      scheduledActionConfigurations: { actionType: string; gracePeriodHours: number }[];
    }[];
    expect(rules).toHaveLength(1);
    expect(rules[0]!.scheduledActionConfigurations.filter((a) => a.actionType === "block")).toEqual([
      expect.objectContaining({ gracePeriodHours: expect.any(Number) }),
    ]);
    expect(JSON.stringify(rules)).not.toContain("@odata.context");

    // Immutable: neither the items nor the sealed set can be changed.
    await expect(
      h.db.execute(sql`update backup_items set name = 'x' where backup_set_id = ${set!.id}`),
    ).rejects.toThrow();
    await expect(h.db.execute(sql`update backup_sets set name = 'x' where id = ${set!.id}`)).rejects.toThrow();
  });

  it("names a policy that vanished from Intune and backs up the rest", async () => {
    const two = await h.db
      .select()
      .from(policies)
      .where(eq(policies.tenantId, tenantId))
      .orderBy(policies.name)
      .limit(2);
    await emulatorAdmin(`/tenants/${litware.tenantId}/policies/${two[0]!.id}`, { method: "DELETE" });
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId,
      type: "backup_set.create",
      inputs: {
        policyIds: two.map((p) => p.id),
      },
    });
    const done = await waitForCompletion(h.db, run.id);
    expect(done).toMatchObject({ outcome: "partially_succeeded", summaryCounts: { saved: 1, failed: 1 } });
    expect(done.failures).toEqual([expect.objectContaining({ item: two[0]!.name })]);
    const [set] = await h.db.select().from(backupSets).where(eq(backupSets.runId, run.id));
    expect(set!.itemCount).toBe(1);
  });

  it("refuses an empty selection or an id that is not an Intune id (a path, a query) and writes nothing", async () => {
    const before = (await h.db.select({ n: sql<number>`count(*)::int` }).from(backupItems))[0]!.n;
    await expect(
      startOperation(h.deps, { actor: actor(owner), tenantId, type: "backup_set.create", inputs: { policyIds: [] } }),
    ).rejects.toBeInstanceOf(InputError);
    await expect(
      startOperation(h.deps, {
        actor: actor(owner),
        tenantId,
        type: "backup_set.create",
        inputs: { policyIds: ["../deviceConfigurations?$top=1"] },
      }),
    ).rejects.toBeInstanceOf(InputError);
    expect((await h.db.select({ n: sql<number>`count(*)::int` }).from(backupItems))[0]!.n).toBe(before);
  });

  it("a retry after the run's completion was lost reuses the set the first attempt sealed: one set per run", async () => {
    const [policy] = await h.db
      .select()
      .from(policies)
      .where(eq(policies.tenantId, tenantId))
      .orderBy(sql`${policies.name} desc`)
      .limit(1);
    // The first attempt's completion fails in PostgreSQL after the set is sealed, as when its worker
    // or its connection dies right then; pg-boss retries the job.
    await h.db.execute(
      sql.raw(`
      create or replace function test_lose_first_completion() returns trigger language plpgsql as $$
      begin
        if NEW.status = 'completed' and NEW.attempt = 1 and NEW.inputs::text like '%${policy!.id}%' then
          raise exception 'injected: completion lost';
        end if;
        return NEW;
      end $$;
      create trigger test_lose_first_completion before update on operation_runs
        for each row execute function test_lose_first_completion();`),
    );
    try {
      const { run } = await startOperation(h.deps, {
        actor: actor(owner),
        tenantId,
        type: "backup_set.create",
        inputs: { policyIds: [policy!.id] },
      });
      const done = await waitForCompletion(h.db, run.id, 120_000);
      expect(done).toMatchObject({ outcome: "succeeded", attempt: 2 });
      const sets = await h.db.select().from(backupSets).where(eq(backupSets.runId, run.id));
      expect(sets).toHaveLength(1);
      expect(sets[0]).toMatchObject({ itemCount: 1, completedAt: expect.any(Date) });
    } finally {
      await h.db.execute(sql`drop trigger test_lose_first_completion on operation_runs`);
    }
  }, 180_000);

  it("deduplicates on the tenant plus the selection, in any order", async () => {
    const two = await h.db
      .select({ id: policies.id })
      .from(policies)
      .where(eq(policies.tenantId, tenantId))
      .orderBy(policies.name)
      .offset(5)
      .limit(2);
    const [a, b] = await Promise.all([
      startOperation(h.deps, {
        actor: actor(owner),
        tenantId,
        type: "backup_set.create",
        inputs: { policyIds: [two[0]!.id, two[1]!.id] },
      }),
      startOperation(h.deps, {
        actor: actor(owner),
        tenantId,
        type: "backup_set.create",
        inputs: { policyIds: [two[1]!.id, two[0]!.id] },
      }),
    ]);
    expect(a.run.id).toBe(b.run.id);
    await waitForCompletion(h.db, a.run.id);
  });

  it("backs up every other type of the tenant when the app lacks DeviceManagementScripts, naming each script type", async () => {
    const permissions = `/tenants/${litware.tenantId}/apps/${litware.apps[0]!.clientId}/permissions`;
    const roles = [
      "Organization.Read.All",
      "GroupMember.Read.All",
      "DeviceManagementConfiguration.ReadWrite.All",
      "DeviceManagementServiceConfig.Read.All",
      "DeviceManagementApps.ReadWrite.All",
    ];
    await emulatorAdmin(permissions, { method: "PUT", ...json({ roles }) });
    // The inventory's live objects that Intune still has (an earlier test deleted one behind its back):
    // its policies, and its filters and scope tags, which the emulator keeps apart.
    const references = (await (await emulatorAdmin(`/tenants/${litware.tenantId}/references`)).json()) as {
      filters: { id: string }[];
      scopeTags: { id: string }[];
    };
    const inIntune = new Set([
      ...((await (await emulatorAdmin(`/tenants/${litware.tenantId}/policies`)).json()) as { id: string }[]).map(
        (p) => p.id,
      ),
      ...[...references.filters, ...references.scopeTags].map((r) => r.id),
    ]);
    const live = (await h.db.select().from(policies).where(eq(policies.tenantId, tenantId))).filter(
      (p) => !p.deleted && inIntune.has(p.id),
    );
    const scripts = live.filter((p) => ["powershell_script", "shell_script", "remediation"].includes(p.family));
    expect(scripts.length).toBeGreaterThan(0);
    try {
      const { run } = await startOperation(h.deps, {
        actor: actor(owner),
        tenantId,
        type: "backup_set.create",
        inputs: {},
      });
      const done = await waitForCompletion(h.db, run.id, 180_000);
      expect(done.outcome).toBe("partially_succeeded");
      const refusals = done.failures.filter((f) => f.code !== "graph_ResourceNotFound");
      expect(refusals.map((f) => [f.code, f.item]).sort()).toEqual(
        [
          ["type_forbidden", "Remediation"],
          ["type_forbidden", "Windows PowerShell script"],
          ["type_forbidden", "macOS shell script"],
        ].sort(),
      );
      expect(refusals[0]!.message).toContain("DeviceManagementScripts.Read.All");
      expect(done.summaryCounts).toMatchObject({ saved: live.length - scripts.length });
      const [set] = await h.db.select().from(backupSets).where(eq(backupSets.runId, run.id));
      expect(set).toMatchObject({ itemCount: live.length - scripts.length });
    } finally {
      await emulatorAdmin(permissions, { method: "DELETE" });
    }
  }, 240_000);
});
