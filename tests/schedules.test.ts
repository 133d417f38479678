import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import pg from "pg";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  alertDeliveries,
  auditEvents,
  notifications,
  operationRuns,
  scheduleFirings,
  schedules,
  tenantMemberships,
  tenants,
} from "@/db/schema";
import { createChannel } from "@/lib/alerts/channels";
import { InputError, NotFoundError } from "@/lib/errors";
import { listRuns, runFiltersSchema } from "@/lib/operations/queries";
import { createBoss, PGBOSS_SCHEMA } from "@/lib/operations/queue";
import { startOperation } from "@/lib/operations/start";
import { fireSchedule } from "@/lib/schedules/firing";
import { checkOverdueSchedules } from "@/lib/schedules/overdue-check";
import { FIRE_QUEUE } from "@/lib/schedules/queues";
import {
  createSchedule,
  deleteSchedule,
  type ScheduleDeps,
  type ScheduleInput,
  setSchedulePaused,
  updateSchedule,
} from "@/lib/schedules/service";
import { workFiring } from "@/lib/schedules/worker";
import { removeTenant } from "@/lib/tenants/settings";
import {
  actor,
  addMember,
  createTestTenant,
  createUser,
  databaseUrl,
  encryptionKey,
  openHarness,
  waitForCompletion,
} from "./support/harness";
import { testRegistry } from "./support/test-operations";

let h: Awaited<ReturnType<typeof openHarness>>;
let producer: PgBoss;
let deps: ScheduleDeps;
beforeAll(async () => {
  h = await openHarness();
  producer = createBoss(databaseUrl, "producer");
  await producer.start();
  deps = { db: h.db, boss: producer, registry: testRegistry };
});
afterAll(async () => {
  // pg-boss schedules live in the shared database: later files' workers must not fire these.
  await h.db.execute(sql`delete from ${sql.identifier(PGBOSS_SCHEMA)}.schedule where name = ${FIRE_QUEUE}`);
  await producer.stop({ graceful: false });
  await h.close();
});

const fireDeps = () => ({ ...h.deps, db: h.db });

async function ownerAndTenant(name: string) {
  const owner = await createUser(h.db, name);
  const tenant = await createTestTenant(h.db, owner.id, { displayName: name });
  return { owner, tenantId: tenant.id };
}

const daily: ScheduleInput = {
  name: "Nightly no-op",
  operationType: "test.noop",
  recurrence: { kind: "daily", time: "02:30" },
  timezone: "Europe/Berlin",
};

const bossSchedule = async (key: string) =>
  (
    await h.db.execute<{ cron: string; timezone: string }>(
      sql`select cron, timezone from ${sql.identifier(PGBOSS_SCHEMA)}.schedule where name = ${FIRE_QUEUE} and key = ${key}`,
    )
  ).rows[0];

const firingsOf = (scheduleId: string) =>
  h.db.select().from(scheduleFirings).where(eq(scheduleFirings.scheduleId, scheduleId));

