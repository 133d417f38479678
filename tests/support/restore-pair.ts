import type { EmulatedTenant } from "@/emulator/directory";
import { createHttpFetch } from "@/lib/graph/transport";
import { startOperation } from "@/lib/operations/start";
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

const http = createHttpFetch(graphConfig.caFile);

/** A request to a tenant's Graph in the emulator, with its app's token (what a test reads back). */
export async function graphAs(tenant: EmulatedTenant, path: string, init: { method?: string; body?: unknown } = {}) {
  const response = await http(`${emulatorUrl}${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${await emulatorAppToken(tenant)}`, "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
