// Run by e2e/support/cluster.ts in a process of its own (tsx --conditions=react-server, since the
// migrator and seed import server-only modules): migrations, pg-boss's queues and the demo seed —
// what `npm start` does before it starts its web server and worker.
import { createDb } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { seedDemo } from "@/db/seed";
import { buildDirectory } from "@/emulator/directory";
import { operations } from "@/lib/operations/registry";

const { DATABASE_URL, ENCRYPTION_KEY, DEMO_PASSWORD, EMULATOR_SEED, CLUSTER_TENANTS } = process.env;
await migrateDatabase(DATABASE_URL!, operations);
const { db, pool } = createDb(DATABASE_URL!, { max: 2 });
await seedDemo(db, {
  password: DEMO_PASSWORD!,
  encryptionKey: Buffer.from(ENCRYPTION_KEY!, "base64"),
  tenants: buildDirectory(Number(EMULATOR_SEED)).slice(0, Number(CLUSTER_TENANTS)),
}).finally(() => pool.end());
console.log("cluster seeded");
