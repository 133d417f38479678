import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completeRun, markRunning } from "@/lib/operations/runs";
import { startOperation } from "@/lib/operations/start";
import { actor, createTestTenant, createUser, databaseUrl, openHarness } from "./support/harness";

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
});
