import { describe, expect, it } from "vitest";
import { cursorSchema } from "./pagination";

describe("cursorSchema", () => {
  it("accepts the cursor a page hands out", () => {
    expect(cursorSchema.safeParse("1764364800123456_3f0c1a52-5d0e-4c2a-9b1e-0a8f6d2c4b7e").success).toBe(true);
  });

  it("refuses cursors PostgreSQL's casts would fail on", () => {
    for (const hostile of [
      "1_------------------------------------",
      "1_3f0c1a525d0e4c2a9b1e0a8f6d2c4b7e----",
      "123456789012345678901234567890_3f0c1a52-5d0e-4c2a-9b1e-0a8f6d2c4b7e",
      "_3f0c1a52-5d0e-4c2a-9b1e-0a8f6d2c4b7e",
    ]) {
      expect(cursorSchema.safeParse(hostile).success, hostile).toBe(false);
    }
  });
});
