import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildDirectory } from "@/emulator/directory";
import { claimEmulatedTenant, claimEmulatedTenants, EMULATOR_SEED, TENANT_CLAIMS, tenantOwners } from "./tenants";

const directory = buildDirectory(EMULATOR_SEED);
const keys = directory.map((t) => t.key);
// Claims are keyed by the test file's path under tests/, as import.meta.url gives it.
const testFile = (name: string) => new URL(`../${name}`, import.meta.url).href;

describe("emulated tenant claims", () => {
  it("gives every test file its own tenants, and every listed file exists", () => {
    const owners = tenantOwners();
    const claimed = Object.values(TENANT_CLAIMS).flat();
    expect(owners.size).toBe(claimed.length);
    for (const file of Object.keys(TENANT_CLAIMS))
      expect(existsSync(new URL(`../${file}`, import.meta.url))).toBe(true);
  });

  it("hands a file the tenants it is listed with, in order", () => {
    const claims = { "a.test.ts": [keys[2]!, keys[0]!], "b.test.ts": [keys[1]!] };
    const [first, second] = claimEmulatedTenants(testFile("a.test.ts"), 2, { claims, directory });
    expect([first.key, second.key]).toEqual([keys[2], keys[0]]);
    expect(first.tenantId).toBe(directory[2]!.tenantId);
    expect(claimEmulatedTenant(testFile("b.test.ts"), { claims, directory }).key).toBe(keys[1]);
  });

  it("refuses a second claim of the same tenant, naming both files and the free tenants", () => {
    const claims = { "a.test.ts": [keys[0]!], "b.test.ts": [keys[1]!, keys[0]!] };
    // Both files are refused: neither can run while the list is wrong.
    for (const file of ["a.test.ts", "b.test.ts"]) {
      expect(() => claimEmulatedTenants(testFile(file), 1, { claims, directory })).toThrow(
        `Emulated tenant "${keys[0]}" is claimed by both a.test.ts and b.test.ts`,
      );
    }
    expect(() => tenantOwners(claims, directory)).toThrow(`Free tenants: ${keys.slice(2).join(", ")}.`);
  });

  it("refuses a file that is not in the list, and suggests free tenants for it", () => {
    const claims = { "a.test.ts": [keys[0]!] };
    expect(() => claimEmulatedTenants(testFile("new.test.ts"), 2, { claims, directory })).toThrow(
      `new.test.ts claims no emulated tenant: add "new.test.ts": ["${keys[1]}", "${keys[2]}"] to TENANT_CLAIMS`,
    );
  });

  it("tells the developer to grow the emulator's seed when its tenants run out", () => {
    const claims = { "a.test.ts": keys.slice(0, -1) };
    expect(() => claimEmulatedTenants(testFile("new.test.ts"), 2, { claims, directory })).toThrow(
      "new.test.ts claims no emulated tenant. The emulator has no free tenant left: add one to DEMO_ORGS in emulator/directory.ts.",
    );
    expect(() => tenantOwners({ "a.test.ts": ["nowhere"] }, directory)).toThrow(
      `a.test.ts claims emulated tenant "nowhere", which the emulator does not have.`,
    );
  });

  it("refuses a file that asks for a different number of tenants than it is listed with", () => {
    const claims = { "a.test.ts": [keys[0]!, keys[1]!] };
    expect(() => claimEmulatedTenant(testFile("a.test.ts"), { claims, directory })).toThrow(
      "a.test.ts asks for 1 emulated tenant(s), but tests/support/tenants.ts gives it 2.",
    );
  });
});
