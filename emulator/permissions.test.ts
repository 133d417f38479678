import { describe, expect, it } from "vitest";
import { createEmulatorApp, type EmulatorState } from "./app";
import { PERMISSION_RULES, permissionRuleFor } from "./permissions";

describe("the emulator's permission table", () => {
  // Routes are only registered here, never called, so an empty state will do.
  const graphRoutes = createEmulatorApp({} as EmulatorState)
    .routes.filter((r) => r.method !== "ALL" && /^\/(v1\.0|beta)\//.test(r.path))
    .map((r) => ({ method: r.method, path: r.path.replace(/:[^/]+/g, "3f2504e0-4f89-41d3-9a0c-0305e82c3301") }));

  it("has a row, with its source, for every Graph route the emulator serves", () => {
    expect(graphRoutes.length).toBeGreaterThan(20);
    const missing = graphRoutes.filter((r) => !permissionRuleFor(r.method, r.path));
    expect(missing).toEqual([]);
    for (const rule of PERMISSION_RULES) expect(rule.source).toMatch(/^https:\/\/learn\.microsoft\.com\/graph\/api\//);
  });

  it("tells reads from writes and follows the path segment by segment", () => {
    expect(permissionRuleFor("GET", "/beta/deviceManagement/deviceConfigurations/x/assignments")?.application).toEqual([
      "DeviceManagementConfiguration.Read.All",
      "DeviceManagementConfiguration.ReadWrite.All",
    ]);
    expect(permissionRuleFor("POST", "/v1.0/deviceManagement/deviceCompliancePolicies/x/assign")?.application).toEqual([
      "DeviceManagementConfiguration.ReadWrite.All",
    ]);
    expect(permissionRuleFor("GET", "/v1.0/groups/delta")?.source).toMatch(/group-delta$/);
    expect(permissionRuleFor("GET", "/v1.0/groups/abc")?.source).toMatch(/group-get$/);
    expect(permissionRuleFor("GET", "/v1.0/deviceManagement")?.family).toBe("intune");
    expect(permissionRuleFor("POST", "/v1.0/organization")).toBeUndefined();
    expect(permissionRuleFor("GET", "/v1.0/users")).toBeUndefined();
  });

  it("asks DeviceManagementScripts for scripts and remediations, as their pages do since July 2025", () => {
    for (const collection of ["deviceManagementScripts", "deviceShellScripts", "deviceHealthScripts"]) {
      expect(permissionRuleFor("GET", `/beta/deviceManagement/${collection}/x/assignments`)?.application).toEqual([
        "DeviceManagementScripts.Read.All",
        "DeviceManagementScripts.ReadWrite.All",
      ]);
      expect(permissionRuleFor("POST", `/beta/deviceManagement/${collection}/x/assign`)?.application).toEqual([
        "DeviceManagementScripts.ReadWrite.All",
      ]);
    }
  });

  it("asks the write permission for reading a secret's plain text, as its reference page does", () => {
    const path =
      "/beta/deviceManagement/deviceConfigurations/x/getOmaSettingPlainTextValue(secretReferenceValueId='y')";
    expect(permissionRuleFor("GET", path)?.application).toEqual(["DeviceManagementConfiguration.ReadWrite.All"]);
  });
});
