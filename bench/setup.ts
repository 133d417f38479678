import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { eq, sql } from "drizzle-orm";
import { createDb } from "@/db/client";
import { ensureDatabase, startEmbeddedPostgres } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";
import { operationRuns } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import type { OperationRegistry } from "@/lib/operations/registry";
import { type OperationDeps, startOperation } from "@/lib/operations/start";

/** A fresh, migrated database for one benchmark (embedded PostgreSQL unless DATABASE_URL is set). */
export async function freshDatabase(name: string, registry: OperationRegistry): Promise<string> {
  const adminUrl =
    process.env.DATABASE_URL ??
    (await startEmbeddedPostgres(path.resolve(".data", "bench", "postgres"))).url("postgres");
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const admin = createDb(adminUrl, { max: 1, statementTimeoutMs: 0 });
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

/** The Graph emulator in its own process (so a worker's peak RSS is its own), sized by `env`. */
export async function startBenchEmulator(env: Record<string, string>) {
  const child = spawn(path.resolve("node_modules/.bin/tsx"), ["emulator/main.ts"], {
    env: { ...process.env, DATA_DIR: path.resolve(".data/bench"), ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  type EmulatedTenant = { tenant: string; client: string; secret: string };
  const wanted = Number(env.EMULATOR_TENANTS ?? 1);
  const info = await new Promise<{ url: string; caFile: string; tenants: EmulatedTenant[] } & EmulatedTenant>(
    (resolve) => {
      let url = "";
      let caFile = "";
      const tenants: EmulatedTenant[] = [];
      lines.on("line", (line) => {
        const listening = /listening on (\S+) \(trust (\S+)\)/.exec(line);
        if (listening) [url, caFile] = [listening[1]!, listening[2]!];
        const tenant = /tenant (\S+), client (\S+), secret (\S+)/.exec(line);
        if (tenant && url) tenants.push({ tenant: tenant[1]!, client: tenant[2]!, secret: tenant[3]! });
        // The first tenant's credentials stay at the top level: what the one-tenant benchmarks use.
        if (tenant && tenants.length === wanted) resolve({ url, caFile, ...tenants[0]!, tenants });
      });
    },
  );
  return { info, stop: () => child.kill("SIGTERM") };
}

/**
 * Starts one operation and waits for it: seconds, outcome, counts and the peak RSS of the process
 * that works it (`rss`, sampled every 25 ms; this process's when not given).
 */
export async function timedOperation(
  deps: OperationDeps,
  {
    actor,
    tenantId,
    type,
    inputs,
    rss = () => process.memoryUsage().rss,
  }: { actor: Actor; tenantId: string; type: string; inputs: unknown; rss?: () => number },
) {
  let peak = rss();
  const sampler = setInterval(() => (peak = Math.max(peak, rss())), 25);
  const t0 = performance.now();
  const { run } = await startOperation(deps, { actor, tenantId, type, inputs });
  for (;;) {
    const [r] = await deps.db
      .select({ status: operationRuns.status, outcome: operationRuns.outcome, counts: operationRuns.summaryCounts })
      .from(operationRuns)
      .where(eq(operationRuns.id, run.id));
    if (r!.status === "completed") {
      clearInterval(sampler);
      return {
        runId: run.id,
        seconds: (performance.now() - t0) / 1000,
        outcome: r!.outcome as string,
        counts: r!.counts as Record<string, number>,
        peakMb: peak / 2 ** 20,
      };
    }
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** User + system CPU seconds of a process and its descendants (Linux /proc). */
export function treeCpuSeconds(root: number): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      // utime + stime, and cutime + cstime: the children that exited and were reaped (a database's
      // backends closed mid-measurement) stay counted in their parent.
      const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
      stats.set(Number(name), { ppid: Number(fields[1]), ticks });
    } catch {
      // gone meanwhile
    }
  }
  let ticks = 0;
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop()!;
    ticks += stats.get(pid)?.ticks ?? 0;
    for (const [child, s] of stats) if (s.ppid === pid) todo.push(child);
  }
  return ticks / 100; // USER_HZ
}
