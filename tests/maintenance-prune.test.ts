import { randomUUID } from "node:crypto";
import { and, eq, gt, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  alertDeliveries,
  alertDeliveryAttempts,
  backupItems,
  backupSets,
  notifications,
  type OperationRun,
  operationRuns,
  policyVersions,
  type RunOutcome,
  type RunStatus,
  scheduleFirings,
  schedules,
} from "@/db/schema";
import { createChannel } from "@/lib/alerts/channels";
import { InputError } from "@/lib/errors";
import { pruneTenant } from "@/lib/maintenance/prune";
import type { Retention } from "@/lib/maintenance/retention";
import { firePrune, PRUNE_SCHEDULE_QUEUE, startMaintenance } from "@/lib/maintenance/schedule";
import { listRuns, runFiltersSchema } from "@/lib/operations/queries";
import { createBoss } from "@/lib/operations/queue";
import { runPageView } from "@/lib/operations/run-page";
import { SYSTEM_ACTOR, startOperation } from "@/lib/operations/start";
import {
  actor,
  createTestTenant,
  createUser,
  databaseUrl,
  encryptionKey,
  openHarness,
  waitForCompletion,
} from "./support/harness";

let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => {
  await h.close();
});

/** Retention that deletes nothing a test did not make old on purpose (other files' tenants share the database). */
const KEEP_ALL: Retention = {
  runDays: 36_500,
  readNotificationDays: 36_500,
  notificationDays: 36_500,
  policyVersionsKept: 100_000,
};
const RETENTION: Retention = { runDays: 30, readNotificationDays: 7, notificationDays: 60, policyVersionsKept: 2 };
/** What retention deletes of `seedHistory`'s rows (nothing of schedules or alerts). */
const SEEDED_COUNTS = {
  runsDeleted: 4,
  notificationsDeleted: 2,
  policyVersionsDeleted: 3,
  scheduleFiringsDeleted: 0,
  alertDeliveriesDeleted: 0,
};

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

async function ownerAndTenant(name: string) {
  const owner = await createUser(h.db, name);
  const tenant = await createTestTenant(h.db, owner.id, { displayName: name });
  return { owner, tenantId: tenant.id };
}

/** A run written straight into the table, aged as the test needs. */
async function seedRun(
  tenantId: string,
  userId: string,
  { type = "tenant.verify", ageDays, status = "completed" }: { type?: string; ageDays: number; status?: RunStatus },
) {
  const at = daysAgo(ageDays);
  const outcome: RunOutcome = status === "completed" ? "succeeded" : "pending";
  const [run] = await h.db
    .insert(operationRuns)
    .values({
      tenantId,
      type,
      status,
      outcome,
      runIdentityHash: randomUUID(),
      initiatorUserId: userId,
      initiatorName: "Owner",
      createdAt: at,
      startedAt: at,
      completedAt: status === "completed" ? at : null,
    })
    .returning();
  return run!;
}

async function seedNotification(
  tenantId: string,
  userId: string,
  { ageDays, read }: { ageDays: number; read: boolean },
) {
  const run = await seedRun(tenantId, userId, { ageDays: 1 });
  const at = daysAgo(ageDays);
  const [n] = await h.db
    .insert(notifications)
    .values({
      userId,
      tenantId,
      runId: run.id,
      kind: "run_completed",
      outcome: "succeeded",
      title: "t",
      body: "b",
      createdAt: at,
      readAt: read ? at : null,
    })
    .returning();
  return n!.id;
}

/**
 * What one tenant holds before a prune, and what RETENTION must keep of it: runs (old, active,
 * recent, a restore, one a backup refers to), notifications (read and unread, old and recent) and
 * six versions of a policy, the oldest of which a backup holds.
 */
