import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Monitoring renders from the database only. Walk the import graph (static and dynamic) of every
 * monitoring page and the bell; no path may reach the Graph client, lib/graph or workers/. A
 * "use server" module is where the walk stops: a page imports it only to hand its actions to a
 * form, and their bodies run when a user acts, never during a render.
 */
const root = path.resolve(import.meta.dirname, "..");
const FORBIDDEN = [/^@microsoft\/microsoft-graph-client/, /^lib\/graph\//, /^workers\//];

function entries(): string[] {
  const pages = walk(path.join(root, "app", "(console)")).filter((f) => /\/(page|layout)\.tsx$/.test(f));
  return [
    ...pages,
    path.join(root, "components/notifications/bell.tsx"),
    path.join(root, "app/api/notifications/latest/route.ts"),
  ];
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

function resolveImport(from: string, spec: string): string | null {
  const base = spec.startsWith("@/")
    ? path.join(root, spec.slice(2))
    : spec.startsWith(".")
      ? path.resolve(path.dirname(from), spec)
      : null;
  if (!base) return null;
  for (const candidate of [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    path.join(base, "index.ts"),
    path.join(base, "index.tsx"),
  ]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Every module reachable from `entry`, with the chain that reached it. */
function reachable(entry: string) {
  const chains = new Map<string, string[]>([[entry, [entry]]]);
  const external: { spec: string; chain: string[] }[] = [];
  const queue = [entry];
  while (queue.length) {
    const file = queue.shift()!;
    const source = readFileSync(file, "utf8");
    if (file !== entry && /^\s*["']use server["']/.test(source)) continue;
    for (const [, staticSpec, dynamicSpec] of source.matchAll(
      /(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g,
    )) {
      const spec = staticSpec ?? dynamicSpec;
      if (!spec) continue;
      const chain = chains.get(file)!;
      const resolved = resolveImport(file, spec);
      if (!resolved) {
        external.push({ spec, chain });
        continue;
      }
      if (!chains.has(resolved)) {
        chains.set(resolved, [...chain, resolved]);
        queue.push(resolved);
      }
    }
  }
  return { modules: chains, external };
}

describe("monitoring pages and the bell", () => {
  const files = entries();

  it("finds the monitoring entry points it is meant to check", () => {
    const rel = files.map((f) => path.relative(root, f));
    expect(rel).toContain("app/(console)/t/[tenantId]/operations/page.tsx");
    expect(rel).toContain("app/(console)/t/[tenantId]/operations/[runId]/page.tsx");
    expect(rel).toContain("components/notifications/bell.tsx");
  });

  it.each(files.map((f) => [path.relative(root, f), f]))("%s never imports Graph code", (_name, file) => {
    const { modules, external } = reachable(file);
    const offenders = [
      ...[...modules.entries()].map(([mod, chain]) => ({ spec: path.relative(root, mod), chain })),
      ...external,
    ].filter(({ spec }) => FORBIDDEN.some((re) => re.test(spec)));
    expect(offenders.map((o) => o.chain.map((c) => path.relative(root, c)).join(" → ") + ` → ${o.spec}`)).toEqual([]);
  });

  it("would notice a Graph import (the scan itself works)", () => {
    const worker = reachable(path.join(root, "workers/lifecycle.ts"));
    expect([...worker.modules.keys()].some((m) => path.relative(root, m).startsWith("lib/graph/"))).toBe(true);
  });
});
