import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { WORKER_NODE_FLAGS } from "./node-flags";

const root = path.resolve(import.meta.dirname, "..");

/** The young generation's size after some churn, in a node started with `flags`. */
function youngGenerationMb(flags: readonly string[]): number {
  const script = `
    let keep = [];
    for (let i = 0; i < 3e6; i++) { keep.push({ i, s: "x" + i }); if (keep.length > 50000) keep = []; }
    const young = require("node:v8").getHeapSpaceStatistics().find((s) => s.space_name === "new_space");
    process.stdout.write(String(young.space_size / 2 ** 20));`;
  return Number(execFileSync(process.execPath, [...flags, "-e", script], { encoding: "utf8" }));
}

describe("the worker's node flags", () => {
  it("are passed by package.json's worker script to the tsx that runs workers/main.ts", () => {
    const { scripts } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    const command = scripts.worker!.split("&&").find((part) => part.includes("workers/main.ts"))!;
    const args = command.trim().split(/\s+/);
    expect(args[0]).toBe("tsx");
    for (const flag of WORKER_NODE_FLAGS) expect(args.slice(0, args.indexOf("workers/main.ts"))).toContain(flag);
  });

  it("are node's and cap the young generation V8 grows to at 16 MB (32 MB by default on a machine this size)", () => {
    expect(youngGenerationMb(WORKER_NODE_FLAGS)).toBeLessThanOrEqual(16);
  });
});