async function seedHistory(tenantId: string, userId: string) {
  const oldRuns = await Promise.all([1, 2, 3].map(() => seedRun(tenantId, userId, { ageDays: 40 })));
  const oldFailedSync = await seedRun(tenantId, userId, { type: "inventory.sync", ageDays: 400 });
  const kept = {
    active: await seedRun(tenantId, userId, { type: "inventory.sync", ageDays: 40, status: "running" }),
    queued: await seedRun(tenantId, userId, { type: "directory_groups.sync", ageDays: 45, status: "queued" }),
    recent: await seedRun(tenantId, userId, { ageDays: 10 }),
    restore: await seedRun(tenantId, userId, { type: "restore.execute", ageDays: 200 }),
    backupRun: await seedRun(tenantId, userId, { type: "backup_set.create", ageDays: 200 }),
  };
  const [set] = await h.db
    .insert(backupSets)
    .values({ tenantId, name: "Old backup", runId: kept.backupRun.id, completedAt: daysAgo(200) })
    .returning();

  const policyId = randomUUID();
  const versionRun = oldRuns[0]!;
  for (let version = 1; version <= 6; version++) {
    await h.db.insert(policyVersions).values({
      tenantId,
      policyId,
      version,
      contentHash: `hash-${version}`,
      content: { version },
      runId: versionRun.id,
    });
  }
  await h.db.insert(backupItems).values({
    backupSetId: set!.id,
    tenantId,
    policyId,
    family: "device_configuration",
    name: "Policy",
    content: { version: 1 },
    contentHash: "hash-1",
  });

  const gone = {
    readOld: await seedNotification(tenantId, userId, { ageDays: 10, read: true }),
    unreadAncient: await seedNotification(tenantId, userId, { ageDays: 70, read: false }),
  };
  const keptNotifications = [
    await seedNotification(tenantId, userId, { ageDays: 10, read: false }),
    await seedNotification(tenantId, userId, { ageDays: 2, read: true }),
  ];
  return {
    goneRuns: [...oldRuns, oldFailedSync].map((r) => r.id),
    keptRuns: Object.values(kept).map((r) => r.id),
    goneNotifications: Object.values(gone),
    keptNotifications,
    policyId,
  };
}

async function expectPruned(tenantId: string, seeded: Awaited<ReturnType<typeof seedHistory>>) {
  const runIds = async (ids: string[]) =>
    (await h.db.select({ id: operationRuns.id }).from(operationRuns).where(inArray(operationRuns.id, ids))).map(
      (r) => r.id,
    );
  expect(await runIds(seeded.goneRuns)).toEqual([]);
  expect((await runIds(seeded.keptRuns)).sort()).toEqual([...seeded.keptRuns].sort());
  const notificationIds = async (ids: string[]) =>
    (await h.db.select({ id: notifications.id }).from(notifications).where(inArray(notifications.id, ids))).map(
      (n) => n.id,
    );
  expect(await notificationIds(seeded.goneNotifications)).toEqual([]);
  expect((await notificationIds(seeded.keptNotifications)).sort()).toEqual([...seeded.keptNotifications].sort());
  const versions = await h.db
    .select({ version: policyVersions.version, runId: policyVersions.runId })
    .from(policyVersions)
    .where(and(eq(policyVersions.tenantId, tenantId), eq(policyVersions.policyId, seeded.policyId)))
    .orderBy(policyVersions.version);
  // The newest two, and version 1, whose content a backup holds; the run that recorded them is gone.
  expect(versions).toEqual([
    { version: 1, runId: null },
    { version: 5, runId: null },
    { version: 6, runId: null },
  ]);
}

const pruneRuns = (tenantId: string) =>
  h.db
    .select()
    .from(operationRuns)
    .where(and(eq(operationRuns.tenantId, tenantId), eq(operationRuns.type, "maintenance.prune")));

