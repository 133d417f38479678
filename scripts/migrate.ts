import { migrateDatabase } from "@/db/migrate";
import { env } from "@/lib/env";
import { operations } from "@/lib/operations/registry";

// `npm run migrate`: a deploy's one-off step before it starts the new web servers and workers —
// the schema, pg-boss's schema and one queue per operation type. Safe to run twice or from two
// machines at once (it takes an advisory lock).
await migrateDatabase(env().DATABASE_URL, operations);
console.log("[migrate] database is up to date");
