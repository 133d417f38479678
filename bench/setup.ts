import path from "node:path";
import { sql } from "drizzle-orm";
import { createDb } from "@/db/client";
import { ensureDatabase, startEmbeddedPostgres } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";
import type { OperationRegistry } from "@/lib/operations/registry";

/** A fresh, migrated database for one benchmark (embedded PostgreSQL unless DATABASE_URL is set). */
export async function freshDatabase(name: string, registry: OperationRegistry): Promise<string> {
  const adminUrl = process.env.DATABASE_URL ?? (await startEmbeddedPostgres(path.resolve(".data", "bench", "postgres"))).url("postgres");
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const admin = createDb(adminUrl, 1);
  await admin.db.execute(sql.raw(`drop database if exists ${name} with (force)`));
  await admin.pool.end();
  await ensureDatabase(adminUrl, name);
  await migrateDatabase(url.toString(), registry);
  return url.toString();
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export function table(title: string, header: string[], rows: (string | number)[][]) {
  console.log(`\n${title}\n`);
  console.log(`| ${header.join(" | ")} |`);
  console.log(`|${header.map(() => "---").join("|")}|`);
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
}
