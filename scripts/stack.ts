import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createDb } from "@/db/client";
import { ensureDatabase, type RunningPostgres, startEmbeddedPostgres } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";
import { DEMO_EMAIL, seedDemo } from "@/db/seed";
import { buildDirectory } from "@/emulator/directory";
import { type RunningEmulator, startEmulator } from "@/emulator/server";
import { type StartEnv, startEnv } from "@/lib/env";
import { operations } from "@/lib/operations/registry";
import { demoSeedWanted } from "./demo-seed";

/**
 * Everything the web server and worker need before they start: a database (embedded when
 * DATABASE_URL is unset), migrations, keys, the Graph emulator (when no real Graph is configured)
 * and the demo seed. Returns the environment to start them with.
 */
export type Stack = {
  env: Record<string, string>;
  demo: { email: string; password: string | null; seededNow: boolean } | null;
  emulator?: RunningEmulator;
  stop(): Promise<void>;
};

type LocalSecrets = { encryptionKey: string; nextauthSecret: string; demoPassword: string };

const secretsFile = (dataDir: string) => path.join(dataDir, "secrets.json");

function loadOrCreateSecrets(dataDir: string): LocalSecrets {
  const file = secretsFile(dataDir);
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as LocalSecrets;
  const secrets: LocalSecrets = {
    encryptionKey: randomBytes(32).toString("base64"),
    nextauthSecret: randomBytes(32).toString("base64url"),
    demoPassword: randomBytes(12).toString("base64url"),
  };
  saveSecrets(dataDir, secrets);
  return secrets;
}

function saveSecrets(dataDir: string, secrets: LocalSecrets) {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(secretsFile(dataDir), JSON.stringify(secrets, null, 2), { mode: 0o600 });
}

/** `given`: the parsed environment (default: this process's). */
export async function prepareStack(options: { dataDir: string; port: number; given?: StartEnv }): Promise<Stack> {
  const { dataDir, given = startEnv() } = options;
  const secrets = loadOrCreateSecrets(dataDir);
  const stops: (() => Promise<void>)[] = [];

  let databaseUrl = given.DATABASE_URL;
  let postgres: RunningPostgres | undefined;
  if (!databaseUrl) {
    postgres = await startEmbeddedPostgres(path.join(dataDir, "postgres"));
    stops.push(() => postgres!.stop());
    await ensureDatabase(postgres.url("postgres"), "tenantatlas");
    databaseUrl = postgres.url("tenantatlas");
  }
  await migrateDatabase(databaseUrl, operations);

  const graphEnv: Record<string, string> = {};
  let emulator: RunningEmulator | undefined;
  const seed = given.EMULATOR_SEED;
  if (!given.GRAPH_URL) {
    emulator = await startEmulator({
      tlsDir: path.join(dataDir, "emulator"),
      seed,
      port: given.EMULATOR_PORT,
    });
    stops.push(() => emulator!.stop());
    Object.assign(graphEnv, { GRAPH_URL: emulator.url, LOGIN_URL: emulator.url, GRAPH_CA_FILE: emulator.caFile });
    // "Sign in with Microsoft" against the emulated demo tenant, with the console's demo app. The web
    // server's OpenID client trusts the emulator's CA through NODE_EXTRA_CA_CERTS.
    const demo = buildDirectory(seed)[0]!;
    if (!given.MICROSOFT_CLIENT_ID) {
      Object.assign(graphEnv, {
        MICROSOFT_CLIENT_ID: demo.apps[0]!.clientId,
        MICROSOFT_CLIENT_SECRET: demo.apps[0]!.clientSecret,
        MICROSOFT_TENANT_ID: demo.tenantId,
        MICROSOFT_WELL_KNOWN: `${emulator.url}/${demo.tenantId}/v2.0/.well-known/openid-configuration`,
        NODE_EXTRA_CA_CERTS: emulator.caFile,
        // The emulated demo organisation's people may try the console with a new account.
        ALLOWED_ENTRA_TENANT_IDS: given.ALLOWED_ENTRA_TENANT_IDS ?? demo.tenantId,
      });
    }
  }

  const encryptionKey = given.ENCRYPTION_KEY ?? secrets.encryptionKey;
  let demo: Stack["demo"] = null;
  if (demoSeedWanted(given)) {
    const { db, pool } = createDb(databaseUrl, { max: 2 });
    const result = await seedDemo(db, {
      password: given.DEMO_PASSWORD ?? secrets.demoPassword,
      encryptionKey: Buffer.from(encryptionKey, "base64"),
      tenants: emulator ? buildDirectory(seed).slice(0, 2) : [],
    }).finally(() => pool.end());
    // Remember the password the demo account was seeded with, to print it on every later start.
    if (result.seeded && given.DEMO_PASSWORD && given.DEMO_PASSWORD !== secrets.demoPassword) {
      saveSecrets(dataDir, { ...secrets, demoPassword: given.DEMO_PASSWORD });
    }
    const password = result.seeded ? (given.DEMO_PASSWORD ?? secrets.demoPassword) : secrets.demoPassword;
    demo = { email: DEMO_EMAIL, password, seededNow: result.seeded };
  }

  return {
    env: {
      DATABASE_URL: databaseUrl,
      ENCRYPTION_KEY: encryptionKey,
      NEXTAUTH_SECRET: given.NEXTAUTH_SECRET ?? secrets.nextauthSecret,
      NEXTAUTH_URL: given.NEXTAUTH_URL ?? `http://localhost:${options.port}`,
      ...graphEnv,
    },
    demo,
    emulator,
    async stop() {
      for (const stop of stops.reverse()) await stop().catch((err) => console.error("[stop]", err));
    },
  };
}
