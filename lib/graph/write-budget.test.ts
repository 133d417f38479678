import { describe, expect, it } from "vitest";
import { INTUNE_WRITE_RATE, isIntuneWrite } from "./write-budget";

describe("the Intune write budget", () => {
  it("counts writes under deviceManagement only", () => {
    const graph = "https://graph.microsoft.com/beta";
    expect(isIntuneWrite("POST", `${graph}/deviceManagement/deviceConfigurations`)).toBe(true);
    expect(isIntuneWrite("post", `${graph}/deviceManagement/configurationPolicies/x/assign`)).toBe(true);
    expect(isIntuneWrite("DELETE", `${graph}/deviceManagement/roleAssignments/x`)).toBe(true);
    expect(isIntuneWrite("GET", `${graph}/deviceManagement/deviceConfigurations`)).toBe(false);
    expect(isIntuneWrite(undefined, `${graph}/deviceManagement/deviceConfigurations`)).toBe(false);
    expect(isIntuneWrite("POST", `${graph}/groups`)).toBe(false);
  });

  it("admits fewer writes in any 20 s than Intune's 100 per app per tenant, with room to spare", () => {
    expect(INTUNE_WRITE_RATE.burst + INTUNE_WRITE_RATE.perSecond * 20).toBeLessThanOrEqual(80);
  });
});
