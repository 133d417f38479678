import { describe, expect, it } from "vitest";
import { diffContent } from "./diff";

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
    expect(diffContent({}, {})).toEqual([]);
    expect(diffContent(null, null)).toEqual([]);
  });

  it("tells a string from a number and null from false, since values compare as JSON", () => {
    expect(diffContent({ a: "1", b: null }, { a: 1, b: false })).toEqual([
      { path: "a", kind: "changed", before: '"1"', after: "1" },
      { path: "b", kind: "changed", before: "null", after: "false" },
    ]);
  });

  it("shows an emptied list or object as a value of its own, not as nothing", () => {
    expect(diffContent({ list: [1], obj: { k: true } }, { list: [], obj: {} })).toEqual([
      { path: "list", kind: "added", after: "[]" },
      { path: "list[0]", kind: "removed", before: "1" },
      { path: "obj", kind: "added", after: "{}" },
      { path: "obj.k", kind: "removed", before: "true" },
    ]);
  });

  it("compares lists by position: a reordering is a change at each moved index", () => {
    expect(diffContent({ ids: ["x", "y"] }, { ids: ["y", "x"] })).toEqual([
      { path: "ids[0]", kind: "changed", before: '"x"', after: '"y"' },
      { path: "ids[1]", kind: "changed", before: '"y"', after: '"x"' },
    ]);
  });

  it("reports a value that became an object as the old leaf removed and the new leaves added", () => {
    expect(diffContent({ a: 5 }, { a: { b: 5 } })).toEqual([
      { path: "a", kind: "removed", before: "5" },
      { path: "a.b", kind: "added", after: "5" },
    ]);
  });

  it("treats a whole-document scalar as the empty path", () => {
    expect(diffContent("v1", "v2")).toEqual([{ path: "", kind: "changed", before: '"v1"', after: '"v2"' }]);
  });
});
