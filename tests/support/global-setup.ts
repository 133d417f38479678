import path from "node:path";
import type { TestProject } from "vitest/node";
import { ensureDatabase, startEmbeddedPostgres } from "@/db/embedded";
import { startEmulator } from "@/emulator/server";
import { EMULATOR_SEED } from "./tenants";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    emulatorUrl: string;
    emulatorCaFile: string;
  }
}

/**
 * One real PostgreSQL (embedded unless DATABASE_URL names a server) with a fresh database per
 * test run, and one Graph emulator over HTTPS. Migrations are applied by the tests' harness.
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
  const database = `tenantatlas_test_${process.pid}`;
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  await dropDatabase(adminUrl, database);
  await ensureDatabase(adminUrl, database);

  const emulator = await startEmulator({ tlsDir: path.join(dataDir, "emulator"), seed: EMULATOR_SEED });
  project.provide("databaseUrl", url.toString());
  project.provide("emulatorUrl", emulator.url);
  project.provide("emulatorCaFile", emulator.caFile);

  return async () => {
    await emulator.stop();
    await dropDatabase(adminUrl, database).catch(() => {});
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
