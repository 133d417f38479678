// Run by e2e/support/cluster.ts after `npm run migrate`, in a process of its own (tsx
// --conditions=react-server, since the seed imports server-only modules): the demo operator and
// tenants, as `npm start` seeds them.
import { createDb } from "@/db/client";
import { seedDemo } from "@/db/seed";
import { buildDirectory } from "@/emulator/directory";

const { DATABASE_URL, ENCRYPTION_KEY, DEMO_PASSWORD, EMULATOR_SEED, CLUSTER_TENANTS } = process.env;
const { db, pool } = createDb(DATABASE_URL!, { max: 2 });
await seedDemo(db, {
  password: DEMO_PASSWORD!,
  encryptionKey: Buffer.from(ENCRYPTION_KEY!, "base64"),
  tenants: buildDirectory(Number(EMULATOR_SEED)).slice(0, Number(CLUSTER_TENANTS)),
}).finally(() => pool.end());
console.log("cluster seeded");
