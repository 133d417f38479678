/**
 * Writes lib/graph/writable-properties.generated.json: for every type of the three policy families
 * the console restores, and for the compliance actions created with a policy, which properties a
 * create may carry, which Graph sets itself or marks read-only, and which are navigation properties
 * (lib/graph/writable-derivation.ts says how). Run by hand when Microsoft publishes new beta typings
 * (docs/graph-fidelity.md, "Writable properties"):
 *
 *   npm pack @microsoft/microsoft-graph-types-beta@<version> --pack-destination /tmp/graph-types
 *   tar -xzf /tmp/graph-types/*.tgz -C /tmp/graph-types
 *   npx tsx scripts/graph-writable-properties.ts /tmp/graph-types/package
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { deriveWritable, SERVER_SET } from "@/lib/graph/writable-derivation";

const OUTPUT = path.resolve(import.meta.dirname, "../lib/graph/writable-properties.generated.json");

const dir = process.argv[2];
if (!dir) throw new Error("Usage: npx tsx scripts/graph-writable-properties.ts <unpacked typings package folder>");
const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name: string; version: string };
const source = readFileSync(path.join(dir, "microsoft-graph.d.ts"), "utf8");
const types = deriveWritable(source);
const output = {
  source: {
    package: `${pkg.name}@${pkg.version}`,
    file: "microsoft-graph.d.ts",
    sha256: createHash("sha256").update(source).digest("hex"),
    generatedBy: "scripts/graph-writable-properties.ts",
  },
  readOnlyRules: {
    id: "the entity key: Graph assigns it",
    metadata: "the property's description in the metadata says it is read-only",
    ...SERVER_SET,
  },
  types,
};
writeFileSync(OUTPUT, `${JSON.stringify(output, null, 2)}\n`);
execFileSync(path.resolve(import.meta.dirname, "../node_modules/.bin/biome"), ["format", "--write", OUTPUT]);
console.log(`${Object.keys(types).length} types from ${pkg.name}@${pkg.version} written to ${OUTPUT}`);
