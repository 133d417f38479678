import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { GROUP_SELECT } from "@/lib/directory/groups";
import { INTUNE_COLLECTIONS, INTUNE_TYPE_KEYS, TYPE_LABELS, typeOfObject } from "@/lib/intune/types";
import { type GraphPolicy, pages, readPolicy } from "@/workers/intune";
import { benchConsole } from "./console";
import { table } from "./setup";

/**
 * Sync throughput against the emulator: inventory.sync of 10,000 policies and directory_groups.sync
 * of 50,000 groups, each beside the emulator's own floor — the same Graph requests made with the same
 * concurrency and nothing else done with the answers. The policies are spread over every type of the
 * catalogue (the emulator seeds each): the summary says how many types got objects, lists them per
 * type, and a type with none fails the run. The emulator and the worker run in processes of their own,
 * so the peak RSS is the worker process's alone.
 */
const POLICIES = Number(process.env.BENCH_POLICIES ?? 10_000);
const GROUPS = Number(process.env.BENCH_GROUPS ?? 50_000);
const {
  db,
  tenantId,
  client,
  run: timedRun,
  workerRssMb,
  stop,
} = await benchConsole("tenantatlas_bench_sync", {
  EMULATOR_SEED: "3",
  EMULATOR_GROUPS: String(GROUPS),
  EMULATOR_POLICIES: String(POLICIES),
});
const signal = new AbortController().signal;

async function floorPolicies() {
  const t0 = performance.now();
  let n = 0;
  for (const collection of INTUNE_COLLECTIONS) {
    for await (const listed of pages<GraphPolicy>(client, collection.path, signal)) {
      const page = listed.flatMap((policy) => {
        const family = typeOfObject(collection, policy);
        return family ? [{ policy, family }] : [];
      });
      for (let i = 0; i < page.length; i += 4) {
        await Promise.all(
          page.slice(i, i + 4).map(({ policy, family }) => readPolicy(client, { family, policy, signal })),
        );
      }
      n += page.length;
    }
  }
  return n / ((performance.now() - t0) / 1000);
}

async function floorGroups() {
  const t0 = performance.now();
  let n = 0;
  let next: string | undefined = `/groups/delta?$select=${GROUP_SELECT},members`; // the sync's own request
  while (next) {
    const page = (await client.api(next).get()) as { value: unknown[]; "@odata.nextLink"?: string };
    n += page.value.length;
    next = page["@odata.nextLink"];
  }
  return n / ((performance.now() - t0) / 1000);
}

console.log(`\nSync benchmarks: ${POLICIES.toLocaleString("en")} policies, ${GROUPS.toLocaleString("en")} groups…`);
const idleRss = workerRssMb();
const policyFloor = await floorPolicies();
const inventory = await timedRun("inventory.sync");
const groupFloor = await floorGroups();
const betweenRss = workerRssMb();
const directory = await timedRun("directory_groups.sync");
console.log(
  `Worker RSS: ${idleRss.toFixed(0)} MB when ready, ${betweenRss.toFixed(0)} MB after the inventory sync, ${workerRssMb().toFixed(0)} MB after the groups sync.`,
);
const invRate = inventory.counts.processed! / inventory.seconds;
// What the sync covered: every type of the catalogue, as the emulator spreads its objects over them.
const byType = await db.execute<{ family: string; n: number }>(
  sql`select family, count(*)::int as n from policies where tenant_id = ${tenantId} group by family`,
);
const seen = new Map(byType.rows.map((r) => [r.family, r.n]));
const uncovered = INTUNE_TYPE_KEYS.filter((key) => !seen.get(key));
const dirRate = directory.counts.processed! / directory.seconds;
table(
  `Syncs against the emulator (${new Date().toISOString()})`,
  [
    "sync",
    "items",
    "outcome",
    "seconds",
    "items/s",
    "emulator floor items/s",
    "share of floor",
    "peak RSS (MB)",
    "types with objects",
    "target",
  ],
  [
    [
      "inventory.sync",
      inventory.counts.processed!,
      inventory.outcome,
      inventory.seconds.toFixed(1),
      invRate.toFixed(0),
      policyFloor.toFixed(0),
      `${((invRate / policyFloor) * 100).toFixed(0)} %`,
      inventory.peakMb.toFixed(0),
      `${INTUNE_TYPE_KEYS.length - uncovered.length} of ${INTUNE_TYPE_KEYS.length}`,
      "≥ 500/s, ≤ 300 MB, every type",
    ],
    [
      "directory_groups.sync",
      directory.counts.processed!,
      directory.outcome,
      directory.seconds.toFixed(1),
      dirRate.toFixed(0),
      groupFloor.toFixed(0),
      `${((dirRate / groupFloor) * 100).toFixed(0)} %`,
      directory.peakMb.toFixed(0),
      "",
      "(groups/s)",
    ],
  ],
);

table(
  "Objects the inventory sync stored, by type",
  ["type", "objects", "share"],
  INTUNE_TYPE_KEYS.map((key) => [
    TYPE_LABELS[key],
    seen.get(key) ?? 0,
    `${(((seen.get(key) ?? 0) / Math.max(1, inventory.counts.processed!)) * 100).toFixed(1)} %`,
  ]),
);

await stop();
// A type with no object was not measured: the run says so and fails.
if (uncovered.length) {
  console.error(`No objects stored for: ${uncovered.map((key) => TYPE_LABELS[key]).join(", ")}.`);
  process.exitCode = 1;
}
