import "server-only";
import type { PgBoss } from "pg-boss";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { createBoss } from "./queue";
import { operations } from "./registry";
import type { OperationDeps } from "./start";

const globalForBoss = globalThis as unknown as { tenantAtlasProducer?: Promise<PgBoss> };

/** The web process's pg-boss producer: started once, used only to create jobs in transactions. */
export function producer(): Promise<PgBoss> {
  globalForBoss.tenantAtlasProducer ??= createBoss(env().DATABASE_URL, "producer")
    .start()
    .catch((err) => {
      globalForBoss.tenantAtlasProducer = undefined;
      throw err;
    });
  return globalForBoss.tenantAtlasProducer;
}

export async function operationDeps(): Promise<OperationDeps> {
  return { db: getDb(), boss: await producer(), registry: operations };
}
