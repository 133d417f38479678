import pg from "pg";
import { env } from "@/lib/env";

/** How long one answer stands: at most one probe a second per web server, healthy or not. */
const CACHE_MS = 1_000;
/** A database that does not accept a connection this fast is down as far as a page is concerned. */
const CONNECT_TIMEOUT_MS = 1_000;

type Probe = { at: number; reachable: boolean };

const globalForProbe = globalThis as unknown as {
  tenantAtlasProbe?: { pool: pg.Pool; last?: Probe; pending?: Promise<boolean> };
};

/**
 * Whether this process can reach PostgreSQL right now, answered from a probe at most a second old.
 * Its own one-connection pool, so a busy or broken application pool cannot make it lie or wait;
 * concurrent callers share one probe in flight.
 */
export function databaseReachable(): Promise<boolean> {
  const probe = (globalForProbe.tenantAtlasProbe ??= { pool: probePool() });
  if (probe.last && Date.now() - probe.last.at < CACHE_MS) return Promise.resolve(probe.last.reachable);
  probe.pending ??= probe.pool
    .query("select 1")
    .then(
      () => true,
      () => false,
    )
    .then((reachable) => {
      probe.last = { at: Date.now(), reachable };
      probe.pending = undefined;
      return reachable;
    });
  return probe.pending;
}

function probePool() {
  const pool = new pg.Pool({
    connectionString: env().DATABASE_URL,
    max: 1,
    application_name: "tenantatlas-probe",
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: CONNECT_TIMEOUT_MS,
  });
  // A lost connection is the probe's answer, not the process's end (see db/client.ts).
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  return pool;
}
