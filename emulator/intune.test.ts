import { describe, expect, it } from "vitest";
import metadata from "@/lib/graph/writable-properties.generated.json";
import { seedGroups } from "./groups";
import { policyView, seedPolicies } from "./intune";
import { createProblem } from "./intune-create";
import { policyMix } from "./server";

const TYPES: Record<string, { writable: string[]; readOnly: string[] } | undefined> = metadata.types;
const policies = seedPolicies(3, "test", seedGroups(3, "test", 20), {
  deviceConfigurations: 16,
  deviceCompliancePolicies: 16,
  configurationPolicies: 12,
});

describe("seeded policies", () => {
  it("carry only properties their type has in Microsoft's metadata, read-only ones included as a tenant returns them", () => {
    for (const policy of policies) {
      const type = TYPES[String(policy.body["@odata.type"])]!;
      const known = [...type.writable, ...type.readOnly];
      expect(Object.keys(policy.body).filter((key) => !key.startsWith("@") && !known.includes(key))).toEqual([]);
    }
    const config = policies.find((p) => p.family === "deviceConfigurations")!;
    expect(config.body).toMatchObject({ supportsScopeTags: true, roleScopeTagIds: ["0"] });
  });

  it("give every compliance policy exactly one block action, with grace periods, notifications and retires among them", () => {
    const compliance = policies.filter((p) => p.family === "deviceCompliancePolicies");
    const actions = compliance.map((p) => p.scheduledActionsForRule!.flatMap((r) => r.scheduledActionConfigurations));
    expect(actions.every((a) => a.filter((x) => x.actionType === "block").length === 1)).toBe(true);
    const all = actions.flat();
    expect(new Set(all.map((a) => a.actionType))).toEqual(new Set(["block", "notification", "retire"]));
    expect(all.some((a) => a.actionType === "block" && a.gracePeriodHours > 0)).toBe(true);
    expect(all.filter((a) => a.actionType === "notification").every((a) => a.notificationTemplateId)).toBe(true);
  });

  it("would each be refused by a create as they are read (read-only properties), and accepted without them", () => {
    const config = policies.find((p) => p.family === "deviceConfigurations")!;
    expect(createProblem("deviceConfigurations", config.body)).toMatchObject({ code: "NotSupported" });
    const { id, createdDateTime, lastModifiedDateTime, version, supportsScopeTags, ...writable } = config.body;
    expect([id, createdDateTime, lastModifiedDateTime, version, supportsScopeTags].every((v) => v !== undefined)).toBe(
      true,
    );
    expect(createProblem("deviceConfigurations", writable)).toBeUndefined();
  });
});

describe("policyView", () => {
  const compliance = policies.find((p) => p.family === "deviceCompliancePolicies")!;
  const context = "https://graph.example/beta/$metadata#deviceManagement/deviceCompliancePolicies('x')";

  it("shows a compliance policy's actions only when they are expanded, and their configurations only when those are", () => {
    expect(policyView(compliance, { context })).not.toHaveProperty("scheduledActionsForRule");
    const rules = policyView(compliance, { context, expand: "scheduledActionsForRule" }) as Record<string, unknown>;
    expect((rules.scheduledActionsForRule as object[])[0]).not.toHaveProperty("scheduledActionConfigurations");
    const full = policyView(compliance, {
      context,
      expand: "assignments,scheduledActionsForRule($expand=scheduledActionConfigurations)",
    }) as Record<string, unknown>;
    expect(full["scheduledActionsForRule@odata.context"]).toBe(`${context}/scheduledActionsForRule`);
    expect(full.scheduledActionsForRule).toEqual(
      compliance.scheduledActionsForRule!.map((r) => ({
        ...r,
        "scheduledActionConfigurations@odata.context": `${context}/scheduledActionsForRule('${r.id}')/scheduledActionConfigurations`,
      })),
    );
  });

  it("derives a settings catalog policy's read-only isAssigned from its assignments", () => {
    const catalog = policies.filter((p) => p.family === "configurationPolicies");
    for (const p of catalog) expect(policyView(p, { context }).isAssigned).toBe(p.assignments.length > 0);
  });
});

describe("the emulator's mix of Intune objects", () => {
  it("gives every total exactly, never a negative count (a small last collection took the rounding before)", () => {
    for (let total = 0; total <= 2_000; total++) {
      const counts = Object.values(policyMix(total));
      expect(counts.reduce((a, b) => a + b, 0)).toBe(total);
      expect(Math.min(...counts)).toBeGreaterThanOrEqual(0);
    }
  });
});
