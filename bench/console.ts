import { readFileSync } from "node:fs";
import path from "node:path";
import { createDb } from "@/db/client";
import { users } from "@/db/schema";
import { type ManagedProcess, startManagedProcess } from "@/e2e/support/managed-process";
import { createAppGraphClient } from "@/lib/graph/client";
import { createBoss } from "@/lib/operations/queue";
import { operations } from "@/lib/operations/registry";
import { createTenant } from "@/lib/tenants/service";
import { WORKER_NODE_FLAGS } from "@/workers/node-flags";
import { freshDatabase, startBenchEmulator, timedOperation } from "./setup";

/** A process's resident set size now, in bytes (Linux: /proc/<pid>/status). */
export function residentBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return kb ? Number(kb[1]) * 1024 : 0;
}

/**
 * The product's worker (`workers/main.ts`) in a process of its own, against the bench's database and
 * emulator: tsx as a loader, not its CLI (which would run the worker in a child of its own), so the
 * pid measured is the worker's.
 */
export function startBenchWorker(options: {
  name: string;
  databaseUrl: string;
  encryptionKey: Buffer;
  emulator: { url: string; caFile: string };
  concurrency: number;
  logFile: string;
}): ManagedProcess {
  const { url, caFile } = options.emulator;
  return startManagedProcess({
    name: options.name,
    command: process.execPath,
    // The worker's own flags (workers/node-flags.ts); BENCH_WORKER_FLAGS, when set, replaces them
    // ("" for none), to measure a flag's memory and throughput beside another (docs/benchmarks.md).
    args: [
      ...(process.env.BENCH_WORKER_FLAGS?.split(" ").filter(Boolean) ?? WORKER_NODE_FLAGS),
      "--import",
      "tsx",
      "--conditions=react-server",
      "workers/main.ts",
    ],
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      ENCRYPTION_KEY: options.encryptionKey.toString("base64"),
      GRAPH_URL: url,
      LOGIN_URL: url,
      GRAPH_CA_FILE: caFile,
      NODE_EXTRA_CA_CERTS: caFile,
      WORKER_CONCURRENCY: String(options.concurrency),
    },
    logFile: path.resolve(options.logFile),
  });
}

/**
 * One emulated tenant (sized by `emulatorEnv`) registered in a fresh database, with a producer, the
 * product's worker process (`workers/main.ts`, two slots per queue, on its defaults otherwise) and an
 * app-only Graph client for floors — what the Graph benchmarks share. The worker is a process of its
 * own so that the peak RSS measured is the worker's alone, not this process's (which also runs the
 * floors and the polling).
 */
export async function benchConsole(database: string, emulatorEnv: Record<string, string>) {
  const encryptionKey = Buffer.alloc(32, 9);
  const emulator = await startBenchEmulator({ EMULATOR_TENANTS: "1", ...emulatorEnv });
  const { info } = emulator;
  const graph = { graphUrl: info.url, loginUrl: info.url, caFile: info.caFile, maxRetries: 6, retryDelaySeconds: 1 };
  const url = await freshDatabase(database, operations);
  const { db, pool } = createDb(url, { max: 20 });
  const producer = createBoss(url, "producer");
  await producer.start();
  const worker = startBenchWorker({
    name: "worker",
    databaseUrl: url,
    encryptionKey,
    emulator: info,
    concurrency: 2,
    logFile: ".data/bench/worker.log",
  });
  await worker.waitFor(/worker ready/);
  const [user] = await db
    .insert(users)
    .values({ email: `${database}@bench.test`, name: "Bench" })
    .returning();
  const credentials = { tenantGuid: info.tenant, clientId: info.client, clientSecret: info.secret };
  const tenant = await createTenant(db, {
    encryptionKey,
    ownerUserId: user!.id,
    input: { ...credentials, displayName: "Bench" },
  });
  const client = await createAppGraphClient(graph, credentials);
  return {
    db,
    tenantId: tenant.id,
    client,
    /** The worker process's resident memory now (MB): what it holds before and between runs. */
    workerRssMb: () => residentBytes(worker.pid) / 2 ** 20,
    run: (type: string, inputs: unknown = {}) =>
      timedOperation(
        { db, boss: producer, registry: operations },
        {
          actor: { userId: user!.id, name: "Bench" },
          tenantId: tenant.id,
          type,
          inputs,
          rss: () => residentBytes(worker.pid),
        },
      ),
    async stop() {
      await worker.stop("SIGTERM", 10_000);
      await producer.stop({ graceful: false });
      await pool.end();
      emulator.stop();
    },
  };
}
