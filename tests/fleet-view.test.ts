import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupSets, operationRuns, type RunOutcome, type RunStatus, schedules, tenants } from "@/db/schema";
import { fleetStatement, listFleet } from "@/lib/fleet/queries";
import { fleetView } from "@/lib/fleet/view";
import { addMember, createTestTenant, createUser, databaseNow, databaseUrl, openHarness } from "./support/harness";

let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => {
  await h.close();
});

type Seed = {
  type?: string;
  status?: RunStatus;
  outcome: RunOutcome;
  hoursAgo: number;
  summaryCounts?: Record<string, number>;
};

async function seedRuns(tenantId: string, runs: Seed[]) {
  const now = await databaseNow(h.db);
  const at = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
  await h.db.insert(operationRuns).values(
    runs.map(({ type = "test.noop", status = "completed", outcome, hoursAgo, summaryCounts = {} }) => ({
      tenantId,
      type,
      status,
      outcome,
      runIdentityHash: randomUUID(),
      summaryCounts,
      initiatorName: "Seed",
      createdAt: at(hoursAgo + 0.01),
      completedAt: status === "completed" ? at(hoursAgo) : null,
    })),
  );
}

async function seedBackup(tenantId: string, { daysAgo, sealed = true }: { daysAgo: number; sealed?: boolean }) {
  const now = await databaseNow(h.db);
  const at = new Date(now.getTime() - daysAgo * 86_400_000);
  await h.db
    .insert(backupSets)
    .values({ tenantId, name: "Seeded", createdAt: new Date(at.getTime() - 1000), completedAt: sealed ? at : null });
}

describe("the fleet query", () => {
  it("lists only the user's tenants, each with its own figures", async () => {
    const owner = await createUser(h.db, "Fleet owner");
    const stranger = await createUser(h.db, "Stranger");
    const mine = (await createTestTenant(h.db, owner.id, { displayName: "Alpha" })).id;
    const shared = (await createTestTenant(h.db, stranger.id, { displayName: "Beta" })).id;
    const theirs = (await createTestTenant(h.db, stranger.id, { displayName: "Gamma (not mine)" })).id;
    await addMember(h.db, { userId: owner.id, tenantId: shared, role: "viewer" });

    await seedRuns(mine, [
      { type: "inventory.sync", outcome: "succeeded", hoursAgo: 30 },
      { type: "inventory.sync", outcome: "partially_succeeded", hoursAgo: 5 },
      // A newer sync that failed or is still running is not a sync that read the tenant.
      { type: "inventory.sync", outcome: "failed", hoursAgo: 1 },
      { type: "inventory.sync", status: "running", outcome: "pending", hoursAgo: 0 },
      { outcome: "failed", hoursAgo: 2 },
      { outcome: "failed", hoursAgo: 23 },
      { outcome: "failed", hoursAgo: 25 }, // outside the 24 h window
      { outcome: "partially_succeeded", hoursAgo: 3 }, // not a failure
      { status: "queued", outcome: "pending", hoursAgo: 0 },
    ]);
    await seedBackup(mine, { daysAgo: 9 });
    await seedBackup(mine, { daysAgo: 3 });
    await seedBackup(mine, { daysAgo: 0.1, sealed: false }); // still being written: not a backup yet
    // Drift: the latest finished detect counts (changed + missing + new); a newer failed one does not.
    await seedRuns(mine, [
      { type: "drift.detect", outcome: "succeeded", hoursAgo: 48, summaryCounts: { changed: 9, missing: 9, new: 9 } },
      {
        type: "drift.detect",
        outcome: "succeeded",
        hoursAgo: 6,
        summaryCounts: { changed: 2, missing: 1, new: 1, unchanged: 40 },
      },
      { type: "drift.detect", outcome: "failed", hoursAgo: 4 },
    ]);
    // Overdue: active schedules marked overdue; a paused one and an on-time one do not count.
    const schedule = (name: string, extra: Partial<typeof schedules.$inferInsert>) => ({
      tenantId: mine,
      name,
      operationType: "inventory.sync",
      recurrence: { kind: "hourly" as const },
      cron: "0 * * * *",
      timezone: "UTC",
      ...extra,
    });
    await h.db
      .insert(schedules)
      .values([
        schedule("Missed", { overdueSince: new Date() }),
        schedule("Missed too", { overdueSince: new Date() }),
        schedule("Missed but paused", { overdueSince: new Date(), paused: true }),
        schedule("On time", {}),
      ]);
    // The stranger's tenant is busy and failing: none of it may show for the owner.
    await seedRuns(theirs, [
      { outcome: "failed", hoursAgo: 1 },
      { status: "running", outcome: "pending", hoursAgo: 0 },
      { type: "inventory.sync", outcome: "succeeded", hoursAgo: 1 },
    ]);
    await seedBackup(theirs, { daysAgo: 0 });

    const now = await databaseNow(h.db);
    const rows = await listFleet(h.db, owner.id);
    expect(rows.map((r) => r.displayName)).toEqual(["Alpha", "Beta"]);
    const [alpha, beta] = rows;
    const hoursBefore = (d: Date | null) => (d ? Math.round((now.getTime() - d.getTime()) / 3_600_000) : null);
    // Failed in 24 h: the failed sync, two others and the failed detect; the one 25 h ago is outside the window.
    expect(alpha).toMatchObject({
      tenantId: mine,
      role: "owner",
      failedRuns: 4,
      activeRuns: 2,
      permissionGaps: 0,
      driftCount: 4,
      overdueSchedules: 2,
    });
    expect(hoursBefore(alpha!.lastInventorySyncAt)).toBe(5);
    expect(hoursBefore(alpha!.lastBackupAt)).toBe(72);
    expect(beta).toMatchObject({
      tenantId: shared,
      role: "viewer",
      verificationStatus: "unverified",
      lastInventorySyncAt: null,
      lastBackupAt: null,
      failedRuns: 0,
      activeRuns: 0,
      driftCount: 0,
      overdueSchedules: 0,
    });
    expect(rows.some((r) => r.tenantId === theirs)).toBe(false);

    // Membership is the whole scope: the stranger sees their two, the owner's tenant never.
    expect((await listFleet(h.db, stranger.id)).map((r) => r.tenantId).sort()).toEqual([shared, theirs].sort());
    // A user with no tenants, and an id that is not one, get nothing.
    expect(await listFleet(h.db, (await createUser(h.db)).id)).toEqual([]);
    expect(await listFleet(h.db, "not-a-uuid")).toEqual([]);
  });

  it("judges each tenant and sorts by any column, worst health first by default", async () => {
    const owner = await createUser(h.db, "Sorter");
    const tenant = async (displayName: string) => (await createTestTenant(h.db, owner.id, { displayName })).id;
    const verified = async (id: string) =>
      h.db.update(tenants).set({ verificationStatus: "verified", verifiedAt: sql`now()` }).where(eq(tenants.id, id));
    const healthy = await tenant("Healthy");
    const stale = await tenant("Stale backup");
    const failing = await tenant("Failing");
    for (const id of [healthy, stale, failing]) {
      await verified(id);
      await seedRuns(id, [{ type: "inventory.sync", outcome: "succeeded", hoursAgo: 2 }]);
    }
    await seedBackup(healthy, { daysAgo: 0.5 });
    await seedBackup(stale, { daysAgo: 9 });
    await seedBackup(failing, { daysAgo: 1 });
    await seedRuns(failing, [
      { outcome: "failed", hoursAgo: 1 },
      { outcome: "failed", hoursAgo: 2 },
      { outcome: "failed", hoursAgo: 3 },
      { outcome: "failed", hoursAgo: 4 },
    ]);
    await seedRuns(healthy, [{ status: "running", outcome: "pending", hoursAgo: 0 }]);
    const notVerified = await tenant("Not verified");
    await seedBackup(notVerified, { daysAgo: 0.5 });
    await seedRuns(notVerified, [{ type: "inventory.sync", outcome: "succeeded", hoursAgo: 2 }]);

    const names = async (query: Record<string, string>) =>
      (await fleetView(h.db, owner.id, query)).rows.map((r) => r.displayName);

    const { rows, sort, dir } = await fleetView(h.db, owner.id, {});
    expect([sort, dir]).toEqual(["health", "asc"]);
    expect(rows.map((r) => [r.displayName, r.health.level, r.health.summary])).toEqual([
      // Two red tenants: name breaks the tie.
      ["Failing", "red", "4 failed runs in 24 h"],
      ["Stale backup", "red", "Last backup 9 days ago"],
      ["Not verified", "amber", "Not verified"],
      ["Healthy", "green", "All checks pass"],
    ]);
    expect(await names({ sort: "health", dir: "desc" })).toEqual([
      "Healthy",
      "Not verified",
      "Failing",
      "Stale backup",
    ]);
    expect(await names({ sort: "name" })).toEqual(["Failing", "Healthy", "Not verified", "Stale backup"]);
    expect(await names({ sort: "backup" })).toEqual(["Stale backup", "Failing", "Healthy", "Not verified"]);
    expect(await names({ sort: "failed" })).toEqual(["Failing", "Healthy", "Not verified", "Stale backup"]);
    expect((await names({ sort: "active" }))[0]).toBe("Healthy");
    // A hostile or unknown sort falls back to the default instead of failing the page.
    expect(await fleetView(h.db, owner.id, { sort: "tenant_id; drop table tenants", dir: "sideways" })).toMatchObject({
      sort: "health",
      dir: "asc",
    });
  });
});

