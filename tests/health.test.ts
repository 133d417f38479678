import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/db/client";
import journal from "@/db/migrations/meta/_journal.json";
import { readiness } from "@/lib/health";
import { operations } from "@/lib/operations/registry";
import { databaseUrl, encryptionKey, openHarness } from "./support/harness";

/**
 * The web server's probes. The routes are plain functions: they are called with the environment a
 * server would have, pointed at a database that exists but was never migrated.
 */
let h: Awaited<ReturnType<typeof openHarness>>;
const types = Object.keys(operations);
const emptyName = `${new URL(databaseUrl).pathname.slice(1)}_unmigrated`;
const emptyUrl = Object.assign(new URL(databaseUrl), { pathname: `/${emptyName}` }).toString();

async function admin(statement: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  h = await openHarness();
  await admin(`drop database if exists "${emptyName}" with (force)`);
  await admin(`create database "${emptyName}"`);
  // The routes read their database from the environment, as in a server.
  process.env.DATABASE_URL = emptyUrl;
  process.env.ENCRYPTION_KEY = encryptionKey.toString("base64");
});
afterAll(async () => {
  await admin(`drop database if exists "${emptyName}" with (force)`);
  await h.close();
});

describe("health endpoints", () => {
  it("/api/health (and /ready) answer 503 on a database without migrations, naming what is missing", async () => {
    const health = await (await import("@/app/api/health/route")).GET();
    expect(health.status).toBe(503);
    const body = await health.json();
    expect(body).toMatchObject({ ok: false, status: "not_ready", checks: { database: { ok: true } } });
    expect(body.checks.migrations.ok).toBe(false);
    expect(body.checks.migrations.detail).toContain(`${journal.entries.length} pending`);
    expect(body.checks.queue).toMatchObject({ ok: false, detail: expect.stringContaining("pg-boss") });
    expect((await (await import("@/app/api/health/ready/route")).GET()).status).toBe(503);
  });

  it("/api/health/live answers 200 without touching the database", async () => {
    const response = (await import("@/app/api/health/live/route")).GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "live" });
  });

  it("ready when the database answers, every migration is applied and every queue exists", async () => {
    const result = await readiness(h.db, types);
    expect(result.ready).toBe(true);
    expect(result.checks.migrations.detail).toBe(`${journal.entries.length} applied`);
    expect(result.checks.queue.detail).toBe(`${types.length} queues`);
  });

  it("not ready, within seconds, when the database is unreachable", async () => {
    const unreachable = new URL(databaseUrl);
    unreachable.port = "1"; // nothing listens there
    const { db, pool } = createDb(unreachable.toString(), { max: 1 });
    const started = Date.now();
    const result = await readiness(db, types);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.ready).toBe(false);
    expect(result.checks.database).toMatchObject({ ok: false, detail: expect.stringMatching(/^unreachable \(\w+\)$/) });
    await pool.end();
  });

  it("names a queue that is missing", async () => {
    const result = await readiness(h.db, [...types, "no.such.queue"]);
    expect(result.ready).toBe(false);
    expect(result.checks.queue.detail).toBe("queues missing: no.such.queue");
  });
});
