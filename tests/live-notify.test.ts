import { and, eq, sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenantMemberships, users } from "@/db/schema";
import { cancelRun } from "@/lib/operations/control";
import { appendFailures, completeRun, markRunning, recordProgress } from "@/lib/operations/runs";
import { startOperation } from "@/lib/operations/start";
import { actor, addMember, createTestTenant, createUser, databaseUrl, openHarness } from "./support/harness";

let h: Awaited<ReturnType<typeof openHarness>>;
let listener: pg.Client;
const events: { channel: string; payload: Record<string, unknown> }[] = [];

beforeAll(async () => {
  h = await openHarness();
  listener = new pg.Client({ connectionString: databaseUrl });
  await listener.connect();
  listener.on("notification", (m) => events.push({ channel: m.channel, payload: JSON.parse(m.payload ?? "{}") }));
  await listener.query("LISTEN tenantatlas_runs");
  await listener.query("LISTEN tenantatlas_notifications");
  await listener.query("LISTEN tenantatlas_access");
});
afterAll(async () => {
  await listener.end();
  await h.close();
});

async function eventually<T>(read: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("no event arrived");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("change announcements for live updates", () => {
  it("announces every run change and every notification, at commit", async () => {
    const owner = await createUser(h.db);
    const tenant = await createTestTenant(h.db, owner.id);
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId: tenant.id,
      type: "test.unqueued",
      inputs: { key: "live" },
    });
    // Dispatch failed: inserted, then completed, in one transaction; both announced at commit.
    const ofRun = () =>
      events.filter((e) => e.channel === "tenantatlas_runs" && e.payload.id === run.id).map((e) => e.payload);
    await eventually(() => (ofRun().length >= 2 ? true : undefined));
    expect(ofRun()[0]).toMatchObject({ op: "insert", tenantId: tenant.id, status: "queued" });
    expect(ofRun().at(-1)).toMatchObject({ op: "update", status: "completed", outcome: "failed" });
    await eventually(() =>
      events.find((e) => e.channel === "tenantatlas_notifications" && e.payload.userId === owner.id),
    );

    const { run: second } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId: tenant.id,
      type: "test.noop",
      inputs: { key: "live-2" },
    });
    await markRunning(h.db, { runId: second.id, attempt: 1 });
    await eventually(() => events.find((e) => e.payload.id === second.id && e.payload.status === "running"));
    await completeRun(h.db, { runId: second.id, outcome: "succeeded" });
    await eventually(() => events.find((e) => e.payload.id === second.id && e.payload.outcome === "succeeded"));
  });

  it("tells a run's progress with its counts, failure count and cancel request — never the failures' text", async () => {
    const owner = await createUser(h.db);
    const tenant = await createTestTenant(h.db, owner.id);
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId: tenant.id,
      type: "test.noop",
      inputs: { key: "live-progress" },
    });
    const ref = { runId: run.id, attempt: 1 };
    const ofRun = () => events.filter((e) => e.payload.id === run.id).map((e) => e.payload);
    // The start's own announcements first (its insert, and its job's id), then one write at a time.
    await eventually(() => ofRun().find((e) => e.op === "insert"));
    await new Promise((r) => setTimeout(r, 300));
    const next = async (write: () => Promise<unknown>) => {
      const before = ofRun().length;
      await write();
      return eventually(() => ofRun()[before]);
    };

    // A status change carries no counts: every page that shows it refreshes anyway.
    const running = await next(() => markRunning(h.db, ref));
    expect(running).toMatchObject({ status: "running", progress: false });
    expect(running).not.toHaveProperty("counts");

    const clockBefore = (
      await h.db.execute<{ ms: string }>(sql`select floor(extract(epoch from now()) * 1000)::text as ms`)
    ).rows[0]!.ms;
    const progressed = await next(() => recordProgress(h.db, ref, { total: 3, processed: 1 }));
    expect(progressed).toMatchObject({
      status: "running",
      progress: true,
      counts: { total: 3, processed: 1 },
      failureCount: 0,
      cancelRequested: false,
    });
    // When it was announced, on the database's clock (the run page orders it against its render).
    expect(progressed.at).toBeGreaterThanOrEqual(Number(clockBefore));
    expect(progressed.at).toBeLessThan(Number(clockBefore) + 60_000);
    const failed = await next(() =>
      appendFailures(h.db, ref, [{ code: "graph_error", message: "Forbidden for Policy Zebra", item: "Policy Zebra" }]),
    );
    expect(failed).toMatchObject({ progress: true, counts: { total: 3, processed: 1 }, failureCount: 1 });
    expect(JSON.stringify(failed)).not.toContain("Zebra");
    expect(
      await next(() => cancelRun(h.deps, { actor: actor(owner), tenantId: tenant.id, runId: run.id })),
    ).toMatchObject({ status: "running", progress: true, failureCount: 1, cancelRequested: true });

    // NOTIFY refuses 8000 bytes: counts too long to announce are left out (the page refreshes), and
    // the write still succeeds.
    const long = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`a-rather-long-counter-name-${i}`, i]));
    const withoutCounts = await next(() => recordProgress(h.db, ref, long));
    expect(withoutCounts).toMatchObject({ status: "running", progress: true });
    expect(withoutCounts).not.toHaveProperty("counts");
    const stored = await h.db.execute<{ n: number }>(
      sql`select count(*)::int as n from operation_runs, jsonb_object_keys(summary_counts) where id = ${run.id}`,
    );
    expect(stored.rows[0]!.n).toBe(402);

    const completed = await next(() => completeRun(h.db, { runId: run.id, outcome: "cancelled" }));
    expect(completed).toMatchObject({ status: "completed", outcome: "cancelled", progress: false });
    expect(completed).not.toHaveProperty("counts");
  });

  it("announces nothing for a transaction that rolls back", async () => {
    const owner = await createUser(h.db);
    const tenant = await createTestTenant(h.db, owner.id);
    const before = events.length;
    await h.db
      .transaction(async (tx) => {
        await startOperation(
          { ...h.deps, db: tx as unknown as typeof h.db },
          { actor: actor(owner), tenantId: tenant.id, type: "test.noop", inputs: {} },
        );
        throw new Error("roll back");
      })
      .catch(() => {});
    await new Promise((r) => setTimeout(r, 300));
    expect(events.slice(before).filter((e) => e.payload.tenantId === tenant.id)).toEqual([]);
  });

  it("announces a change of what a person may see: a membership removed, sessions revoked — not a rename or a role", async () => {
    const owner = await createUser(h.db);
    const member = await createUser(h.db);
    const tenant = await createTestTenant(h.db, owner.id);
    await addMember(h.db, { userId: member.id, tenantId: tenant.id, role: "operator" });
    const forUser = (id: string) =>
      events.filter((e) => e.channel === "tenantatlas_access" && e.payload.userId === id).length;

    const membership = and(eq(tenantMemberships.tenantId, tenant.id), eq(tenantMemberships.userId, member.id));
    await h.db.update(tenantMemberships).set({ role: "viewer" }).where(membership);
    await h.db.update(users).set({ name: "Renamed" }).where(eq(users.id, member.id));
    await h.db.delete(tenantMemberships).where(membership);
    await eventually(() => (forUser(member.id) === 1 ? true : undefined));

    await h.db
      .update(users)
      .set({ sessionEpoch: sql`${users.sessionEpoch} + 1` })
      .where(eq(users.id, owner.id));
    await eventually(() => (forUser(owner.id) === 1 ? true : undefined));
    await new Promise((r) => setTimeout(r, 200));
    expect([forUser(member.id), forUser(owner.id)]).toEqual([1, 1]);
  });
});