describe("maintenance.prune", () => {
  it("is started by the console only, and the console starts no person's operation", async () => {
    const { owner, tenantId } = await ownerAndTenant("Refusals");
    await expect(
      startOperation(h.deps, { actor: actor(owner), tenantId, type: "maintenance.prune", inputs: KEEP_ALL }),
    ).rejects.toThrow(InputError);
    await expect(startOperation(h.deps, { actor: SYSTEM_ACTOR, tenantId, type: "tenant.verify" })).rejects.toThrow(
      InputError,
    );
    expect(await pruneRuns(tenantId)).toEqual([]);
  });

  it("a firing starts one system run per tenant, notifies nobody, and a second firing while it is active is skipped", async () => {
    const { tenantId } = await ownerAndTenant("Firing");
    const first = await firePrune(h.deps, KEEP_ALL);
    const second = await firePrune(h.deps, KEEP_ALL);
    expect(first.started).toBeGreaterThanOrEqual(1);
    expect(second.started).toBe(0);
    expect(second.skipped).toBe(first.started + first.skipped);

    const runs = await pruneRuns(tenantId);
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect(run).toMatchObject({ status: "queued", initiatorKind: "system", initiatorUserId: null });
    expect(await h.db.select().from(notifications).where(eq(notifications.runId, run.id))).toEqual([]);

    // Shown as the console's: a label in the runs list, on the run page and in its timeline.
    const { runs: listed } = await listRuns(h.db, { tenantIds: [tenantId], filters: runFiltersSchema.parse({}) });
    expect(listed.find((r) => r.id === run.id)).toMatchObject({
      initiatorKind: "system",
      initiatorName: "TenantAtlas",
    });
    const view = runPageView({ run: { ...run, observedAt: new Date() }, role: "owner", query: {} });
    expect(view.details.startedBy).toEqual({ name: "TenantAtlas", kind: "system" });
    expect(view.timeline[0]!.note).toBe("by TenantAtlas (system)");
  });

  // The firing above queued one prune for every tenant of the shared database (dozens, by the time
  // this file runs), and prunes run one at a time: this tenant's waits its turn.
  it("deletes what is past retention and keeps active, recent, restore and backup-referenced runs", {
    timeout: 300_000,
  }, async () => {
    const { owner, tenantId } = await ownerAndTenant("Pruned");
    const other = await ownerAndTenant("Untouched");
    const seeded = await seedHistory(tenantId, owner.id);
    const untouched = await seedRun(other.tenantId, other.owner.id, { ageDays: 400 });

    await h.startWorker();
    const { run } = await startOperation(h.deps, {
      actor: SYSTEM_ACTOR,
      tenantId,
      type: "maintenance.prune",
      inputs: RETENTION,
    });
    const done = await waitForCompletion(h.db, run.id, 240_000);
    expect(done.outcome).toBe("succeeded");
    expect(done.summaryCounts).toEqual({ ...SEEDED_COUNTS });
    await expectPruned(tenantId, seeded);
    // Another tenant's history is its own prune's business.
    expect(await h.db.select().from(operationRuns).where(eq(operationRuns.id, untouched.id))).toHaveLength(1);
  });

  it("walks in batches: the same result one or two rows at a time", async () => {
    const { owner, tenantId } = await ownerAndTenant("Batched");
    const seeded = await seedHistory(tenantId, owner.id);
    const counts = await pruneTenant(h.db, { tenantId, retention: RETENTION, batchSize: 2 });
    expect(counts).toEqual({ ...SEEDED_COUNTS });
    await expectPruned(tenantId, seeded);
  });

  it("deletes old schedule firings but each schedule's newest, and finished alert deliveries with their tries", async () => {
    const { owner, tenantId } = await ownerAndTenant("Firings and deliveries");
    const ago = (days: number) => new Date(Date.now() - days * 86_400_000);
    const [schedule] = await h.db
      .insert(schedules)
      .values({
        tenantId,
        name: "Weekly sync",
        operationType: "inventory.sync",
        recurrence: { kind: "hourly" },
        cron: "0 * * * *",
        timezone: "UTC",
        ownerUserId: owner.id,
      })
      .returning();
    const firing = (days: number) => ({
      scheduleId: schedule!.id,
      jobId: randomUUID(),
      outcome: "skipped" as const,
      firedAt: ago(days),
    });
    // All three are past 30 days; the newest stays (overdue counts from a schedule's last firing).
    await h.db.insert(scheduleFirings).values([firing(400), firing(200), firing(90)]);
    const { id: channelId } = await createChannel(h.db, encryptionKey, {
      actor: actor(owner),
      tenantId,
      name: "Old alerts",
      kind: "webhook",
      url: "http://127.0.0.1:9/hooks",
      rules: {
        runFailed: true,
        runPartiallySucceeded: true,
        operationTypes: [],
        driftDetected: true,
        scheduleOverdue: true,
      },
    });
    const delivery = (days: number, status: "pending" | "delivered" | "failed") => ({
      channelId,
      tenantId,
      eventType: "test" as const,
      event: {},
      status,
      createdAt: ago(days),
    });
    const made = await h.db
      .insert(alertDeliveries)
      .values([delivery(60, "delivered"), delivery(45, "failed"), delivery(40, "pending"), delivery(1, "delivered")])
      .returning({ id: alertDeliveries.id, status: alertDeliveries.status, createdAt: alertDeliveries.createdAt });
    await h.db
      .insert(alertDeliveryAttempts)
      .values(
        made.map((d) => ({ deliveryId: d.id, channelId, attempt: 1, ok: d.status === "delivered", latencyMs: 5 })),
      );

    const counts = await pruneTenant(h.db, { tenantId, retention: RETENTION, batchSize: 2 });
    expect(counts).toMatchObject({ scheduleFiringsDeleted: 2, alertDeliveriesDeleted: 2 });
    const left = await h.db.select().from(scheduleFirings).where(eq(scheduleFirings.scheduleId, schedule!.id));
    expect(left.map((f) => Math.round((Date.now() - f.firedAt.getTime()) / 86_400_000))).toEqual([90]);
    const kept = await h.db.select().from(alertDeliveries).where(eq(alertDeliveries.channelId, channelId));
    expect(kept.map((d) => d.status).sort()).toEqual(["delivered", "pending"]);
    const tries = await h.db.select().from(alertDeliveryAttempts).where(eq(alertDeliveryAttempts.channelId, channelId));
    expect(tries).toHaveLength(2);
  });

  it("pg-boss's scheduler fires the daily prune as a system run", { timeout: 360_000 }, async () => {
    const { tenantId } = await ownerAndTenant("Scheduled");
    const since = new Date();
    // Every minute: the first cron pass finds this minute's occurrence still due and sends it.
    const boss = createBoss(databaseUrl, "worker", { cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1 });
    await boss.start();
    try {
      await startMaintenance(boss, h.deps, { cron: "* * * * *", retention: KEEP_ALL, queueJobsDays: 7 });
      let fired: OperationRun | undefined;
      for (const deadline = Date.now() + 90_000; !fired && Date.now() < deadline; ) {
        [fired] = await h.db
          .select()
          .from(operationRuns)
          .where(
            and(
              eq(operationRuns.tenantId, tenantId),
              eq(operationRuns.type, "maintenance.prune"),
              gt(operationRuns.createdAt, since),
            ),
          );
        if (!fired) await new Promise((r) => setTimeout(r, 250));
      }
      expect(fired).toMatchObject({ initiatorKind: "system", initiatorName: "TenantAtlas" });
      // Behind the prunes of every other tenant, one at a time.
      expect((await waitForCompletion(h.db, fired!.id, 240_000)).outcome).toBe("succeeded");
      expect((await boss.getQueue("tenant.verify"))?.deleteAfterSeconds).toBe(7 * 86_400);
      // One prune at a time across every worker.
      expect((await boss.getQueue("maintenance.prune"))?.policy).toBe("singleton");
    } finally {
      // The schedule lives in the shared database: later files' workers must not fire it.
      await boss.unschedule(PRUNE_SCHEDULE_QUEUE);
      await boss.stop({ graceful: false });
    }
  });
});
