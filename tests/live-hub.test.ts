import { once } from "node:events";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LiveHub, type RunChange } from "@/lib/live/hub";
import { startOwnPostgres } from "./support/own-postgres";

// The live hub's LISTEN connection across a real PostgreSQL outage longer than a few of its
// reconnect attempts: it must come back by itself, however many attempts fail meanwhile.
const DOWN_MS = 12_000;

let postgres: Awaited<ReturnType<typeof startOwnPostgres>>;
let hub: LiveHub;
beforeAll(async () => {
  postgres = await startOwnPostgres("live-hub");
  hub = new LiveHub(postgres.url);
}, 120_000);
afterAll(async () => {
  hub?.close();
  await postgres?.close();
});

async function notifyRun(change: RunChange) {
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  try {
    await client.query("select pg_notify('tenantatlas_runs', $1)", [JSON.stringify(change)]);
  } finally {
    await client.end();
  }
}

const change: RunChange = {
  op: "update",
  id: "r1",
  tenantId: "t1",
  status: "completed",
  outcome: "succeeded",
  type: "inventory.sync",
  initiatorKind: "user",
  initiatorUserId: null,
  progress: false,
};

describe("the live hub", () => {
  it("reconnects with backoff after a PostgreSQL outage, refusing streams fast meanwhile", async () => {
    await hub.ready();
    const disconnected = once(hub, "disconnect");
    await postgres.stop();
    await disconnected;

    // While the database is away, a stream is refused at once (the route answers 503).
    const refusedAt = Date.now();
    await expect(hub.ready()).rejects.toThrow();
    expect(Date.now() - refusedAt).toBeLessThan(5_000);

    await new Promise((r) => setTimeout(r, DOWN_MS));
    await postgres.start();
    const backAt = Date.now();
    // Nobody calls ready() now: the hub must come back by itself. Backoff tops out at 10 s.
    while (!hub.connected && Date.now() - backAt < 15_000) await new Promise((r) => setTimeout(r, 100));
    expect(hub.connected).toBe(true);

    const received = once(hub, "run");
    await notifyRun(change);
    expect((await received)[0]).toEqual(change);
  }, 90_000);

  it("ends every open stream at once when closed (shutdown)", async () => {
    await hub.ready();
    const disconnected = once(hub, "disconnect");
    hub.close();
    await disconnected;
    expect(hub.connected).toBe(false);
    await expect(hub.ready()).rejects.toThrow(/closed/);
  });
});
