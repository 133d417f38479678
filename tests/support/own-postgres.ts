import { rmSync } from "node:fs";
import path from "node:path";
import { ensureDatabase, freePort, type RunningPostgres, startEmbeddedPostgres } from "@/db/embedded";

/**
 * A PostgreSQL of a test file's own, for tests that stop it: the shared one of the global setup
 * stays up for the other files. Fresh data directory per run; restarted on the same port, so every
 * client's connection string stays valid across the outage, as with a real server restart.
 */
export async function startOwnPostgres(name: string) {
  const dataDir = path.resolve(".data", `test-${name}`, "postgres");
  rmSync(path.dirname(dataDir), { recursive: true, force: true });
  const port = await freePort();
  let server: RunningPostgres | undefined = await startEmbeddedPostgres(dataDir, port);
  const adminUrl = server.url("postgres");
  await ensureDatabase(adminUrl, "tenantatlas");
  const url = server.url("tenantatlas");

  return {
    url,
    /** A fast shutdown (what `pg_ctl stop -m fast` does): every session is ended, the server exits. */
    async stop() {
      await server?.stop();
      server = undefined;
    },
    async start() {
      server ??= await startEmbeddedPostgres(dataDir, port);
    },
    async close() {
      await server?.stop();
      server = undefined;
      rmSync(path.dirname(dataDir), { recursive: true, force: true });
    },
  };
}
