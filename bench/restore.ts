import { performance } from "node:perf_hooks";
import { eq } from "drizzle-orm";
import { createDb } from "@/db/client";
import { backupSets, users } from "@/db/schema";
import { createAppGraphClient } from "@/lib/graph/client";
import { createBoss } from "@/lib/operations/queue";
import { operations } from "@/lib/operations/registry";
import { assignBody, creationBody } from "@/lib/restores/payload";
import { backupSetItems, referencedGroups, restorePlan } from "@/lib/restores/plan";
import { createTenant } from "@/lib/tenants/service";
import { handlers } from "@/workers/handlers";
import { FAMILY_PATHS } from "@/workers/intune";
import { startWorker } from "@/workers/worker";
import { freshDatabase, percentile, startBenchEmulator, table, timedOperation } from "./setup";

/**
 * Restore: the wizard's preview (`restorePlan`, database only) of a whole backup, and
 * `restore.execute` of it beside the emulator's floor — the same create and `/assign` requests sent
 * straight from here, one policy at a time as the worker does.
 */
const ITEMS = Number(process.env.BENCH_RESTORE_ITEMS ?? 500);
const encryptionKey = Buffer.alloc(32, 9);
const emulator = await startBenchEmulator({ EMULATOR_SEED: "5", EMULATOR_TENANTS: "1", EMULATOR_GROUPS: "5000", EMULATOR_POLICIES: String(ITEMS) });
const { info } = emulator;
const graph = { graphUrl: info.url, loginUrl: info.url, caFile: info.caFile, maxRetries: 6, retryDelaySeconds: 1 };

const url = await freshDatabase("tenantatlas_bench_restore", operations);
const { db, pool } = createDb(url, 20);
const producer = createBoss(url, "producer");
await producer.start();
const workerBoss = createBoss(url, "worker");
await workerBoss.start();
await startWorker(workerBoss, { db, registry: operations, handlers, graph, encryptionKey }, { concurrency: 2 });
const [user] = await db.insert(users).values({ email: "restore@bench.test", name: "Bench" }).returning();
const tenant = await createTenant(db, encryptionKey, user!.id, { tenantGuid: info.tenant, displayName: "Bench", clientId: info.client, clientSecret: info.secret });
const deps = { db, boss: producer, registry: operations };
const actor = { userId: user!.id, name: "Bench" };

console.log(`\nRestore benchmarks: a backup of ${ITEMS.toLocaleString("en")} policies…`);
for (const type of ["inventory.sync", "directory_groups.sync", "backup_set.create"]) await timedOperation(deps, actor, tenant.id, type, {});
const [set] = await db.select().from(backupSets).where(eq(backupSets.tenantId, tenant.id));
const items = await backupSetItems(db, set!.id);
const groups = await referencedGroups(db, tenant.id, items);
// Into the same tenant: every group maps to itself (it is in the cache).
const inputs = { backupSetId: set!.id, itemIds: items.map((i) => i.id), mapping: Object.fromEntries(groups.map((g) => [g.id, g.id])), unmapped: "skip" as const };

const previewMs: number[] = [];
for (let i = 0; i < 30; i++) {
  const t0 = performance.now();
  await restorePlan(db, tenant.id, tenant.id, inputs);
  previewMs.push(performance.now() - t0);
}

const restore = await timedOperation(deps, actor, tenant.id, "restore.execute", inputs);
const plan = await restorePlan(db, tenant.id, tenant.id, inputs);
const client = await createAppGraphClient(graph, { tenantGuid: info.tenant, clientId: info.client, clientSecret: info.secret });
const t0 = performance.now();
for (const item of plan.items) {
  const created = (await client.api(FAMILY_PATHS[item.family]).version("beta").post(creationBody(item.family, item.content))) as { id: string };
  const assign = assignBody(item, false);
  if (assign.assignments.length) await client.api(`${FAMILY_PATHS[item.family]}/${created.id}/assign`).version("beta").post(assign);
}
const floor = plan.items.length / ((performance.now() - t0) / 1000);
const rate = restore.counts.restored! / restore.seconds;

table(
  `Restore (${new Date().toISOString()}): ${items.length} items, ${groups.length} mapped groups`,
  ["measure", "value", "target"],
  [
    ["preview (restorePlan) p50 / p95", `${percentile(previewMs, 50).toFixed(1)} / ${percentile(previewMs, 95).toFixed(1)} ms`, "interactive (≤ 200 ms)"],
    ["restore.execute", `${restore.outcome}, ${restore.counts.restored} restored, ${restore.seconds.toFixed(1)} s, ${rate.toFixed(0)} items/s`, "—"],
    ["emulator floor (same requests, sequential)", `${floor.toFixed(0)} items/s`, "—"],
    ["share of floor", `${((rate / floor) * 100).toFixed(0)} %`, "—"],
    ["peak RSS of this process", `${restore.peakMb.toFixed(0)} MB`, "—"],
  ],
);

await workerBoss.stop({ graceful: false });
await producer.stop({ graceful: false });
await pool.end();
emulator.stop();
