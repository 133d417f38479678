import pg from "pg";
import { inject } from "vitest";

/**
 * Integration files run side by side, each on a lane of its own: a database (so its pg-boss queues
 * and in-process workers see only its jobs) and a Graph emulator (so its faults, request counters
 * and clock reach only its requests). The global setup prepares TEST_LANES lanes; a file leases one
 * with a PostgreSQL advisory lock held by a connection that lives as long as the file's process,
 * so two files never share a lane, whatever the test runner's pool does.
 */
export type Lane = { databaseUrl: string; emulatorUrl: string; emulatorCaFile: string };

/** The lane of this process: a process runs one file at a time, and keeps its lease for the next one. */
export function leaseLane(): Promise<Lane> {
  const holder = globalThis as { tenantatlasLane?: Promise<Lane> };
  holder.tenantatlasLane ??= lease();
  return holder.tenantatlasLane;
}

async function lease(): Promise<Lane> {
  const lanes = inject("lanes");
  const client = new pg.Client({
    connectionString: inject("adminDatabaseUrl"),
    application_name: "tenantatlas-test-lane",
  });
  await client.connect();
  // Held until this process exits; the lease ends with the connection.
  client.on("error", () => {});
  for (;;) {
    for (const [index, lane] of lanes.entries()) {
      // Keyed by this test run too: two runs on one server (DATABASE_URL) never wait for each other.
      const { rows } = await client.query<{ leased: boolean }>("select pg_try_advisory_lock($1, $2) as leased", [
        inject("laneLockKey"),
        index,
      ]);
      if (rows[0]!.leased) return lane;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
