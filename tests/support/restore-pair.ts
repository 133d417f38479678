import { and, eq } from "drizzle-orm";
import { backupItems, backupSets, policies } from "@/db/schema";
import type { EmulatedTenant } from "@/emulator/directory";
import { createHttpFetch } from "@/lib/graph/transport";
import { startOperation } from "@/lib/operations/start";
import { assignmentsOf, referencedGroups, suggestTargets } from "@/lib/restores/plan";
import {
  actor,
  createTestTenant,
  emulatedCredentials,
  emulatedTenantFixture,
  emulatorAppToken,
  emulatorUrl,
  graphConfig,
  type openHarness,
  waitForCompletion,
} from "./harness";
import { restorableAnywhere } from "./restorable";

type Harness = Awaited<ReturnType<typeof openHarness>>;
export type Person = { id: string; name: string };

/**
 * A source and a target tenant of the emulator, registered by one owner, with the syncs a restore
 * test needs already run: what every cross-tenant restore test starts from.
 */
export async function openRestorePair(
  h: Harness,
  {
    source,
    target,
    owner: ownerName,
    syncs = ["inventory.sync"],
  }: { source: EmulatedTenant; target: EmulatedTenant; owner: string; syncs?: ("inventory.sync" | "groups")[] },
) {
  const { owner, tenantId: sourceId } = await emulatedTenantFixture(h.db, source, ownerName);
  const targetId = (
    await createTestTenant(h.db, owner.id, { ...emulatedCredentials(target), displayName: `${target.key} target` })
  ).id;
  /** Starts an operation and waits for it to end (as the owner unless told otherwise). */
  const run = async (type: string, tenantId: string, inputs: unknown = {}, who: Person = owner) => {
    const { run } = await startOperation(h.deps, { actor: actor(who), tenantId, type, inputs });
    return waitForCompletion(h.db, run.id, 180_000);
  };
  const steps: [string, string][] = syncs.flatMap((sync): [string, string][] =>
    sync === "groups"
      ? [
          ["directory_groups.sync", sourceId],
          ["directory_groups.sync", targetId],
        ]
      : [[sync, sourceId]],
  );
  for (const [type, tenantId] of steps) {
    const done = await run(type, tenantId);
    if (done.outcome !== "succeeded") throw new Error(`${type} of the restore pair ended ${done.outcome}`);
  }
  return { owner, sourceId, targetId, run };
}
type RestorePair = Awaited<ReturnType<typeof openRestorePair>>;

const http = createHttpFetch(graphConfig.caFile);

/** A request to a tenant's Graph in the emulator, with its app's token (what a test reads back). */
export async function graphAs(tenant: EmulatedTenant, path: string, init: { method?: string; body?: unknown } = {}) {
  const response = await http(`${emulatorUrl}${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${await emulatorAppToken(tenant)}`, "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  // A 204 (an update or delete) has no body.
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

/**
 * A sealed backup of `perFamily` assigned policies of each family in the source (each assigned to a
 * group, restorable anywhere), its items, and the mapping of their groups to the target's (by
 * name): what a restore under faults starts from.
 */
export async function backupOfAssignedPolicies(
  h: Harness,
  {
    sourceId,
    targetId,
    run,
    perFamily = 2,
  }: { sourceId: string; targetId: string; run: RestorePair["run"]; perFamily?: number },
) {
  const assigned = await h.db
    .select()
    .from(policies)
    .where(and(eq(policies.tenantId, sourceId), eq(policies.assigned, true)))
    .orderBy(policies.name);
  const chosen = (["device_configuration", "compliance", "settings_catalog"] as const).flatMap((family) =>
    assigned
      .filter(
        (p) => p.family === family && assignmentsOf(p.content).some((a) => a.target?.groupId) && restorableAnywhere(p),
      )
      .slice(0, perFamily),
  );
  const backup = await run("backup_set.create", sourceId, { policyIds: chosen.map((p) => p.id) });
  if (backup.outcome !== "succeeded") throw new Error(`the backup of the restore pair ended ${backup.outcome}`);
  const [set] = await h.db.select().from(backupSets).where(eq(backupSets.runId, backup.id));
  const items = await h.db
    .select({ id: backupItems.id, family: backupItems.family, name: backupItems.name, content: backupItems.content })
    .from(backupItems)
    .where(eq(backupItems.backupSetId, set!.id))
    .orderBy(backupItems.name);
  const groups = await referencedGroups(h.db, sourceId, items);
  const mapping = Object.fromEntries(
    Object.entries(await suggestTargets(h.db, targetId, groups)).map(([source, target]) => [source, target.id]),
  );
  return { backupSetId: set!.id, items, mapping };
}
