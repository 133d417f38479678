import { describe, expect, it } from "vitest";
import { mappingFrom, type WizardState, wizardFields, wizardHref, wizardState } from "./wizard";

const BACKUP = "5f0c1f7e-0000-4000-8000-000000000001";
const ITEMS = ["5f0c1f7e-0000-4000-8000-0000000000a1", "5f0c1f7e-0000-4000-8000-0000000000a2"];
const SOURCE = "5f0c1f7e-0000-4000-8000-0000000000b1";
const TARGET = "5f0c1f7e-0000-4000-8000-0000000000c1";

/** A query string as Next hands it to a page: one value, or an array for a repeated name. */
function paramsOf(href: string) {
  const params: Record<string, string | string[]> = {};
  for (const [name, value] of new URL(href, "http://console.test").searchParams) {
    const seen = params[name];
    params[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return params;
}

describe("wizardState", () => {
  it("starts at choosing a backup, with nothing chosen and unmapped groups skipped", () => {
    expect(wizardState({})).toEqual({
      step: "backup",
      backupSetId: undefined,
      itemIds: [],
      mapping: {},
      unmapped: "skip",
    });
  });

  it("never shows a step whose earlier choices are missing, whatever the URL asks for", () => {
    expect(wizardState({ step: "preview", item: ITEMS }).step).toBe("backup");
    expect(wizardState({ backup: BACKUP, step: "preview" }).step).toBe("items");
    expect(wizardState({ backup: BACKUP, step: "map" }).step).toBe("items");
  });

  it("goes to the step asked for once a backup and items are chosen, and to items when none is asked", () => {
    const chosen = { backup: BACKUP, item: ITEMS };
    expect(wizardState(chosen).step).toBe("items");
    expect(wizardState({ ...chosen, step: "backup" }).step).toBe("items");
    // The mapping step's Back link: the chosen items stay, the step goes back.
    expect(wizardState({ ...chosen, step: "items" }).step).toBe("items");
    expect(wizardState({ ...chosen, step: "map" }).step).toBe("map");
    expect(wizardState({ ...chosen, step: "preview" }).step).toBe("preview");
  });

  it("reads a single value as a list of one, and takes the first of repeated single-valued names", () => {
    const state = wizardState({
      backup: [BACKUP, "other"],
      item: ITEMS[0],
      step: ["preview", "map"],
      unmapped: ["block", "skip"],
    });
    expect(state).toMatchObject({ backupSetId: BACKUP, itemIds: [ITEMS[0]], step: "preview", unmapped: "block" });
  });

  it("blocks on unmapped groups only when asked with exactly 'block'", () => {
    expect(wizardState({ unmapped: "block" }).unmapped).toBe("block");
    for (const other of ["skip", "BLOCK", "", "yes"]) expect(wizardState({ unmapped: other }).unmapped).toBe("skip");
  });
});

describe("mappingFrom", () => {
  it("reads source:target pairs and drops any pair that is not exactly two non-empty ids", () => {
    expect(mappingFrom([`${SOURCE}:${TARGET}`, "lonely", "a:", ":b", "a:b:c", ""])).toEqual({ [SOURCE]: TARGET });
  });

  it("lets a later pair for the same source group win", () => {
    expect(mappingFrom(["s:t1", "s:t2"])).toEqual({ s: "t2" });
  });

  it("keeps a hostile '__proto__' source as plain data instead of changing the object's prototype", () => {
    const mapping = mappingFrom(["__proto__:polluted"]);
    expect(Object.keys(mapping)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(mapping)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("wizardFields and wizardHref", () => {
  const state: WizardState = {
    step: "preview",
    backupSetId: BACKUP,
    itemIds: ITEMS,
    mapping: { [SOURCE]: TARGET },
    unmapped: "block",
  };

  it("encode the state as the name/value pairs wizardState reads, without the step", () => {
    expect(wizardFields(state)).toEqual([
      ["backup", BACKUP],
      ["item", ITEMS[0]],
      ["item", ITEMS[1]],
      ["map", `${SOURCE}:${TARGET}`],
      ["unmapped", "block"],
    ]);
  });

  it("leave out what a step's own form fields carry", () => {
    expect(wizardFields(state, ["item", "map", "unmapped"])).toEqual([["backup", BACKUP]]);
    expect(wizardFields(state, ["map"]).map(([name]) => name)).toEqual(["backup", "item", "item", "unmapped"]);
  });

  it("round-trip through the URL: the page reads back the state a link wrote", () => {
    const href = wizardHref("tenant-1", state);
    expect(href.startsWith("/t/tenant-1/restores/new?")).toBe(true);
    expect(wizardState(paramsOf(href))).toEqual(state);
    const mapStep = { ...state, step: "map" as const, unmapped: "skip" as const };
    expect(wizardState(paramsOf(wizardHref("tenant-1", mapStep)))).toEqual(mapStep);
  });

  it("write only what is set", () => {
    expect(paramsOf(wizardHref("tenant-1", { backupSetId: BACKUP, step: "items" }))).toEqual({
      backup: BACKUP,
      step: "items",
    });
    expect(wizardFields({})).toEqual([]);
  });
});