describe("managing schedules", () => {
  it("writes the schedule, its pg-boss schedule and its audit event together; pause, resume, edit and delete follow", async () => {
    const { owner, tenantId } = await ownerAndTenant("Managed");
    const schedule = await createSchedule(deps, { actor: actor(owner), tenantId, input: daily });
    expect(schedule).toMatchObject({
      cron: "30 2 * * *",
      timezone: "Europe/Berlin",
      notify: "problems",
      paused: false,
    });
    expect(schedule.ownerUserId).toBe(owner.id);
    expect(await bossSchedule(schedule.id)).toEqual({ cron: "30 2 * * *", timezone: "Europe/Berlin" });

    await setSchedulePaused(deps, { actor: actor(owner), tenantId, scheduleId: schedule.id, paused: true });
    expect(await bossSchedule(schedule.id)).toBeUndefined();
    await setSchedulePaused(deps, { actor: actor(owner), tenantId, scheduleId: schedule.id, paused: false });
    expect(await bossSchedule(schedule.id)).toBeDefined();

    await updateSchedule(deps, {
      actor: actor(owner),
      tenantId,
      scheduleId: schedule.id,
      input: { ...daily, recurrence: { kind: "weekly", weekday: 1, time: "7:05" }, timezone: "UTC" },
    });
    expect(await bossSchedule(schedule.id)).toEqual({ cron: "5 7 * * 1", timezone: "UTC" });

    await deleteSchedule(deps, { actor: actor(owner), tenantId, scheduleId: schedule.id });
    expect(await bossSchedule(schedule.id)).toBeUndefined();
    expect(await h.db.select().from(schedules).where(eq(schedules.id, schedule.id))).toEqual([]);

    const actions = await h.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.targetId, schedule.id)))
      .orderBy(auditEvents.occurredAt);
    expect(actions.map((a) => a.action)).toEqual([
      "schedule.create",
      "schedule.pause",
      "schedule.resume",
      "schedule.update",
      "schedule.delete",
    ]);
  });

  it("a schedule removed with its tenant stops firing: its first stray firing unschedules it in pg-boss", async () => {
    const { owner, tenantId } = await ownerAndTenant("Removed");
    const schedule = await createSchedule(deps, { actor: actor(owner), tenantId, input: daily });
    expect(await bossSchedule(schedule.id)).toBeDefined();
    const [tenant] = await h.db.select().from(tenants).where(eq(tenants.id, tenantId));
    await removeTenant(h.db, { actor: actor(owner), tenantId, confirmName: tenant!.displayName });
    expect(await h.db.select().from(schedules).where(eq(schedules.id, schedule.id))).toEqual([]);
    // pg-boss still holds it until a firing comes: that firing records nothing and unschedules it.
    expect(await bossSchedule(schedule.id)).toBeDefined();
    const firing = await workFiring(producer, fireDeps(), { id: randomUUID(), data: { scheduleId: schedule.id } });
    expect(firing).toBeNull();
    expect(await bossSchedule(schedule.id)).toBeUndefined();
    expect(await h.db.select().from(scheduleFirings).where(eq(scheduleFirings.scheduleId, schedule.id))).toEqual([]);
  });

  it("refuses bad input with a message on the field, and writes nothing", async () => {
    const { owner, tenantId } = await ownerAndTenant("Refused");
    const other = await ownerAndTenant("Someone else's");
    const theirs = await createSchedule(deps, { actor: actor(other.owner), tenantId: other.tenantId, input: daily });
    const viewer = await createUser(h.db, "Viewer");
    await addMember(h.db, { userId: viewer.id, tenantId, role: "viewer" });

    const refusals: [ScheduleInput, string, RegExp][] = [
      [{ ...daily, recurrence: { kind: "cron", expression: "61 * * * *" } }, "expression", /not a valid cron/],
      [{ ...daily, recurrence: { kind: "cron", expression: "* * * *" } }, "expression", /five fields/],
      [{ ...daily, timezone: "Mars/Olympus_Mons" }, "timezone", /Unknown time zone/],
      [{ ...daily, timezone: "+05:00" }, "timezone", /Unknown time zone/],
      [{ ...daily, operationType: "test.partial" }, "operationType", /not an operation a schedule can run/],
      [{ ...daily, operationType: "constructor" }, "operationType", /not an operation a schedule can run/],
      [{ ...daily, recurrence: { kind: "daily", time: "24:00" } }, "time", /out of range/],
      [{ ...daily, recurrence: { kind: "weekly", weekday: 7, time: "10:00" } }, "weekday", /./],
    ];
    for (const [input, field, message] of refusals) {
      const error = await createSchedule(deps, { actor: actor(owner), tenantId, input }).catch((e: unknown) => e);
      expect(error, JSON.stringify(input)).toBeInstanceOf(InputError);
      expect((error as InputError).fieldErrors[field]?.join(" ")).toMatch(message);
    }
    // A viewer may read the tab, never write to it.
    await expect(createSchedule(deps, { actor: actor(viewer), tenantId, input: daily })).rejects.toThrow(/operator/);
    // Another tenant's schedule, named through this tenant: not found, and untouched.
    for (const change of [
      () => updateSchedule(deps, { actor: actor(owner), tenantId, scheduleId: theirs.id, input: daily }),
      () => setSchedulePaused(deps, { actor: actor(owner), tenantId, scheduleId: theirs.id, paused: true }),
      () => deleteSchedule(deps, { actor: actor(owner), tenantId, scheduleId: theirs.id }),
      () => deleteSchedule(deps, { actor: actor(owner), tenantId, scheduleId: "not-a-uuid" }),
    ]) {
      await expect(change()).rejects.toThrow(NotFoundError);
    }
    expect(await h.db.select().from(schedules).where(eq(schedules.tenantId, tenantId))).toEqual([]);
    const [kept] = await h.db.select().from(schedules).where(eq(schedules.id, theirs.id));
    expect(kept).toMatchObject({ paused: false, cron: "30 2 * * *" });
    expect(await bossSchedule(theirs.id)).toBeDefined();
    const audited = await h.db.select().from(auditEvents).where(eq(auditEvents.tenantId, tenantId));
    expect(audited.filter((e) => e.action.startsWith("schedule."))).toEqual([]);
  });
});

