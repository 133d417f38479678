import { describe, expect, it } from "vitest";
import type { BackedUpValue } from "@/lib/intune/definition-values";
import { definitionValuesRevert } from "./revert-values";

const value = (id: string, definitionId: string, text: string): BackedUpValue => ({
  id,
  enabled: true,
  configurationType: "policy",
  definition: { id: definitionId, policyType: "admxBacked" },
  presentationValues: [
    {
      "@odata.type": "#microsoft.graph.groupPolicyPresentationValueText",
      id: `pv-${id}`,
      value: text,
      presentation: { id: `pres-${definitionId}`, label: "Name:" },
    },
  ],
});
const options = { crossTenant: false, graphUrl: "https://graph.example" };

describe("definitionValuesRevert", () => {
  it("deletes what differs or the baseline lacks, adds the baseline's in its place, keeps what matches", () => {
    const baseline = [value("b1", "d1", "x"), value("b2", "d2", "y")];
    const current = [value("c1", "d1", "x"), value("c2", "d2", "changed"), value("c3", "d3", "extra")];
    const { body } = definitionValuesRevert(baseline, current, options);
    expect(body!.deletedIds).toEqual(["c2", "c3"]);
    expect(body!.added.map((v) => v["definition@odata.bind"])).toEqual([
      "https://graph.example/beta/deviceManagement/groupPolicyDefinitions('d2')",
    ]);
  });

  it("sends nothing once the values match (a retried Revert after it applied)", () => {
    const baseline = [value("b1", "d1", "x")];
    expect(definitionValuesRevert(baseline, [value("c1", "d1", "x")], options).body).toBeNull();
  });
});
