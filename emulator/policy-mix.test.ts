import { describe, expect, it } from "vitest";
import { INTUNE_COLLECTIONS, INTUNE_TYPE_KEYS, type IntuneCollection, typeOfObject } from "@/lib/intune/types";
import { seedGroups } from "./groups";
import { seedPolicies } from "./intune";
import { COLLECTIONS } from "./intune-collections";
import { seedReferences } from "./references";
import { policyMix } from "./server";

/**
 * The benchmarks' tenants (BENCH=sync: EMULATOR_POLICIES=10,000; its smoke size 500) hold objects of
 * every type of the console's catalogue, each object classified the way a sync classifies it.
 */
describe("the emulator's spread of objects over the types", () => {
  it.each([518, 500, 10_000])("gives every type of the catalogue objects at %i a tenant, the total exact", (total) => {
    const groups = seedGroups(3, "bench", 50);
    const seeded = seedPolicies(3, "bench", groups, policyMix(total));
    // Every tenant also has its enrollment defaults (priority 0), made by Intune, not by the mix; Windows
    // Hello for Business exists only as one.
    const isDefault = (p: (typeof seeded)[number]) =>
      p.family === "deviceEnrollmentConfigurations" && p.body.priority === 0;
    expect(seeded.filter((p) => !isDefault(p))).toHaveLength(total);
    const perType = new Map<string, number>();
    for (const policy of seeded) {
      const { under } = COLLECTIONS[policy.family];
      const collection: IntuneCollection = INTUNE_COLLECTIONS.find((c) => c.path === `/${under}/${policy.family}`)!;
      const type = typeOfObject(collection, policy.body);
      // Kinds the console does not inventory (retired restrictions) are seeded too, as tenants have them.
      if (type) perType.set(type, (perType.get(type) ?? 0) + 1);
    }
    // Filters and scope tags are seeded apart from the mix, the same number in every tenant.
    const references = seedReferences(3, { key: "bench", displayName: "Bench" });
    const listed = [
      ...references.filters.map((f) => ({ path: "/deviceManagement/assignmentFilters", object: f })),
      ...references.scopeTags.map((t) => ({ path: "/deviceManagement/roleScopeTags", object: t })),
    ];
    for (const { path, object } of listed) {
      const type = typeOfObject(INTUNE_COLLECTIONS.find((c) => c.path === path)!, object);
      if (type) perType.set(type, (perType.get(type) ?? 0) + 1);
    }
    // Microsoft's Default tag is no type's: four custom tags, five filters.
    expect([perType.get("assignment_filter"), perType.get("scope_tag")]).toEqual([5, 4]);
    expect(INTUNE_TYPE_KEYS.filter((key) => !perType.get(key))).toEqual([]);
  });
});
