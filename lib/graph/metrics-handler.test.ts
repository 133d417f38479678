import { describe, expect, it } from "vitest";
import { graphRouteFamily } from "./metrics-handler";

describe("graphRouteFamily", () => {
  it("drops the version and ids, and keeps a namespace's collection", () => {
    const id = "0f8fad5b-d9cb-469f-a165-70867728950e";
    expect(graphRouteFamily("https://graph.microsoft.com/v1.0/organization?$select=id")).toBe("organization");
    expect(graphRouteFamily(`https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=x`)).toBe("groups");
    expect(graphRouteFamily(`https://graph.microsoft.com/v1.0/groups/${id}/members`)).toBe("groups");
    expect(
      graphRouteFamily(`https://graph.microsoft.com/beta/deviceManagement/configurationPolicies/${id}/settings`),
    ).toBe("deviceManagement/configurationPolicies");
    expect(
      graphRouteFamily(
        `https://graph.microsoft.com/beta/deviceManagement/deviceConfigurations/${id}/getOmaSettingPlainTextValue(secretReferenceValueId='x')`,
      ),
    ).toBe("deviceManagement/deviceConfigurations");
    expect(graphRouteFamily("https://graph.microsoft.com/beta/deviceManagement")).toBe("deviceManagement");
    expect(graphRouteFamily("https://graph.microsoft.com/v1.0/")).toBe("root");
    expect(graphRouteFamily("not a url")).toBe("unknown");
  });
});
