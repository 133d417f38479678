import { describe, expect, it } from "vitest";
import type { RestorePlan } from "./plan";
import { mappingRows, previewSummary } from "./wizard-view";

const source = (id: string, name: string | null) => ({ id, name, usedBy: ["Policy A"] });

describe("mappingRows", () => {
  const groups = [source("s1", "Sales"), source("s2", "Finance"), source("s3", null)];
  const suggestions = { s1: { id: "t1", name: "Sales" }, s2: { id: "t2", name: "Finance" } };

  it("starts each picker with the URL's choice while it is still cached, else with the same-named group", () => {
    const rows = mappingRows(groups, {
      mapping: { s1: "t9", s2: "gone" },
      mappedNames: new Map([["t9", "Sales (EU)"]]),
      suggestions,
    });
    expect(rows.map((r) => [r.source.id, r.initial, r.hint])).toEqual([
      ["s1", { id: "t9", displayName: "Sales (EU)" }, undefined],
      // Mapped to a group that left the cache: the suggestion is offered, without calling it a suggestion.
      ["s2", { id: "t2", displayName: "Finance" }, undefined],
      ["s3", undefined, undefined],
    ]);
  });

  it("calls a same-named group a suggestion when the user has chosen nothing", () => {
    const rows = mappingRows(groups, { mapping: {}, mappedNames: new Map(), suggestions });
    expect(rows[0]!.hint).toBe("Suggested: the cached group with the same name.");
    expect(rows[2]!.initial).toBeUndefined();
  });
});

describe("previewSummary", () => {
  const item = (assignments: { action: "assign" | "skip"; skipReason?: string }[], scopeTagsLeftOut: string[] = []) =>
    ({
      backupItemId: "b",
      family: "deviceConfiguration",
      name: "P",
      content: {},
      assignments,
      scopeTagsLeftOut,
    }) as unknown as RestorePlan["items"][number];

  it("counts policies, assignments and skipped ones", () => {
    const plan = {
      items: [item([{ action: "assign" }, { action: "skip" }]), item([])],
      unmapped: [{}],
      blocked: false,
    } as unknown as RestorePlan;
    expect(previewSummary(plan)).toEqual({
      text: "2 policies will be created in this tenant · 1 assignment(s) · 1 skipped · 1 group(s) without a target",
      blockedReason: undefined,
    });
  });

  it("counts scope tags left out for want of a namesake", () => {
    const plan = {
      items: [item([{ action: "skip", skipReason: "filter" }], ["scope tag “Europe”"])],
      unmapped: [],
      blocked: false,
    } as unknown as RestorePlan;
    expect(previewSummary(plan).text).toBe(
      "1 policy will be created in this tenant · 0 assignment(s) · 1 skipped · 1 scope tag(s) left out",
    );
  });

  it("says why the start is blocked when unmapped groups block it", () => {
    const plan = { items: [item([{ action: "skip" }])], unmapped: [{}], blocked: true } as unknown as RestorePlan;
    expect(previewSummary(plan).text).toBe(
      "1 policy will be created in this tenant · 0 assignment(s) · 1 skipped · 1 group(s) without a target",
    );
    expect(previewSummary(plan).blockedReason).toBe(
      "1 group(s) have no target and you chose to block: map them or choose to skip.",
    );
  });
});