describe("the fleet query's plan", () => {
  it("probes each tenant through the partial indexes, even in a prepared statement's generic plan", async () => {
    // Bound outcomes (drizzle's inArray) instead of literals leave a generic plan unable to prove a
    // partial index's predicate: it then reads every run of each tenant (12.8 s at 500 tenants and
    // 1,000,000 runs, docs/benchmarks.md).
    const { sql: text } = (fleetStatement(h.db) as unknown as { getQuery(): { sql: string } }).getQuery();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      // Which index the plan can use, not what a few rows cost: seq and bitmap scans off, and the
      // tenant's full indexes (the fallbacks a bound predicate takes) dropped until the rollback.
      await client.query("begin");
      await client.query(
        "drop index operation_runs_tenant_newest_covering_idx, operation_runs_tenant_type_newest_idx, operation_runs_tenant_status_newest_idx",
      );
      await client.query(
        "set local plan_cache_mode = force_generic_plan; set local enable_seqscan = off; set local enable_bitmapscan = off",
      );
      await client.query(`prepare fleet_plan as ${text}`);
      // Its parameters in order: the sync's type, two limits, the failure window's hours, the drift
      // detect's limit, the user.
      const plan = (
        await client.query(`explain execute fleet_plan('inventory.sync', 1, 1, 24, 1, '${randomUUID()}')`)
      ).rows
        .map((r) => r["QUERY PLAN"] as string)
        .join("\n");
      for (const index of [
        "operation_runs_tenant_type_read_idx",
        "backup_sets_tenant_newest_idx",
        "operation_runs_tenant_failed_idx",
        "operation_runs_active_identity_key",
      ]) {
        expect(plan, plan).toContain(index);
      }
    } finally {
      await client.query("rollback");
      await client.end();
    }
  });
});
