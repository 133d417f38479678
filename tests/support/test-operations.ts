import { sql } from "drizzle-orm";
import { z } from "zod";
import { OperationError } from "@/lib/operations/errors";
import { defineOperation, type OperationDefinition, operations } from "@/lib/operations/registry";
import { handlers } from "@/workers/handlers";
import type { OperationHandler } from "@/workers/types";

/**
 * Operation types that exist only in tests, declared exactly like the product's: a definition
 * (registry entry) and a handler. They exercise every outcome through the real lifecycle.
 */
const keyed = z.object({
  key: z.string().default("k"),
  failAttempts: z.number().int().min(0).default(0),
  waitMs: z.number().int().min(0).default(0),
  /** test.wait waits only on attempts up to this one (a retry after a lost attempt then finishes). */
  waitAttempts: z.number().int().min(0).default(1_000),
  /** test.wait stops waiting once the run was handed back (a stopping worker's run finishes on the next). */
  resumeAfterHandBack: z.boolean().default(false),
});
const fast = { retryLimit: 2, retryDelay: 0, retryBackoff: false, expireInSeconds: 30 };

const definitions = {
  "test.noop": defineOperation({
    label: "No-op",
    inputSchema: keyed,
    identity: (i) => ({ key: i.key }),
    queue: fast,
    minRole: "operator",
    schedulable: true,
  }),
  "test.partial": defineOperation({
    label: "Partial",
    inputSchema: keyed,
    identity: (i) => ({ key: i.key }),
    queue: fast,
    minRole: "operator",
  }),
  "test.flaky": defineOperation({
    label: "Flaky",
    inputSchema: keyed,
    identity: (i) => ({ key: i.key }),
    queue: fast,
    minRole: "operator",
  }),
  "test.fatal": defineOperation({
    label: "Fatal",
    inputSchema: keyed,
    identity: (i) => ({ key: i.key }),
    queue: fast,
    minRole: "operator",
    schedulable: true,
  }),
  "test.wait": defineOperation({
    label: "Wait",
    inputSchema: keyed,
    identity: (i) => ({ key: i.key }),
    // Long work may take an hour, like inventory.sync: only heartbeats notice a dead worker sooner.
    queue: { ...fast, expireInSeconds: 3600 },
    minRole: "operator",
    schedulable: true,
  }),
  "test.wait-once": defineOperation({
    label: "Wait, no retry",
    inputSchema: keyed,
    identity: (i) => ({ key: i.key }),
    queue: { ...fast, retryLimit: 0, expireInSeconds: 3600 },
    minRole: "operator",
  }),
  // Fails on a query the database refuses: the driver's error quotes the SQL and a bound secret.
  "test.leaky": defineOperation({
    label: "Leaky",
    inputSchema: keyed,
    identity: (i) => ({ key: i.key }),
    queue: { ...fast, retryLimit: 0 },
    minRole: "operator",
  }),
  // Reports progress 200 times over about two seconds, as a sync reports each item.
  "test.progress": defineOperation({
    label: "Progress",
    inputSchema: keyed,
    identity: (i) => ({ key: i.key }),
    queue: fast,
    minRole: "operator",
  }),
  // Declared but its queue is never created: sending to it fails, which is how dispatch fails.
  "test.unqueued": defineOperation({
    label: "Unqueued",
    inputSchema: keyed,
    identity: (i) => ({ key: i.key }),
    queue: fast,
    minRole: "operator",
  }),
} satisfies Record<string, OperationDefinition>;

export const testRegistry: Record<string, OperationDefinition> = { ...operations, ...definitions };
export const queuedRegistry: Record<string, OperationDefinition> = Object.fromEntries(
  Object.entries(testRegistry).filter(([type]) => type !== "test.unqueued"),
);

type Inputs = z.infer<typeof keyed>;

const waitHandler: OperationHandler = async (ctx) => {
  const inputs = ctx.inputs as Inputs;
  await ctx.progress({ total: 1, processed: 0 });
  const handedBack = ctx.run.attemptErrors.some((e) => e.handedBack);
  if (ctx.run.attempt <= inputs.waitAttempts && !(inputs.resumeAfterHandBack && handedBack))
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, inputs.waitMs);
      ctx.signal.addEventListener("abort", () => (clearTimeout(timer), reject(ctx.signal.reason)), { once: true });
    });
  await ctx.progress({ processed: 1 });
};

/** The bound value test.leaky's failing query carries: it must reach the log, never the run. */
export const LEAKED_SECRET = "sk_live_9fT3qLeakedBoundValue";

export const testHandlers: Record<string, OperationHandler> = {
  ...handlers,
  "test.noop": async (ctx) => {
    await ctx.progress({ total: 1, processed: 1, succeeded: 1 });
  },
  "test.partial": async (ctx) => {
    await ctx.progress({ total: 3, processed: 0 });
    await ctx.progress({ processed: 1, succeeded: 1 });
    await ctx.addFailure({ code: "item_rejected", message: "Graph refused this item.", item: "policy-b" });
    await ctx.progress({ processed: 3, succeeded: 2, failed: 1 });
  },
  "test.flaky": async (ctx) => {
    const inputs = ctx.inputs as Inputs;
    if (ctx.run.attempt <= inputs.failAttempts) throw new Error(`transient trouble on attempt ${ctx.run.attempt}`);
    await ctx.progress({ total: 1, processed: 1 });
  },
  "test.wait": waitHandler,
  "test.wait-once": waitHandler,
  "test.progress": async (ctx) => {
    for (let processed = 1; processed <= 200; processed++) {
      await ctx.progress({ total: 200, processed });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  },
  "test.leaky": async (ctx) => {
    await ctx.db.execute(sql`select ${LEAKED_SECRET}::int as "clientSecret"`);
  },
  "test.fatal": async () => {
    throw new OperationError("bad_configuration", "The tenant is not set up for this.");
  },
};
