import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { sleep } from "@/lib/sleep";

/**
 * A tenant's budget of Intune writes, shared by every worker and process through one PostgreSQL
 * row (graph_write_budgets), so that together they stay under Intune's limit instead of meeting
 * 429s. Intune allows POST/PUT/PATCH/DELETE at 100 requests per 20 seconds per app per tenant (200
 * for all apps) in each of its services (learn.microsoft.com/graph/throttling-limits, "Intune
 * service limits"). A token bucket of `burst` tokens refilled at `perSecond` admits at most
 * burst + perSecond × 20 writes in any 20 seconds: the default admits 80, safely under 100.
 */
export type WriteBudgetRate = { perSecond: number; burst: number };
export const INTUNE_WRITE_RATE: WriteBudgetRate = { perSecond: 3.5, burst: 10 };

/** What a write waits on before it is sent: resolves when its slot comes, rejects when `signal` aborts. */
export type WriteGate = (signal?: AbortSignal) => Promise<void>;

/**
 * Reserves one write slot for `tenantId` and waits for it. One UPDATE (an upsert) refills the bucket
 * for the time since its last use, takes a token and returns the balance; a negative balance is a
 * reservation in the queue, due after -balance / perSecond seconds. The row lock orders callers.
 */
export function tenantWriteGate(db: Db, { tenantId, rate }: { tenantId: string; rate: WriteBudgetRate }): WriteGate {
  return async (signal) => {
    signal?.throwIfAborted();
    const result = await db.execute<{ tokens: number }>(sql`
      insert into graph_write_budgets as b (tenant_id, tokens, refilled_at)
      values (${tenantId}, ${rate.burst - 1}, clock_timestamp())
      on conflict (tenant_id) do update set
        tokens = least(
          ${rate.burst}::double precision,
          b.tokens + extract(epoch from clock_timestamp() - b.refilled_at) * ${rate.perSecond}
        ) - 1,
        refilled_at = clock_timestamp()
      returning tokens`);
    const tokens = Number(result.rows[0]!.tokens);
    if (tokens < 0) await sleep((-tokens / rate.perSecond) * 1000, signal);
  };
}

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Intune writes: what the budget counts (reads and other services pass freely). */
export function isIntuneWrite(method: string | undefined, url: string): boolean {
  return WRITE_METHODS.has((method ?? "GET").toUpperCase()) && new URL(url).pathname.includes("/deviceManagement/");
}

/**
 * Graph client middleware: each Intune write (each retry too, since it sits after the RetryHandler)
 * waits for the tenant's budget before it is sent.
 */
export class WriteBudgetHandler implements Middleware {
  #next?: Middleware;
  constructor(private readonly gate: WriteGate) {}

  async execute(context: Context): Promise<void> {
    const options = context.options as RequestInit | undefined;
    const url = typeof context.request === "string" ? context.request : context.request.url;
    const method = options?.method ?? (typeof context.request === "string" ? undefined : context.request.method);
    if (isIntuneWrite(method, url)) await this.gate(options?.signal ?? undefined);
    await this.#next!.execute(context);
  }

  setNext(next: Middleware) {
    this.#next = next;
  }
}
