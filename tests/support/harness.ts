import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { createDb, type Db } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { type MembershipRole, type OperationRun, operationRuns, tenantMemberships, users } from "@/db/schema";
import type { EmulatedTenant } from "@/emulator/directory";
import { createBoss } from "@/lib/operations/queue";
import type { OperationDeps } from "@/lib/operations/start";
import { createTenant } from "@/lib/tenants/service";
import type { WorkerDeps } from "@/workers/lifecycle";
import { startWorker, type WorkerOptions } from "@/workers/worker";
import { leaseLane } from "./lanes";
import { queuedRegistry, testHandlers, testRegistry } from "./test-operations";

const lane = await leaseLane();
export const databaseUrl = lane.databaseUrl;
export const emulatorUrl = lane.emulatorUrl;
export const encryptionKey = Buffer.alloc(32, 7);

export const graphConfig = {
  graphUrl: emulatorUrl,
  loginUrl: emulatorUrl,
  caFile: lane.emulatorCaFile,
  maxRetries: 6,
  retryDelaySeconds: 0,
};

/** A migrated database, a producer (for startOperation) and, on request, a running worker. */
export async function openHarness() {
  await migrateDatabase(databaseUrl, queuedRegistry);
  const { db, pool } = createDb(databaseUrl, { max: 20 });
  const producer = createBoss(databaseUrl, "producer");
  await producer.start();
  const deps: OperationDeps = { db, boss: producer, registry: testRegistry };
  const workerDeps: WorkerDeps = {
    db,
    boss: producer,
    // Quick retries, so a test sees a receiver's recovery within seconds.
    alerts: { maxAttempts: 4, retrySeconds: 1, timeoutSeconds: 5 },
    cancelPollMs: 100,
    registry: queuedRegistry,
    handlers: testHandlers,
    graph: graphConfig,
    encryptionKey,
  };
  const stops: (() => Promise<void>)[] = [];

  return {
    db,
    deps,
    workerDeps,
    async startWorker(options: WorkerOptions = {}) {
      const boss = createBoss(databaseUrl, "worker");
      await boss.start();
      const worker = await startWorker(boss, workerDeps, {
        concurrency: 4,
        notifyPollingIntervalSeconds: 1,
        reaperIntervalMs: 3_600_000,
        drainSeconds: 2,
        ...options,
      });
      stops.push(() => worker.stop());
      return worker;
    },
    async close() {
      for (const stop of stops.reverse()) await stop();
      await producer.stop({ graceful: false });
      await pool.end();
    },
  };
}

export async function createUser(db: Db, name = "Test User") {
  const [user] = await db
    .insert(users)
    .values({ email: `${randomUUID()}@example.test`, name })
    .returning();
  return user!;
}

/**
 * A tenant owned by `ownerId`. Without overrides it is not one of the emulator's (random GUID and
 * app), for tests that do not reach Graph; `emulatedCredentials` wires it to a claimed one.
 */
export async function createTestTenant(
  db: Db,
  ownerId: string,
  overrides: Partial<{ tenantGuid: string; clientId: string; clientSecret: string; displayName: string }> = {},
) {
  return createTenant(db, {
    encryptionKey,
    ownerUserId: ownerId,
    input: {
      // Tenant GUIDs are unique per registration; tests that do not reach Graph use random ones.
      tenantGuid: overrides.tenantGuid ?? randomUUID(),
      displayName: overrides.displayName ?? "Test tenant",
      clientId: overrides.clientId ?? randomUUID(),
      clientSecret: overrides.clientSecret ?? "test-secret",
    },
  });
}

/** The GUID and working app of an emulated tenant (claim it first, see ./tenants). */
export const emulatedCredentials = (emulated: EmulatedTenant) => ({
  tenantGuid: emulated.tenantId,
  clientId: emulated.apps[0]!.clientId,
  clientSecret: emulated.apps[0]!.clientSecret,
});

export async function addMember(
  db: Db,
  { userId, tenantId, role }: { userId: string; tenantId: string; role: MembershipRole },
) {
  await db.insert(tenantMemberships).values({ userId, tenantId, role });
}

/** The database's clock, for tests that place rows relative to what it stamps. */
export async function databaseNow(db: Db): Promise<Date> {
  const result = await db.execute<{ ms: string }>(sql`select (extract(epoch from now()) * 1000)::bigint::text as ms`);
  return new Date(Number(result.rows[0]!.ms));
}

export const actor = (user: { id: string; name: string }) => ({ userId: user.id, name: user.name });

/** Polls the database until the run reaches `status`. */
export async function waitForStatus(
  db: Db,
  { runId, status, timeoutMs = 30_000 }: { runId: string; status: OperationRun["status"]; timeoutMs?: number },
): Promise<OperationRun> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [run] = await db.select().from(operationRuns).where(eq(operationRuns.id, runId));
    if (run?.status === status) return run;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`run ${runId} did not reach ${status} within ${timeoutMs} ms`);
}

export const waitForCompletion = (db: Db, runId: string, timeoutMs?: number) =>
  waitForStatus(db, { runId, status: "completed", timeoutMs });

/** The emulator's test surface (faults, request counters), over the same trusted HTTPS. */
export async function emulatorAdmin(path: string, init?: RequestInit): Promise<Response> {
  const { createHttpFetch } = await import("@/lib/graph/transport");
  return createHttpFetch(graphConfig.caFile)(`${emulatorUrl}/_emulator${path}`, init);
}

/** A new owner and a tenant wired to a claimed emulated tenant (its real GUID and working app). */
export async function emulatedTenantFixture(db: Db, emulated: EmulatedTenant, ownerName = "Owner") {
  const owner = await createUser(db, ownerName);
  const tenantId = (await createTestTenant(db, owner.id, emulatedCredentials(emulated))).id;
  return { owner, tenantId };
}

/** An app-only access token for a claimed emulated tenant, straight from the emulator's token endpoint. */
export async function emulatorAppToken(tenant: EmulatedTenant): Promise<string> {
  const { createHttpFetch } = await import("@/lib/graph/transport");
  const app = tenant.apps[0]!;
  const response = await createHttpFetch(graphConfig.caFile)(`${emulatorUrl}/${tenant.tenantId}/oauth2/v2.0/token`, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: app.clientId,
      client_secret: app.clientSecret,
      scope: `${emulatorUrl}/.default`,
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}
