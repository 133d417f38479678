import path from "node:path";
import type { TestProject } from "vitest/node";
import { ensureDatabase, startEmbeddedPostgres } from "@/db/embedded";
import { startEmulator } from "@/emulator/server";
import type { Lane } from "./lanes";
import { EMULATOR_SEED } from "./tenants";

declare module "vitest" {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    lanes: Lane[];
    /** The first key of this run's lane leases (its databases are named after the same pid). */
    laneLockKey: number;
  }
}

/**
 * One real PostgreSQL (embedded unless DATABASE_URL names a server) and, per lane, a fresh
 * database and a Graph emulator over HTTPS. Migrations are applied by the tests' harness.
 */
export default async function setup(project: TestProject) {
  const dataDir = path.resolve(".data", "test");
  let adminUrl = process.env.DATABASE_URL;
  let stopPostgres: (() => Promise<void>) | undefined;
  if (!adminUrl) {
    const pg = await startEmbeddedPostgres(path.join(dataDir, "postgres"));
    adminUrl = pg.url("postgres");
    stopPostgres = pg.stop;
  }
  // As many lanes as files run at once (TEST_LANES in vitest.config.ts).
  const databases = Array.from(
    { length: Math.max(1, project.config.maxWorkers) },
    (_, i) => `tenantatlas_test_${process.pid}_${i + 1}`,
  );
  const emulators: { stop(): Promise<void> }[] = [];
  const lanes: Lane[] = [];
  for (const database of databases) {
    await dropDatabase(adminUrl, database);
    await ensureDatabase(adminUrl, database);
    // One after the other: the first creates the TLS files the others load.
    const emulator = await startEmulator({ tlsDir: path.join(dataDir, "emulator"), seed: EMULATOR_SEED });
    emulators.push(emulator);
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    lanes.push({ databaseUrl: url.toString(), emulatorUrl: emulator.url, emulatorCaFile: emulator.caFile });
  }
  project.provide("adminDatabaseUrl", adminUrl);
  project.provide("lanes", lanes);
  project.provide("laneLockKey", process.pid);

  return async () => {
    for (const emulator of emulators) await emulator.stop();
    for (const database of databases) await dropDatabase(adminUrl, database).catch(() => {});
    await stopPostgres?.();
  };
}

async function dropDatabase(adminUrl: string, database: string) {
  const { Client } = (await import("pg")).default;
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists "${database}" with (force)`);
  } finally {
    await client.end();
  }
}
