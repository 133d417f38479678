import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "@/db/client";
import { ensureDatabase } from "@/db/embedded";
import { DEMO_EMAIL } from "@/db/seed";
import { parseStartEnv } from "@/lib/env";
import { startBanner } from "@/scripts/banner";
import { prepareStack, type Stack } from "@/scripts/stack";
import { databaseUrl, emulatorUrl } from "./support/harness";

/**
 * `npm start`'s preparation (scripts/stack.ts) against a database the user supplied, and against
 * its own embedded one: the demo operator is seeded and printed only into the latter, or when asked.
 */
const dataDirs: string[] = [];
const stacks: Stack[] = [];
const databases: string[] = [];
const admin = new URL(databaseUrl);
admin.pathname = "/postgres";

afterAll(async () => {
  for (const stack of stacks) await stack.stop();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  const { pool } = createDb(admin.toString(), { max: 1 });
  for (const database of databases) await pool.query(`drop database if exists "${database}" with (force)`);
  await pool.end();
});

/** A new, empty database on the test server, as a user would supply it. */
async function suppliedDatabase(name: string) {
  const database = `tenantatlas_${name}_${process.pid}`;
  databases.push(database);
  await ensureDatabase(admin.toString(), database);
  const url = new URL(databaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function prepare(env: Record<string, string>) {
  // Under the checkout, so that an embedded PostgreSQL run as another user (when root) can reach it.
  const dataDir = mkdtempSync(path.resolve(".data", "test-demo-seed-"));
  chmodSync(dataDir, 0o755);
  dataDirs.push(dataDir);
  // A real Graph URL is given, so that no emulator is started: the demo tenants are not the point here.
  const stack = await prepareStack({ dataDir, port: 3999, given: parseStartEnv({ GRAPH_URL: emulatorUrl, ...env }) });
  stacks.push(stack);
  return stack;
}

async function userEmails(url: string) {
  const { db, pool } = createDb(url, { max: 1 });
  try {
    const rows = await db.execute<{ email: string }>(sql`select email from users`);
    return rows.rows.map((r) => r.email);
  } finally {
    await pool.end();
  }
}

describe("the demo operator", () => {
  it("is neither seeded nor printed into a database the user supplied", async () => {
    const url = await suppliedDatabase("supplied");
    const stack = await prepare({ DATABASE_URL: url });
    expect(stack.demo).toBeNull();
    expect(await userEmails(url)).toEqual([]);
    const banner = startBanner({ url: "http://localhost:3999", demo: stack.demo });
    expect(banner).not.toContain(DEMO_EMAIL);
    expect(banner).not.toMatch(/password/i);
    expect(banner).toMatch(/SEED_DEMO=1/);
  });

  it("is seeded into a supplied database when SEED_DEMO=1 asks for it", async () => {
    const url = await suppliedDatabase("asked");
    const stack = await prepare({ DATABASE_URL: url, SEED_DEMO: "1", DEMO_PASSWORD: "asked-for-demo" });
    expect(stack.demo).toEqual({ email: DEMO_EMAIL, password: "asked-for-demo", seededNow: true });
    expect(await userEmails(url)).toEqual([DEMO_EMAIL]);
  });

  it("is seeded and printed when npm start runs its own embedded database", async () => {
    const stack = await prepare({ DEMO_PASSWORD: "embedded-demo" });
    expect(stack.demo).toMatchObject({ email: DEMO_EMAIL, password: "embedded-demo", seededNow: true });
    expect(await userEmails(stack.env.DATABASE_URL!)).toEqual([DEMO_EMAIL]);
    expect(startBanner({ url: "http://localhost:3999", demo: stack.demo })).toContain(
      `Sign in as ${DEMO_EMAIL} with password embedded-demo`,
    );
  });
});