describe("firings", () => {
  it("start a run with initiator kind schedule, on the owner's behalf, linked to the schedule", async () => {
    const { owner, tenantId } = await ownerAndTenant("Fired");
    const schedule = await createSchedule(deps, {
      actor: actor(owner),
      tenantId,
      input: { ...daily, name: "Daily wait", operationType: "test.wait" },
    });
    const firing = await fireSchedule(fireDeps(), { jobId: randomUUID(), scheduleId: schedule.id });
    expect(firing).toMatchObject({ outcome: "started", reason: null });
    const [run] = await h.db.select().from(operationRuns).where(eq(operationRuns.id, firing!.runId!));
    expect(run).toMatchObject({
      initiatorKind: "schedule",
      initiatorUserId: owner.id,
      initiatorName: "Schedule: Daily wait",
      scheduleId: schedule.id,
    });
    // Filterable by initiator kind in the runs list.
    const list = (kind: string) =>
      listRuns(h.db, { tenantIds: [tenantId], filters: runFiltersSchema.parse({ kind }) }).then((r) =>
        r.runs.map((x) => x.id),
      );
    expect(await list("schedule")).toEqual([run!.id]);
    expect(await list("user")).toEqual([]);
  });

  it("two deliveries of one firing job at once record one firing and start one run", async () => {
    const { owner, tenantId } = await ownerAndTenant("Twice delivered");
    const schedule = await createSchedule(deps, {
      actor: actor(owner),
      tenantId,
      input: { ...daily, operationType: "test.wait" },
    });
    const jobId = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 4 }, () => fireSchedule(fireDeps(), { jobId, scheduleId: schedule.id })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await firingsOf(schedule.id)).toHaveLength(1);
    expect(await h.db.select().from(operationRuns).where(eq(operationRuns.tenantId, tenantId))).toHaveLength(1);
  });

  it("while an equal run is active, a firing is recorded as joined with that run, never a second run", async () => {
    const { owner, tenantId } = await ownerAndTenant("Still busy");
    const schedule = await createSchedule(deps, {
      actor: actor(owner),
      tenantId,
      input: { ...daily, operationType: "test.wait" },
    });
    // Started by hand with the same identity (key "k"); no worker in this file yet, so it stays queued.
    const { run: active } = await startOperation(h.deps, { actor: actor(owner), tenantId, type: "test.wait" });
    const firing = await fireSchedule(fireDeps(), { jobId: randomUUID(), scheduleId: schedule.id });
    expect(firing).toMatchObject({ outcome: "joined", runId: active.id });
    expect(await h.db.select().from(operationRuns).where(eq(operationRuns.tenantId, tenantId))).toHaveLength(1);
  });

  it("an owner demoted below the type's role, or removed, is a skipped firing with the reason, and no run", async () => {
    const { owner, tenantId } = await ownerAndTenant("Demoted");
    const maker = await createUser(h.db, "Operator who left");
    await addMember(h.db, { userId: maker.id, tenantId, role: "operator" });
    const schedule = await createSchedule(deps, { actor: actor(maker), tenantId, input: daily });
    const membership = and(eq(tenantMemberships.userId, maker.id), eq(tenantMemberships.tenantId, tenantId));

    await h.db.update(tenantMemberships).set({ role: "viewer" }).where(membership);
    const demoted = await fireSchedule(fireDeps(), { jobId: randomUUID(), scheduleId: schedule.id });
    expect(demoted).toMatchObject({ outcome: "skipped", runId: null });
    expect(demoted!.reason).toMatch(/now viewer; running it needs operator/);

    await h.db.delete(tenantMemberships).where(membership);
    const removed = await fireSchedule(fireDeps(), { jobId: randomUUID(), scheduleId: schedule.id });
    expect(removed!.reason).toMatch(/no longer a member/);

    await setSchedulePaused(deps, { actor: actor(owner), tenantId, scheduleId: schedule.id, paused: true });
    const paused = await fireSchedule(fireDeps(), { jobId: randomUUID(), scheduleId: schedule.id });
    expect(paused!.reason).toMatch(/paused/);

    expect(await h.db.select().from(operationRuns).where(eq(operationRuns.tenantId, tenantId))).toEqual([]);
    expect(await firingsOf(schedule.id)).toHaveLength(3);
  });

  it("an overdue schedule is marked once per episode, with one audit event and one alert, and firing ends the episode", async () => {
    const { owner, tenantId } = await ownerAndTenant("Overdue");
    const schedule = await createSchedule(deps, {
      actor: actor(owner),
      tenantId,
      input: { ...daily, recurrence: { kind: "hourly" }, timezone: "UTC" },
    });
    // Made three hours ago and never fired since (no worker was up).
    await h.db
      .update(schedules)
      .set({ activeSince: new Date(Date.now() - 3 * 3_600_000) })
      .where(eq(schedules.id, schedule.id));
    // A channel that wants overdue schedules (to a port nothing listens on: the delivery row is the proof).
    const { id: channelId } = await createChannel(h.db, encryptionKey, {
      actor: actor(owner),
      tenantId,
      name: "Overdue alerts",
      kind: "webhook",
      url: "http://127.0.0.1:9/overdue",
      rules: {
        runFailed: false,
        runPartiallySucceeded: false,
        operationTypes: [],
        driftDetected: false,
        scheduleOverdue: true,
      },
    });
    const overdueAlerts = () =>
      h.db
        .select()
        .from(alertDeliveries)
        .where(and(eq(alertDeliveries.channelId, channelId), eq(alertDeliveries.eventType, "schedule.overdue")));
    await checkOverdueSchedules({ db: h.db, boss: producer });
    await checkOverdueSchedules({ db: h.db, boss: producer });
    expect(await overdueAlerts()).toHaveLength(1);
    const [marked] = await h.db.select().from(schedules).where(eq(schedules.id, schedule.id));
    expect(marked!.overdueSince).toBeInstanceOf(Date);
    const overdueEvents = () =>
      h.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.targetId, schedule.id), eq(auditEvents.action, "schedule.overdue")));
    expect(await overdueEvents()).toHaveLength(1);

    await fireSchedule(fireDeps(), { jobId: randomUUID(), scheduleId: schedule.id });
    const [cleared] = await h.db.select().from(schedules).where(eq(schedules.id, schedule.id));
    expect(cleared!.overdueSince).toBeNull();
    await checkOverdueSchedules({ db: h.db, boss: producer });
    expect(await overdueEvents()).toHaveLength(1);
    expect(await overdueAlerts()).toHaveLength(1);
  });

  it("a firing that commits while the overdue check runs is seen: nothing is flagged", async () => {
    const { owner, tenantId } = await ownerAndTenant("Late firing");
    const schedule = await createSchedule(deps, {
      actor: actor(owner),
      tenantId,
      input: { ...daily, recurrence: { kind: "hourly" }, timezone: "UTC" },
    });
    await h.db
      .update(schedules)
      .set({ activeSince: new Date(Date.now() - 3 * 3_600_000) })
      .where(eq(schedules.id, schedule.id));
    // A firing in progress, as fireSchedule does it: the schedule's row locked, its firing written.
    const firing = new pg.Client({ connectionString: databaseUrl });
    await firing.connect();
    try {
      await firing.query("begin");
      await firing.query("select id from schedules where id = $1 for update", [schedule.id]);
      await firing.query("insert into schedule_firings (schedule_id, job_id, outcome) values ($1, $2, 'skipped')", [
        schedule.id,
        randomUUID(),
      ]);
      const check = checkOverdueSchedules({ db: h.db, boss: producer });
      // The check finds it overdue, then waits on the row; the firing commits meanwhile.
      await new Promise((r) => setTimeout(r, 500));
      await firing.query("commit");
      await check;
    } finally {
      await firing.end();
    }
    const [after] = await h.db.select().from(schedules).where(eq(schedules.id, schedule.id));
    expect(after!.overdueSince).toBeNull();
    await deleteSchedule(deps, { actor: actor(owner), tenantId, scheduleId: schedule.id });
  });

  it("notify the owner per the schedule's choice: problems only is silent on success, one notification on failure", {
    timeout: 120_000,
  }, async () => {
    const { owner, tenantId } = await ownerAndTenant("Notified");
    await h.startWorker();
    const made: string[] = [];
    const runOf = async (input: ScheduleInput) => {
      const schedule = await createSchedule(deps, { actor: actor(owner), tenantId, input });
      made.push(schedule.id);
      const firing = await fireSchedule(fireDeps(), { jobId: randomUUID(), scheduleId: schedule.id });
      return waitForCompletion(h.db, firing!.runId!, 60_000);
    };
    const notified = (runId: string) => h.db.select().from(notifications).where(eq(notifications.runId, runId));

    const ok = await runOf({ ...daily, name: "Quiet", operationType: "test.noop" });
    expect(ok.outcome).toBe("succeeded");
    expect(await notified(ok.id)).toEqual([]);

    const bad = await runOf({ ...daily, name: "Breaks", operationType: "test.fatal" });
    expect(bad.outcome).toBe("failed");
    expect((await notified(bad.id)).map((n) => [n.userId, n.kind, n.outcome])).toEqual([
      [owner.id, "run_completed", "failed"],
    ]);

    const always = await runOf({ ...daily, name: "Chatty", operationType: "test.noop", notify: "always" });
    expect((await notified(always.id)).map((n) => n.kind).sort()).toEqual(["run_completed", "run_queued"]);

    const never = await runOf({ ...daily, name: "Mute", operationType: "test.fatal", notify: "never" });
    expect(never.outcome).toBe("failed");
    expect(await notified(never.id)).toEqual([]);

    // Deleting a schedule keeps its completed runs, unlinked (the completed-run guard allows only that).
    for (const scheduleId of made) await deleteSchedule(deps, { actor: actor(owner), tenantId, scheduleId });
    const [kept] = await h.db.select().from(operationRuns).where(eq(operationRuns.id, ok.id));
    expect(kept).toMatchObject({ outcome: "succeeded", scheduleId: null, initiatorKind: "schedule" });
  });
});
