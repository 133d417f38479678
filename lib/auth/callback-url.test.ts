import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-url";

const FALLBACK = "/tenants";

describe("safeCallbackPath", () => {
  it("keeps a path on the console, with its query", () => {
    expect(safeCallbackPath("/tenants/abc/runs?status=failed", FALLBACK)).toBe("/tenants/abc/runs?status=failed");
  });

  it("refuses what a browser would resolve to another origin", () => {
    for (const hostile of [
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "/\\/evil.example",
      "https://evil.example/tenants",
      "javascript:alert(1)",
      "evil.example",
    ]) {
      expect(safeCallbackPath(hostile, FALLBACK), hostile).toBe(FALLBACK);
    }
  });

  it("falls back when there is no single string", () => {
    expect(safeCallbackPath(undefined, FALLBACK)).toBe(FALLBACK);
    expect(safeCallbackPath(["/a", "/b"], FALLBACK)).toBe(FALLBACK);
  });

  it("drops the fragment and normalises dot segments instead of passing them on", () => {
    expect(safeCallbackPath("/tenants/../runs#x", FALLBACK)).toBe("/runs");
  });
});
