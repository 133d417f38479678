import { eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operationRuns, scheduleFirings } from "@/db/schema";
import { createBoss } from "@/lib/operations/queue";
import { createSchedule, deleteSchedule, type ScheduleDeps } from "@/lib/schedules/service";
import { actor, createTestTenant, createUser, databaseUrl, openHarness } from "./support/harness";
import { testRegistry } from "./support/test-operations";
import { startWorkerMain, type WorkerMain } from "./support/worker-main";

let h: Awaited<ReturnType<typeof openHarness>>;
let producer: PgBoss;
let deps: ScheduleDeps;
const workers: WorkerMain[] = [];
beforeAll(async () => {
  h = await openHarness();
  producer = createBoss(databaseUrl, "producer");
  await producer.start();
  deps = { db: h.db, boss: producer, registry: testRegistry };
});
afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await producer.stop({ graceful: false });
  await h.close();
});

describe("schedules on pg-boss's scheduler", () => {
  it("two real worker processes fire an every-minute schedule: one firing per occurrence, one run per started firing", {
    timeout: 300_000,
  }, async () => {
    const owner = await createUser(h.db, "Cron owner");
    const tenantId = (await createTestTenant(h.db, owner.id, { displayName: "Every minute" })).id;
    // The product's worker (workers/main.ts), twice: both run pg-boss's cron pass and work firings.
    workers.push(await startWorkerMain(), await startWorkerMain());
    const schedule = await createSchedule(deps, {
      actor: actor(owner),
      tenantId,
      input: {
        name: "Minutely groups",
        operationType: "directory_groups.sync",
        recurrence: { kind: "cron", expression: "* * * * *" },
        timezone: "UTC",
      },
    });
    try {
      const firings = () => h.db.select().from(scheduleFirings).where(eq(scheduleFirings.scheduleId, schedule.id));
      // Two occurrences: pg-boss's cron pass runs every 30 s by default, so each lands within a minute and a half.
      for (const deadline = Date.now() + 200_000; (await firings()).length < 2 && Date.now() < deadline; ) {
        await new Promise((r) => setTimeout(r, 1000));
      }
      // Give a duplicate of the second occurrence, if there were one, time to land.
      await new Promise((r) => setTimeout(r, 10_000));
      const recorded = await firings();
      expect(recorded.length).toBeGreaterThanOrEqual(2);
      // One firing per occurrence: cron passes are claimed one at a time, 30 s apart, so firings of
      // consecutive minutes are tens of seconds apart; a second job for one occurrence would follow
      // its twin within seconds.
      const times = recorded.map((f) => f.firedAt.getTime()).sort((a, b) => a - b);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThan(20_000);

      const runs = await h.db.select().from(operationRuns).where(eq(operationRuns.scheduleId, schedule.id));
      const started = recorded.filter((f) => f.outcome === "started");
      expect(started.length).toBeGreaterThanOrEqual(1);
      expect(runs.map((r) => r.id).sort()).toEqual(started.map((f) => f.runId).sort());
      for (const run of runs) {
        expect(run).toMatchObject({ initiatorKind: "schedule", initiatorUserId: owner.id, tenantId });
      }
      // A firing that found the previous run still active joined it.
      for (const f of recorded.filter((f) => f.outcome === "joined")) expect(runs.map((r) => r.id)).toContain(f.runId);
    } finally {
      await deleteSchedule(deps, { actor: actor(owner), tenantId, scheduleId: schedule.id });
    }
  });
});
