import { describe, expect, it } from "vitest";
import { carriesMarker, createKey, markerOf, withMarker } from "./create-marker";

const id = "0b9f3a52-8c1e-4f0a-9d55-2f4c1b7e6a10";
const earlier = "[TenantAtlas:11111111-2222-4333-8444-555555555555]";

describe("create markers", () => {
  it("ends the description with the marker, and is the whole description when there was none", () => {
    expect(withMarker("Baseline for kiosks", markerOf(id))).toBe(`Baseline for kiosks [TenantAtlas:${id}]`);
    expect(withMarker(null, markerOf(id))).toBe(`[TenantAtlas:${id}]`);
    expect(withMarker("", markerOf(id))).toBe(`[TenantAtlas:${id}]`);
  });

  it("replaces the marker of an earlier create (a backup of a restored policy carries one)", () => {
    const restoredAgain = withMarker(`Baseline ${earlier}`, markerOf(id));
    expect(restoredAgain).toBe(`Baseline [TenantAtlas:${id}]`);
    expect(carriesMarker({ description: restoredAgain }, markerOf(id))).toBe(true);
    expect(carriesMarker({ description: restoredAgain }, earlier)).toBe(false);
    expect(carriesMarker({}, markerOf(id))).toBe(false);
  });

  it("keys the same work the same way, and different work differently", () => {
    expect(createKey({ item: "a", mapping: { x: "y" } })).toBe(createKey({ item: "a", mapping: { x: "y" } }));
    expect(createKey({ item: "a", mapping: { x: "y" } })).not.toBe(createKey({ item: "a", mapping: { x: "z" } }));
  });
});
