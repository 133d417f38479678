import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEvents,
  type BackupSet,
  backupDeletions,
  backupItems,
  backupPins,
  backupRetention,
  backupSets,
  operationRuns,
} from "@/db/schema";
import { ForbiddenError, InputError, InvalidInputsError, NotFoundError } from "@/lib/errors";
import { SYSTEM_ACTOR, startOperation } from "@/lib/operations/start";
import { deleteBackupSetOnce, deletionsOfRun } from "@/lib/retention/delete";
import { setBackupPin } from "@/lib/retention/pins";
import { setRetentionPolicy } from "@/lib/retention/policy";
import { fireRetention } from "@/lib/retention/schedule";
import { actor, addMember, createTestTenant, createUser, openHarness, waitForCompletion } from "./support/harness";
import { killHard, startWorkerProcess } from "./support/worker-process-control";

let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => {
  await h.close();
});

/** One in-process worker for the file, started after the test that needs none running (the SIGKILL one). */
let worker: Promise<unknown> | undefined;
const ensureWorker = () => {
  worker ??= h.startWorker();
  return worker;
};

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

async function ownerAndTenant(name: string) {
  const owner = await createUser(h.db, name);
  const tenant = await createTestTenant(h.db, owner.id, { displayName: name });
  return { owner, tenantId: tenant.id };
}

/** A backup set written straight into the table, aged as the test needs, with `items` items. */
async function seedSet(
  tenantId: string,
  { ageDays, sealed = true, items = 2 }: { ageDays: number; sealed?: boolean; items?: number },
) {
  const at = daysAgo(ageDays);
  const [set] = await h.db
    .insert(backupSets)
    .values({
      tenantId,
      name: `Backup ${ageDays}d ${randomUUID().slice(0, 4)}`,
      itemCount: sealed ? items : 0,
      createdAt: at,
      completedAt: sealed ? at : null,
    })
    .returning();
  for (let i = 0; i < items; i++) {
    await h.db.insert(backupItems).values({
      backupSetId: set!.id,
      tenantId,
      policyId: randomUUID(),
      family: "device_configuration",
      name: `Policy ${i}`,
      content: { i },
      contentHash: `hash-${i}`,
    });
  }
  return set!;
}

async function remainingSets(tenantId: string) {
  const rows = await h.db.select({ id: backupSets.id }).from(backupSets).where(eq(backupSets.tenantId, tenantId));
  return new Set(rows.map((r) => r.id));
}

async function retentionRun(tenantId: string) {
  const { run } = await startOperation(h.deps, { actor: SYSTEM_ACTOR, tenantId, type: "retention.apply" });
  await ensureWorker();
  return waitForCompletion(h.db, run.id, 60_000);
}

async function policy(
  owner: { id: string; name: string },
  tenantId: string,
  keepDays: number | null,
  keepCount: number | null,
) {
  await setRetentionPolicy(h.db, { actor: actor(owner), tenantId, policy: { keepDays, keepCount } });
}

describe("a retention run whose worker is SIGKILLed mid-way", () => {
  it("is retried and ends with the right sets deleted, each once, and no error", async () => {
    const { owner, tenantId } = await ownerAndTenant("Killed retention");
    const sets: BackupSet[] = [];
    for (const age of [60, 50, 40, 30, 20, 10]) sets.push(await seedSet(tenantId, { ageDays: age }));
    await policy(owner, tenantId, null, 1);

    // A test transaction holds the third candidate's row: the worker deletes two, then waits on it.
    const { release, holder } = await holdRow(sets[2]!.id);

    const doomed = await startWorkerProcess();
    const { run } = await startOperation(h.deps, { actor: SYSTEM_ACTOR, tenantId, type: "retention.apply" });
    const deadline = Date.now() + 60_000;
    while ((await deletionsOfRun(h.db, { tenantId, runId: run.id })).length < 2) {
      if (Date.now() > deadline) throw new Error("the worker never deleted the first two sets");
      await new Promise((r) => setTimeout(r, 100));
    }
    await killHard(doomed);
    release();
    await holder;

    await ensureWorker();
    const done = await waitForCompletion(h.db, run.id, 90_000);
    expect(done).toMatchObject({ outcome: "succeeded", attempt: 2 });
    expect(done.summaryCounts).toMatchObject({ deleted: 5, kept: 0 });
    expect(done.failures).toEqual([]);
    const deleted = await deletionsOfRun(h.db, { tenantId, runId: run.id });
    expect(deleted.map((d) => d.backupSetId)).toEqual(sets.slice(0, 5).map((s) => s.id));
    expect(deleted.map((d) => d.itemCount)).toEqual([2, 2, 2, 2, 2]);
    expect(await remainingSets(tenantId)).toEqual(new Set([sets[5]!.id]));
    const items = await h.db
      .select({ id: backupItems.id })
      .from(backupItems)
      .where(
        inArray(
          backupItems.backupSetId,
          sets.slice(0, 5).map((s) => s.id),
        ),
      );
    expect(items).toEqual([]);
  }, 180_000);
});

