import "server-only";
import { EventEmitter } from "node:events";
import pRetry from "p-retry";
import pg from "pg";
import { env } from "@/lib/env";
import { componentLog } from "@/lib/log";

const log = componentLog("live");

export type { RunChange } from "./scope";
export type NotificationChange = { userId: string };
/** What a person may see changed: a membership removed, sessions revoked (0051_live_access_changes.sql). */
export type AccessChange = { userId: string };

const CHANNELS = {
  tenantatlas_runs: "run",
  tenantatlas_notifications: "notification",
  tenantatlas_access: "access",
} as const;

/**
 * One LISTEN connection per server process, fanned out to every open browser stream. Events:
 * "run", "notification", "access" (a user's streams should end and be authorized anew), "connect"
 * (listening, again), "disconnect" (the streams should end; the browsers come back and poll meanwhile).
 *
 * A lost connection is reconnected with backoff (0.5 s doubling to 10 s) until it succeeds, however
 * long the database is away; `ready()` meanwhile fails fast, so `/api/live` answers 503 at once.
 */
export class LiveHub extends EventEmitter {
  #client: pg.Client | undefined;
  #reconnecting: Promise<void> | undefined;
  readonly #closed = new AbortController();

  constructor(private readonly connectionString: string) {
    super();
    this.setMaxListeners(0); // one set of listeners per open browser stream
  }

  get connected(): boolean {
    return this.#client !== undefined;
  }

  /** Resolves once listening; rejects if the database cannot be reached now (reconnecting goes on). */
  async ready(): Promise<void> {
    if (this.#client) return;
    if (this.#closed.signal.aborted) throw new Error("The live hub is closed.");
    if (!this.#reconnecting) {
      try {
        await this.#connect();
        return;
      } catch (err) {
        this.#reconnect();
        throw err;
      }
    }
    throw new Error("The live hub is reconnecting to the database.");
  }

  /** At shutdown: ends every open stream now (a server waits for open responses) and stops listening. */
  close() {
    if (this.#closed.signal.aborted) return;
    this.#closed.abort();
    const client = this.#client;
    this.#client = undefined;
    this.emit("disconnect");
    client?.end().catch(() => {});
  }

  #reconnect() {
    this.#reconnecting ??= pRetry(() => this.#connect(), {
      retries: Number.POSITIVE_INFINITY,
      minTimeout: 500,
      maxTimeout: 10_000,
      signal: this.#closed.signal,
      unref: true,
      onFailedAttempt: ({ error, attemptNumber }) => {
        if (attemptNumber === 1 || attemptNumber % 10 === 0)
          log.warn({ attempt: attemptNumber, err: error.message }, "reconnect failed");
      },
    })
      .catch(() => {}) // only a close ends the retries
      .finally(() => (this.#reconnecting = undefined));
  }

  async #connect() {
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: "tenantatlas-live",
      connectionTimeoutMillis: 3_000,
    });
    const lost = (err?: Error) => {
      if (this.#client !== client) return;
      this.#client = undefined;
      log.warn({ err: err?.message ?? "connection ended" }, "listener lost; reconnecting");
      client.end().catch(() => {});
      this.emit("disconnect");
      this.#reconnect();
    };
    client.on("error", lost);
    client.on("end", () => lost());
    client.on("notification", (msg) => {
      const event = CHANNELS[msg.channel as keyof typeof CHANNELS];
      if (!event || !msg.payload) return;
      try {
        this.emit(event, JSON.parse(msg.payload));
      } catch {
        // a malformed payload is dropped; the next change brings fresh state
      }
    });
    try {
      await client.connect();
      for (const channel of Object.keys(CHANNELS)) await client.query(`LISTEN ${channel}`);
    } catch (err) {
      client.end().catch(() => {});
      throw err;
    }
    if (this.#closed.signal.aborted || this.#client) {
      await client.end(); // closed meanwhile, or another connect won
      return;
    }
    this.#client = client;
    this.emit("connect");
  }
}

const globalForHub = globalThis as unknown as { tenantAtlasLiveHub?: LiveHub };

/**
 * The process's hub. On SIGTERM or SIGINT it ends the open streams at once: the server stops by
 * waiting for open responses, and an event stream never ends by itself (a stop took 30 s, until
 * `npm start` killed it). Next.js's own handler for the signal still runs and does the rest.
 */
export function liveHub(): LiveHub {
  if (!globalForHub.tenantAtlasLiveHub) {
    const hub = new LiveHub(env().DATABASE_URL);
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => hub.close());
    globalForHub.tenantAtlasLiveHub = hub;
  }
  return globalForHub.tenantAtlasLiveHub;
}
