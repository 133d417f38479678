import { performance } from "node:perf_hooks";
import { createDb } from "@/db/client";
import { users } from "@/db/schema";
import { createAppGraphClient } from "@/lib/graph/client";
import { createBoss } from "@/lib/operations/queue";
import { operations } from "@/lib/operations/registry";
import { createTenant } from "@/lib/tenants/service";
import { handlers } from "@/workers/handlers";
import { FAMILY_PATHS, pages, readPolicy, type GraphPolicy } from "@/workers/intune";
import { startWorker } from "@/workers/worker";
import { freshDatabase, startBenchEmulator, table, timedOperation } from "./setup";

/**
 * Sync throughput against the emulator: inventory.sync of 10,000 policies and directory_groups.sync
 * of 50,000 groups, each beside the emulator's own floor — the same Graph requests made with the same
 * concurrency and nothing else done with the answers. The emulator runs in its own process so the
 * worker's peak RSS is the worker's alone.
 */
const POLICIES = Number(process.env.BENCH_POLICIES ?? 10_000);
const GROUPS = Number(process.env.BENCH_GROUPS ?? 50_000);
const encryptionKey = Buffer.alloc(32, 9);

const emulator = await startBenchEmulator({ EMULATOR_SEED: "3", EMULATOR_TENANTS: "1", EMULATOR_GROUPS: String(GROUPS), EMULATOR_POLICIES: String(POLICIES) });
const emulatorInfo = emulator.info;
const graph = { graphUrl: emulatorInfo.url, loginUrl: emulatorInfo.url, caFile: emulatorInfo.caFile, maxRetries: 6, retryDelaySeconds: 1 };

const url = await freshDatabase("tenantatlas_bench_sync", operations);
const { db, pool } = createDb(url, 20);
const producer = createBoss(url, "producer");
await producer.start();
const workerBoss = createBoss(url, "worker");
await workerBoss.start();
await startWorker(workerBoss, { db, registry: operations, handlers, graph, encryptionKey }, { concurrency: 2 });
const [user] = await db.insert(users).values({ email: "sync@bench.test", name: "Bench" }).returning();
const tenant = await createTenant(db, encryptionKey, user!.id, { tenantGuid: emulatorInfo.tenant, displayName: "Bench", clientId: emulatorInfo.client, clientSecret: emulatorInfo.secret });
const client = await createAppGraphClient(graph, { tenantGuid: emulatorInfo.tenant, clientId: emulatorInfo.client, clientSecret: emulatorInfo.secret });
const signal = new AbortController().signal;

async function floorPolicies() {
  const t0 = performance.now();
  let n = 0;
  for (const family of ["device_configuration", "compliance", "settings_catalog"] as const) {
    for await (const page of pages<GraphPolicy>(client, FAMILY_PATHS[family], signal)) {
      for (let i = 0; i < page.length; i += 4) {
        await Promise.all(page.slice(i, i + 4).map((p) => readPolicy(client, family, p, signal)));
      }
      n += page.length;
    }
  }
  return n / ((performance.now() - t0) / 1000);
}

async function floorGroups() {
  const t0 = performance.now();
  let n = 0;
  let next: string | undefined = "/groups/delta?$select=id,displayName,description,mail,groupTypes,securityEnabled,mailEnabled";
  while (next) {
    const page = (await client.api(next).get()) as { value: unknown[]; "@odata.nextLink"?: string };
    n += page.value.length;
    next = page["@odata.nextLink"];
  }
  return n / ((performance.now() - t0) / 1000);
}

const timedRun = (type: string) => timedOperation({ db, boss: producer, registry: operations }, { userId: user!.id, name: "Bench" }, tenant.id, type, {});

console.log(`\nSync benchmarks: ${POLICIES.toLocaleString("en")} policies, ${GROUPS.toLocaleString("en")} groups…`);
const policyFloor = await floorPolicies();
const inventory = await timedRun("inventory.sync");
const groupFloor = await floorGroups();
const directory = await timedRun("directory_groups.sync");
const invRate = inventory.counts.processed! / inventory.seconds;
const dirRate = directory.counts.processed! / directory.seconds;
table(
  `Syncs against the emulator (${new Date().toISOString()})`,
  ["sync", "items", "outcome", "seconds", "items/s", "emulator floor items/s", "share of floor", "peak RSS (MB)", "target"],
  [
    ["inventory.sync", inventory.counts.processed!, inventory.outcome, inventory.seconds.toFixed(1), invRate.toFixed(0), policyFloor.toFixed(0), `${((invRate / policyFloor) * 100).toFixed(0)} %`, inventory.peakMb.toFixed(0), "≥ 500/s, ≤ 300 MB"],
    ["directory_groups.sync", directory.counts.processed!, directory.outcome, directory.seconds.toFixed(1), dirRate.toFixed(0), groupFloor.toFixed(0), `${((dirRate / groupFloor) * 100).toFixed(0)} %`, directory.peakMb.toFixed(0), "(groups/s)"],
  ],
);

await workerBoss.stop({ graceful: false });
await producer.stop({ graceful: false });
await pool.end();
emulator.stop();
