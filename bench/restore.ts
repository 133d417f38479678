import { performance } from "node:perf_hooks";
import { eq } from "drizzle-orm";
import { backupSets } from "@/db/schema";
import { INTUNE_WRITE_RATE } from "@/lib/graph/write-budget";
import { targetAppsBody } from "@/lib/intune/target-apps";
import { creationBody, plannedAssignments } from "@/lib/restores/payload";
import { backupSetItems, referencedGroups, restorePlan } from "@/lib/restores/plan";
import { FAMILY_PATHS } from "@/workers/intune";
import { setAssignments } from "@/workers/set-assignments";
import { benchConsole } from "./console";
import { percentile, table } from "./setup";

/**
 * Restore: the wizard's preview (`restorePlan`, database only) of a whole backup, and
 * `restore.execute` of it beside the emulator's floor — the same create and `/assign` requests sent
 * straight from here, one policy at a time as the worker does.
 */
const ITEMS = Number(process.env.BENCH_RESTORE_ITEMS ?? 500);
/**
 * The kinds restored: those whose restore is a create, its assignments and nothing after (as the
 * floor sends). The emulator spreads its objects over every type, these three a little over half.
 */
const FAMILIES = new Set(["device_configuration", "settings_catalog", "compliance"]);
const { db, tenantId, client, run, stop } = await benchConsole("tenantatlas_bench_restore", {
  EMULATOR_SEED: "5",
  EMULATOR_GROUPS: "5000",
  EMULATOR_POLICIES: String(Math.ceil(ITEMS * 2)),
});

console.log(`\nRestore benchmarks: a backup of ${ITEMS.toLocaleString("en")} policies…`);
for (const type of ["inventory.sync", "directory_groups.sync", "backup_set.create"]) await run(type);
const [set] = await db.select().from(backupSets).where(eq(backupSets.tenantId, tenantId));
const items = (await backupSetItems(db, set!.id)).filter((i) => FAMILIES.has(i.family)).slice(0, ITEMS);
const groups = await referencedGroups(db, tenantId, items);
// Into the same tenant: every group maps to itself (it is in the cache).
const inputs = {
  backupSetId: set!.id,
  itemIds: items.map((i) => i.id),
  mapping: Object.fromEntries(groups.map((g) => [g.id, g.id])),
  unmapped: "skip" as const,
};

const previewMs: number[] = [];
for (let i = 0; i < 30; i++) {
  const t0 = performance.now();
  await restorePlan(db, { targetTenantId: tenantId, sourceTenantId: tenantId, inputs });
  previewMs.push(performance.now() - t0);
}

const restore = await run("restore.execute", inputs);
const plan = await restorePlan(db, { targetTenantId: tenantId, sourceTenantId: tenantId, inputs });
// What the restore sends, less the items with secret values: the restore opens their sealed values
// and sends them in plain text, which the floor cannot (Graph refuses the secret's reference id).
const sent = plan.items.filter(
  (item) =>
    !item.refusal && !JSON.stringify(creationBody(item.family, item.content)).includes("secretReferenceValueId"),
);
let writes = 0; // Intune writes the floor sends: what the console's write budget paces
const t0 = performance.now();
for (const item of sent) {
  writes += 1;
  const created = (await client
    .api(FAMILY_PATHS[item.family])
    .version("beta")
    .post(creationBody(item.family, item.content))) as { id: string };
  // The same writes the restore makes after a create (an administrative template's values aside).
  const policyPath = `${FAMILY_PATHS[item.family]}/${created.id}`;
  const apps = targetAppsBody(item.family, item.content);
  if (apps) await client.api(`${policyPath}/${apps.action}`).version("beta").post(apps.body);
  const assignments = plannedAssignments(item);
  writes += (apps ? 1 : 0) + (assignments.length ? 1 : 0);
  if (assignments.length)
    await setAssignments(client, { family: item.family, policyPath, assignments, signal: AbortSignal.timeout(60_000) });
}
const floor = sent.length / ((performance.now() - t0) / 1000);
// The console paces a tenant's Intune writes under Microsoft's 100 per 20 s (lib/graph/write-budget.ts):
// a restore cannot go faster than the budget lets its writes through, whatever Graph could take.
const writesPerItem = writes / sent.length;
const budgetFloor =
  (INTUNE_WRITE_RATE.burst + INTUNE_WRITE_RATE.perSecond * restore.seconds) / writesPerItem / restore.seconds;
const rate = restore.counts.restored! / restore.seconds;

table(
  `Restore (${new Date().toISOString()}): ${items.length} items, ${groups.length} mapped groups`,
  ["measure", "value", "target"],
  [
    [
      "preview (restorePlan) p50 / p95",
      `${percentile(previewMs, 50).toFixed(1)} / ${percentile(previewMs, 95).toFixed(1)} ms`,
      "interactive (≤ 200 ms)",
    ],
    [
      "restore.execute",
      `${restore.outcome}, ${restore.counts.restored} restored, ${restore.seconds.toFixed(1)} s, ${rate.toFixed(0)} items/s`,
      "—",
    ],
    ["emulator floor (same requests, sequential, unpaced)", `${floor.toFixed(0)} items/s`, "—"],
    ["share of the emulator floor", `${((rate / floor) * 100).toFixed(0)} %`, "—"],
    [
      `write-budget floor (${writesPerItem.toFixed(2)} writes an item at ${INTUNE_WRITE_RATE.perSecond}/s, burst ${INTUNE_WRITE_RATE.burst})`,
      `${budgetFloor.toFixed(2)} items/s`,
      "—",
    ],
    ["share of the write-budget floor", `${((rate / budgetFloor) * 100).toFixed(0)} %`, "≥ 70 %"],
    ["peak RSS of this process", `${restore.peakMb.toFixed(0)} MB`, "—"],
  ],
);

await stop();
