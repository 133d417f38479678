import "server-only";
import { EventEmitter } from "node:events";
import pg from "pg";
import { env } from "@/lib/env";
import { componentLog } from "@/lib/log";

const log = componentLog("live");

export type RunChange = { op: "insert" | "update"; id: string; tenantId: string; status: string; outcome: string };
export type NotificationChange = { userId: string };

const CHANNELS = { tenantatlas_runs: "run", tenantatlas_notifications: "notification" } as const;

/**
 * One LISTEN connection per server process, fanned out to every open browser stream. Reconnects
 * with backoff when the connection drops; browsers fall back to polling meanwhile.
 */
class LiveHub extends EventEmitter {
  #client: pg.Client | undefined;
  #connecting: Promise<void> | undefined;
  #retryMs = 500;

  constructor(private readonly connectionString: string) {
    super();
    this.setMaxListeners(0); // one pair of listeners per open browser stream
  }

  ready(): Promise<void> {
    if (this.#client) return Promise.resolve();
    this.#connecting ??= this.#connect().finally(() => (this.#connecting = undefined));
    return this.#connecting;
  }

  async #connect() {
    const client = new pg.Client({ connectionString: this.connectionString, application_name: "tenantatlas-live" });
    client.on("notification", (msg) => {
      const event = CHANNELS[msg.channel as keyof typeof CHANNELS];
      if (!event || !msg.payload) return;
      try {
        this.emit(event, JSON.parse(msg.payload));
      } catch {
        // a malformed payload is dropped; the next change brings fresh state
      }
    });
    const lost = (err?: Error) => {
      if (this.#client !== client) return;
      this.#client = undefined;
      log.warn({ err: err?.message ?? "connection ended" }, "listener lost; reconnecting");
      client.end().catch(() => {});
      this.emit("disconnect");
      setTimeout(() => void this.ready().catch(() => {}), this.#retryMs).unref();
      this.#retryMs = Math.min(this.#retryMs * 2, 10_000);
    };
    client.on("error", lost);
    client.on("end", () => lost());
    await client.connect();
    for (const channel of Object.keys(CHANNELS)) await client.query(`LISTEN ${channel}`);
    this.#client = client;
    this.#retryMs = 500;
  }
}

const globalForHub = globalThis as unknown as { tenantAtlasLiveHub?: LiveHub };

export function liveHub(): LiveHub {
  globalForHub.tenantAtlasLiveHub ??= new LiveHub(env().DATABASE_URL);
  return globalForHub.tenantAtlasLiveHub;
}
