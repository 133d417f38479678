import { describe, expect, it } from "vitest";
import { type EmulatedPolicy, seedPolicies } from "./intune";
import { applyUpdate, churn, updateProblem } from "./intune-update";

const policies = seedPolicies(7, "update-test", [], {
  deviceConfigurations: 1,
  deviceCompliancePolicies: 1,
  configurationPolicies: 1,
});
const of = (family: EmulatedPolicy["family"]) => structuredClone(policies.find((p) => p.family === family)!);

describe("updating a policy in place", () => {
  it("device configurations: PATCH needs the policy's @odata.type, keeps what it leaves out and bumps version", () => {
    const policy = of("deviceConfigurations");
    const type = String(policy.body["@odata.type"]);
    expect(updateProblem(policy, { passwordMinimumLength: 9 }, "PATCH")?.message).toMatch(/@odata.type/);
    expect(
      updateProblem(policy, { "@odata.type": "#microsoft.graph.iosGeneralDeviceConfiguration" }, "PATCH")?.code,
    ).toBe("BadRequest");
    expect(updateProblem(policy, { "@odata.type": type, version: 3 }, "PATCH")?.code).toBe("NotSupported");
    expect(updateProblem(policy, { "@odata.type": type, passwordMinimumLength: 9 }, "PUT")).toBeDefined();
    const before = { ...policy.body };
    expect(updateProblem(policy, { "@odata.type": type, passwordMinimumLength: 9 }, "PATCH")).toBeUndefined();
    applyUpdate(policy, { "@odata.type": type, passwordMinimumLength: 9 }, "PATCH");
    expect(policy.body).toMatchObject({ id: before.id, displayName: before.displayName, passwordMinimumLength: 9 });
    expect(policy.body.version).toBe(Number(before.version) + 1);
  });

  it("compliance: scheduled actions are not part of a PATCH", () => {
    const policy = of("deviceCompliancePolicies");
    const type = String(policy.body["@odata.type"]);
    expect(updateProblem(policy, { "@odata.type": type, scheduledActionsForRule: [] }, "PATCH")?.code).toBe(
      "NotSupported",
    );
  });

  it("settings catalog: PATCH takes no settings; PUT replaces the policy and all its settings, same id", () => {
    const policy = of("configurationPolicies");
    const settings = [{ settingInstance: { settingDefinitionId: "only_one" } }];
    expect(updateProblem(policy, { settings }, "PATCH")?.code).toBe("NotSupported");
    expect(updateProblem(policy, { name: "x" }, "PUT")?.message).toMatch(/all its settings/);
    const body = { name: "Renamed", platforms: "windows10", technologies: "mdm", settings };
    expect(updateProblem(policy, body, "PUT")).toBeUndefined();
    const id = policy.body.id;
    applyUpdate(policy, body, "PUT");
    expect(policy.body).toMatchObject({ id, name: "Renamed", settingCount: 1 });
    expect(policy.body.description).toBeUndefined(); // a PUT replaces: what it leaves out is gone
    expect(policy.settings).toEqual([{ settingInstance: { settingDefinitionId: "only_one" }, id: "0" }]);
  });

  it("the volatile switch moves only what Graph sets itself", () => {
    const policy = of("configurationPolicies");
    const before = structuredClone(policy);
    churn(policy);
    expect(policy.body["@odata.etag"]).toBeDefined();
    expect(policy.settings.map((s) => s.id)).not.toEqual(before.settings.map((s) => s.id));
    const strip = (p: EmulatedPolicy) => p.settings.map((s) => JSON.stringify(s.settingInstance)).sort();
    expect(strip(policy)).toEqual(strip(before));
    expect(policy.body.name).toBe(before.body.name);
  });
});
