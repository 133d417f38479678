import { createDb } from "@/db/client";
import { users } from "@/db/schema";
import { createAppGraphClient } from "@/lib/graph/client";
import { createBoss } from "@/lib/operations/queue";
import { operations } from "@/lib/operations/registry";
import { createTenant } from "@/lib/tenants/service";
import { handlers } from "@/workers/handlers";
import { startWorker } from "@/workers/worker";
import { freshDatabase, startBenchEmulator, timedOperation } from "./setup";

/**
 * One emulated tenant (sized by `emulatorEnv`) registered in a fresh database, with a producer, a
 * worker (two slots per queue) and an app-only Graph client for floors — what the Graph benchmarks share.
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
  const workerBoss = createBoss(url, "worker");
  await workerBoss.start();
  await startWorker(
    workerBoss,
    { db, boss: workerBoss, registry: operations, handlers, graph, encryptionKey },
    { concurrency: 2 },
  );
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
    run: (type: string, inputs: unknown = {}) =>
      timedOperation(
        { db, boss: producer, registry: operations },
        { actor: { userId: user!.id, name: "Bench" }, tenantId: tenant.id, type, inputs },
      ),
    async stop() {
      await workerBoss.stop({ graceful: false });
      await producer.stop({ graceful: false });
      await pool.end();
      emulator.stop();
    },
  };
}
