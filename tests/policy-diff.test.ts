import { describe, expect, it } from "vitest";
import { diffContent } from "@/lib/inventory/diff";

describe("policy version diff", () => {
  it("lists changed, added and removed values by path", () => {
    const before = {
      displayName: "Baseline",
      passwordMinimumLength: 8,
      settings: [{ id: "0", value: "a" }],
      assignments: [{ target: { groupId: "g1" } }],
    };
    const after = {
      displayName: "Baseline",
      passwordMinimumLength: 14,
      settings: [
        { id: "0", value: "b" },
        { id: "1", value: "c" },
      ],
      assignments: [],
    };
    expect(diffContent(before, after)).toEqual([
      { path: "assignments", kind: "added", after: "[]" },
      { path: "assignments[0].target.groupId", kind: "removed", before: '"g1"' },
      { path: "passwordMinimumLength", kind: "changed", before: "8", after: "14" },
      { path: "settings[0].value", kind: "changed", before: '"a"', after: '"b"' },
      { path: "settings[1].id", kind: "added", after: '"1"' },
      { path: "settings[1].value", kind: "added", after: '"c"' },
    ]);
  });

  it("finds nothing between equal contents, whatever the key order", () => {
    expect(diffContent({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
  });
});
