import { describe, expect, it } from "vitest";
import { nodeVersionProblem } from "./node-version";

describe("nodeVersionProblem", () => {
  it("names the version needed and how to get it when Node.js is older", () => {
    expect(nodeVersionProblem("20.19.5", ">=22.19")).toMatch(/needs Node\.js 22\.19 or newer; this is 20\.19\.5/);
    expect(nodeVersionProblem("22.18.9", ">=22.19")).toMatch(/\.nvmrc/);
  });
  it("accepts the minimum and anything newer", () => {
    for (const v of ["22.19.0", "22.23.3", "23.0.0", "24.1.0"])
      expect(nodeVersionProblem(v, ">=22.19")).toBeUndefined();
  });
  it("refuses an engines range it cannot read rather than guessing", () => {
    expect(() => nodeVersionProblem("22.19.0", "^22")).toThrow(/lower bound/);
  });
});