describe("retention.apply", () => {
  it("by days: deletes the sealed sets older than N days and names them on the run", async () => {
    const { owner, tenantId } = await ownerAndTenant("Retention by days");
    const [old1, old2, recent, newest] = [
      await seedSet(tenantId, { ageDays: 40, items: 3 }),
      await seedSet(tenantId, { ageDays: 35 }),
      await seedSet(tenantId, { ageDays: 10 }),
      await seedSet(tenantId, { ageDays: 1 }),
    ];
    await policy(owner, tenantId, 30, null);
    const done = await retentionRun(tenantId);
    expect(done).toMatchObject({ outcome: "succeeded", initiatorKind: "system", initiatorUserId: null });
    expect(done.summaryCounts).toMatchObject({ candidates: 2, deleted: 2, kept: 0 });
    expect(await remainingSets(tenantId)).toEqual(new Set([recent.id, newest.id]));
    const deleted = await deletionsOfRun(h.db, { tenantId, runId: done.id });
    expect(deleted).toEqual([
      expect.objectContaining({ backupSetId: old1.id, name: old1.name, itemCount: 3, reason: "past_days" }),
      expect.objectContaining({ backupSetId: old2.id, name: old2.name, itemCount: 2, reason: "past_days" }),
    ]);
    expect(deleted[0]!.setCreatedAt.getTime()).toBe(old1.createdAt.getTime());
  }, 90_000);

  it("by count: keeps the newest N sealed sets; a set still being written is never touched", async () => {
    const { owner, tenantId } = await ownerAndTenant("Retention by count");
    const writing = await seedSet(tenantId, { ageDays: 90, sealed: false });
    const sets: BackupSet[] = [];
    for (const age of [4, 3, 2, 1]) sets.push(await seedSet(tenantId, { ageDays: age }));
    await policy(owner, tenantId, null, 2);
    const done = await retentionRun(tenantId);
    expect(done.summaryCounts).toMatchObject({ deleted: 2 });
    expect(await remainingSets(tenantId)).toEqual(new Set([writing.id, sets[2]!.id, sets[3]!.id]));
    const deleted = await deletionsOfRun(h.db, { tenantId, runId: done.id });
    expect(deleted.map((d) => d.reason)).toEqual(["beyond_count", "beyond_count"]);
  }, 90_000);

  it("with both limits a set goes when past either; pinned sets stay and do not take a place in the count", async () => {
    const { owner, tenantId } = await ownerAndTenant("Retention both");
    const s50 = await seedSet(tenantId, { ageDays: 50 });
    const pinned = await seedSet(tenantId, { ageDays: 45 });
    const s20 = await seedSet(tenantId, { ageDays: 20 });
    const keep = [await seedSet(tenantId, { ageDays: 10 }), await seedSet(tenantId, { ageDays: 5 })];
    const s1 = await seedSet(tenantId, { ageDays: 1 });
    await setBackupPin(h.db, { actor: actor(owner), tenantId, backupSetId: pinned.id, pinned: true });
    await policy(owner, tenantId, 30, 3);
    const done = await retentionRun(tenantId);
    expect(await remainingSets(tenantId)).toEqual(new Set([pinned.id, ...keep.map((s) => s.id), s1.id]));
    const deleted = await deletionsOfRun(h.db, { tenantId, runId: done.id });
    expect(deleted.map((d) => [d.backupSetId, d.reason])).toEqual([
      [s50.id, "beyond_count"],
      [s20.id, "beyond_count"],
    ]);
  }, 90_000);

  it("always keeps the newest sealed set, even past the days", async () => {
    const { owner, tenantId } = await ownerAndTenant("Retention newest");
    await seedSet(tenantId, { ageDays: 30 });
    const newest = await seedSet(tenantId, { ageDays: 20 });
    await policy(owner, tenantId, 1, null);
    const done = await retentionRun(tenantId);
    expect(done.summaryCounts).toMatchObject({ candidates: 2, deleted: 1, kept: 1 });
    expect(await remainingSets(tenantId)).toEqual(new Set([newest.id]));
  }, 90_000);

  it("keeps a set an active restore reads; a set sealed after the last run is the newest and stays", async () => {
    const { owner, tenantId } = await ownerAndTenant("Retention in use");
    const used = await seedSet(tenantId, { ageDays: 30 });
    const writing = await seedSet(tenantId, { ageDays: 2, sealed: false });
    await seedRestoreRun(tenantId, used.id);
    await policy(owner, tenantId, null, 1);
    const first = await retentionRun(tenantId);
    // `used` is the newest sealed set and in use: nothing goes, the unsealed one is no candidate.
    expect(first.summaryCounts).toMatchObject({ deleted: 0 });
    // The backup seals: now `used` is beyond the count, but the restore still reads it.
    await h.db.update(backupSets).set({ completedAt: new Date() }).where(eq(backupSets.id, writing.id));
    const second = await retentionRun(tenantId);
    expect(second.summaryCounts).toMatchObject({ candidates: 1, deleted: 0, kept: 1 });
    expect(await remainingSets(tenantId)).toEqual(new Set([used.id, writing.id]));
  }, 90_000);

  it("a backup that seals while retention runs is not deleted, nor is the set that was newest when it began", async () => {
    const { owner, tenantId } = await ownerAndTenant("Retention while sealing");
    const [a, b, c] = [
      await seedSet(tenantId, { ageDays: 30 }),
      await seedSet(tenantId, { ageDays: 20 }),
      await seedSet(tenantId, { ageDays: 10 }),
    ];
    const writing = await seedSet(tenantId, { ageDays: 0, sealed: false });
    await policy(owner, tenantId, null, 1);
    // The run waits on the first candidate's row while the backup seals.
    const { release, holder } = await holdRow(a.id);
    const { run } = await startOperation(h.deps, { actor: SYSTEM_ACTOR, tenantId, type: "retention.apply" });
    await ensureWorker();
    // Its candidates are read (its first progress) before the backup seals.
    const running = Date.now() + 30_000;
    while (
      (await h.db.select().from(operationRuns).where(eq(operationRuns.id, run.id)))[0]?.summaryCounts.candidates !== 2
    ) {
      if (Date.now() > running) throw new Error("the retention run never read its candidates");
      await new Promise((r) => setTimeout(r, 50));
    }
    await h.db.update(backupSets).set({ completedAt: new Date() }).where(eq(backupSets.id, writing.id));
    release();
    await holder;
    const done = await waitForCompletion(h.db, run.id, 60_000);
    expect(done.summaryCounts).toMatchObject({ candidates: 2, deleted: 2 });
    expect(await remainingSets(tenantId)).toEqual(new Set([c.id, writing.id]));
    expect((await deletionsOfRun(h.db, { tenantId, runId: run.id })).map((d) => d.backupSetId)).toEqual([a.id, b.id]);
  }, 90_000);

  it("two firings at once give one run per tenant; a tenant without a policy gets none", async () => {
    const { owner, tenantId } = await ownerAndTenant("Retention firing");
    const { tenantId: without } = await ownerAndTenant("Retention none");
    await policy(owner, tenantId, 30, null);
    const [a, b] = await Promise.all([fireRetention(h.deps), fireRetention(h.deps)]);
    expect(a.started + b.started).toBeGreaterThanOrEqual(1);
    const runs = await h.db
      .select({ tenantId: operationRuns.tenantId })
      .from(operationRuns)
      .where(and(eq(operationRuns.type, "retention.apply"), inArray(operationRuns.tenantId, [tenantId, without])));
    expect(runs).toEqual([{ tenantId }]);
  }, 90_000);

  it("refuses a policy from a non-owner, and a bad one, writing nothing", async () => {
    const { owner, tenantId } = await ownerAndTenant("Retention refusals");
    const operator = await createUser(h.db, "Operator");
    await addMember(h.db, { userId: operator.id, tenantId, role: "operator" });
    await expect(policy(operator, tenantId, 30, null)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(policy(owner, tenantId, 0, null)).rejects.toBeInstanceOf(InputError);
    await expect(
      setRetentionPolicy(h.db, { actor: actor(owner), tenantId, policy: { keepDays: 1.5, keepCount: null } }),
    ).rejects.toBeInstanceOf(InputError);
    const rows = await h.db.select().from(backupRetention).where(eq(backupRetention.tenantId, tenantId));
    expect(rows).toEqual([]);
  });
});

/** An active restore.execute run reading `backupSetId` (its worker is elsewhere). */
async function seedRestoreRun(tenantId: string, backupSetId: string) {
  await h.db.insert(operationRuns).values({
    tenantId,
    type: "restore.execute",
    status: "running",
    runIdentityHash: randomUUID(),
    inputs: { backupSetId, itemIds: [randomUUID()], mapping: {}, unmapped: "skip" },
    initiatorName: "Someone",
  });
}

describe("pins and backup_set.delete", () => {
  it("an owner deletes a sealed set: a run, audited, that names it; items go with it", async () => {
    const { owner, tenantId } = await ownerAndTenant("Delete ok");
    const victim = await seedSet(tenantId, { ageDays: 5, items: 4 });
    const newest = await seedSet(tenantId, { ageDays: 1 });
    // Without the typed word no surface starts it (the generic start action takes these inputs too).
    for (const inputs of [{ backupSetId: victim.id }, { backupSetId: victim.id, confirm: "yes" }]) {
      await expect(
        startOperation(h.deps, { actor: actor(owner), tenantId, type: "backup_set.delete", inputs }),
      ).rejects.toBeInstanceOf(InvalidInputsError);
    }
    const { run } = await startDelete(owner, tenantId, victim.id);
    await ensureWorker();
    const done = await waitForCompletion(h.db, run.id, 60_000);
    expect(done.outcome).toBe("succeeded");
    expect(await remainingSets(tenantId)).toEqual(new Set([newest.id]));
    expect(await deletionsOfRun(h.db, { tenantId, runId: run.id })).toEqual([
      expect.objectContaining({ backupSetId: victim.id, itemCount: 4, reason: "owner" }),
    ]);
    // A retried attempt (its worker lost after the commit) changes nothing and records nothing twice.
    const again = await deleteBackupSetOnce(h.db, { runId: run.id, tenantId, backupSetId: victim.id, reason: "owner" });
    expect(again).toEqual({ deleted: false, refused: "gone" });
    expect(await deletionsOfRun(h.db, { tenantId, runId: run.id })).toHaveLength(1);
    const audit = await h.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.targetId, run.id)));
    expect(audit.map((a) => a.action)).toContain("run.start");
  }, 90_000);

  it("refuses to delete a pinned set (unpin first) and the newest; pin and unpin are audited", async () => {
    const { owner, tenantId } = await ownerAndTenant("Delete pinned");
    const pinned = await seedSet(tenantId, { ageDays: 5 });
    const newest = await seedSet(tenantId, { ageDays: 1 });
    await setBackupPin(h.db, { actor: actor(owner), tenantId, backupSetId: pinned.id, pinned: true });
    const start = (backupSetId: string) => startDelete(owner, tenantId, backupSetId);
    await expect(start(pinned.id)).rejects.toThrow(/pinned: unpin it first/);
    await expect(start(newest.id)).rejects.toThrow(/newest complete backup/);
    // The run's own check, under the set's lock (a pin that came after the start).
    const outcome = await deleteInRun(tenantId, pinned.id);
    expect(outcome).toEqual({ deleted: false, refused: "pinned" });
    expect(await remainingSets(tenantId)).toEqual(new Set([pinned.id, newest.id]));
    const runs = await h.db
      .select()
      .from(operationRuns)
      .where(and(eq(operationRuns.tenantId, tenantId), eq(operationRuns.type, "backup_set.delete")));
    expect(runs).toEqual([]);

    await setBackupPin(h.db, { actor: actor(owner), tenantId, backupSetId: pinned.id, pinned: false });
    const audit = await h.db
      .select({ action: auditEvents.action, actor: auditEvents.actorUserId })
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.targetId, pinned.id)));
    expect(audit.map((a) => a.action).sort()).toEqual(["backup.pin", "backup.unpin"]);
    expect(await h.db.select().from(backupPins).where(eq(backupPins.backupSetId, pinned.id))).toEqual([]);
  });

  it("refuses to delete a set an active restore reads, at the start and in the run", async () => {
    const { owner, tenantId } = await ownerAndTenant("Delete in use");
    const used = await seedSet(tenantId, { ageDays: 5 });
    await seedSet(tenantId, { ageDays: 1 });
    // The restore runs in another tenant: a restore may read any backup its starter can read.
    const { tenantId: target } = await ownerAndTenant("Restore target");
    await seedRestoreRun(target, used.id);
    await expect(startDelete(owner, tenantId, used.id)).rejects.toThrow(/A restore is reading this backup/);
    const outcome = await deleteInRun(tenantId, used.id);
    expect(outcome).toMatchObject({ deleted: false, refused: "in_use" });
    expect((await remainingSets(tenantId)).has(used.id)).toBe(true);
  });

  it("refuses a non-owner's delete, pin and unpin, writing nothing", async () => {
    const { owner, tenantId } = await ownerAndTenant("Delete operator");
    const set = await seedSet(tenantId, { ageDays: 5 });
    await seedSet(tenantId, { ageDays: 1 });
    const operator = await createUser(h.db, "Operator");
    await addMember(h.db, { userId: operator.id, tenantId, role: "operator" });
    await expect(startDelete(operator, tenantId, set.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      setBackupPin(h.db, { actor: actor(operator), tenantId, backupSetId: set.id, pinned: true }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await setBackupPin(h.db, { actor: actor(owner), tenantId, backupSetId: set.id, pinned: true });
    await expect(
      setBackupPin(h.db, { actor: actor(operator), tenantId, backupSetId: set.id, pinned: false }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(await h.db.select().from(backupPins).where(eq(backupPins.backupSetId, set.id))).toHaveLength(1);
    const runs = await h.db.select().from(operationRuns).where(eq(operationRuns.tenantId, tenantId));
    expect(runs).toEqual([]);
  });

  it("treats another tenant's set id (and a malformed one) as not found, writing nothing", async () => {
    const { owner, tenantId } = await ownerAndTenant("Hostile ids");
    const { tenantId: other } = await ownerAndTenant("Someone else");
    const theirs = await seedSet(other, { ageDays: 5 });
    await seedSet(other, { ageDays: 1 });
    const start = (backupSetId: string) => startDelete(owner, tenantId, backupSetId);
    await expect(start(theirs.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(start("../../etc")).rejects.toBeInstanceOf(InputError);
    await expect(
      setBackupPin(h.db, { actor: actor(owner), tenantId, backupSetId: theirs.id, pinned: true }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      setBackupPin(h.db, { actor: actor(owner), tenantId, backupSetId: "x' or 1=1 --", pinned: true }),
    ).rejects.toBeInstanceOf(NotFoundError);
    // Even the run's own delete, named with the wrong tenant, finds nothing.
    const outcome = await deleteInRun(tenantId, theirs.id);
    expect(outcome).toEqual({ deleted: false, refused: "gone" });
    expect((await remainingSets(other)).has(theirs.id)).toBe(true);
    expect(await h.db.select().from(backupPins).where(eq(backupPins.backupSetId, theirs.id))).toEqual([]);
    expect(await h.db.select().from(backupDeletions).where(eq(backupDeletions.backupSetId, theirs.id))).toEqual([]);
  });
});

/** A finished run of the tenant, for calling the per-set delete directly (its record needs a run). */
async function anyRun(tenantId: string) {
  const [run] = await h.db
    .insert(operationRuns)
    .values({
      tenantId,
      type: "retention.apply",
      status: "completed",
      outcome: "failed",
      runIdentityHash: randomUUID(),
      initiatorName: "Test",
      completedAt: new Date(),
    })
    .returning();
  return run!;
}

/** An owner's (or anyone's) start of backup_set.delete. */
function startDelete(who: { id: string; name: string }, tenantId: string, backupSetId: string) {
  return startOperation(h.deps, {
    actor: actor(who),
    tenantId,
    type: "backup_set.delete",
    inputs: { backupSetId, confirm: "delete" },
  });
}

/** The run's own delete of one set, as the worker calls it (under the set's row lock). */
async function deleteInRun(tenantId: string, backupSetId: string) {
  return deleteBackupSetOnce(h.db, { runId: (await anyRun(tenantId)).id, tenantId, backupSetId, reason: "owner" });
}

/** Locks a backup set's row in a transaction of the test's until `release()`; resolves once it is held. */
async function holdRow(backupSetId: string) {
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const holder = h.db.transaction(async (tx) => {
    await tx.select().from(backupSets).where(eq(backupSets.id, backupSetId)).for("update");
    locked();
    await held;
  });
  await isLocked;
  return { release, holder };
}
