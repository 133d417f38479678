import { describe, expect, it } from "vitest";
import { type BackedUpValue, definitionValuesUpdate } from "./definition-values";

const value = (id: string, policyType: string, extra: Partial<BackedUpValue> = {}): BackedUpValue => ({
  "@odata.type": "#microsoft.graph.groupPolicyDefinitionValue",
  id: `value-${id}`,
  enabled: true,
  configurationType: "policy",
  createdDateTime: "2024-01-01T00:00:00Z",
  lastModifiedDateTime: "2024-01-01T00:00:00Z",
  definition: { id, displayName: `Policy ${id}`, categoryPath: "\\Imported", policyType },
  presentationValues: [
    {
      "@odata.type": "#microsoft.graph.groupPolicyPresentationValueDecimal",
      id: `pv-${id}`,
      value: 7,
      lastModifiedDateTime: "2024-01-01T00:00:00Z",
      presentation: { id: `pres-${id}` },
    },
    // A kind the metadata does not list: not guessed at.
    { "@odata.type": "#microsoft.graph.groupPolicyPresentationValueFuture", id: "f", presentation: { id: "p" } },
  ],
  ...extra,
});
const GRAPH = "https://graph.example";

describe("definitionValuesUpdate", () => {
  it("binds each value to its definition and presentations, with only what a create may carry", () => {
    const { body, leftOut } = definitionValuesUpdate([value("d1", "admxBacked")], {
      present: new Set(),
      crossTenant: true,
      graphUrl: GRAPH,
    });
    expect(leftOut).toEqual([]);
    expect(body).toEqual({
      added: [
        {
          enabled: true,
          configurationType: "policy",
          "definition@odata.bind": `${GRAPH}/beta/deviceManagement/groupPolicyDefinitions('d1')`,
          presentationValues: [
            {
              "@odata.type": "#microsoft.graph.groupPolicyPresentationValueDecimal",
              value: 7,
              "presentation@odata.bind": `${GRAPH}/beta/deviceManagement/groupPolicyDefinitions('d1')/presentations('pres-d1')`,
            },
          ],
        },
      ],
      updated: [],
      deletedIds: [],
    });
  });

  it("adds only what the configuration lacks: a retry after the values were set sends nothing", () => {
    const values = [value("d1", "admxBacked"), value("d2", "admxBacked")];
    const partly = definitionValuesUpdate(values, { present: new Set(["d1"]), crossTenant: false, graphUrl: GRAPH });
    expect(partly.body!.added.map((v) => v["definition@odata.bind"])).toEqual([
      `${GRAPH}/beta/deviceManagement/groupPolicyDefinitions('d2')`,
    ]);
    expect(
      definitionValuesUpdate(values, { present: new Set(["d1", "d2"]), crossTenant: false, graphUrl: GRAPH }).body,
    ).toBeNull();
  });

  it("leaves out and names an imported ADMX's value into another tenant (its ids are the source's), keeps it into the same one", () => {
    const values = [value("d1", "admxBacked"), value("lob", "admxIngested")];
    const across = definitionValuesUpdate(values, { present: new Set(), crossTenant: true, graphUrl: GRAPH });
    expect(across.body!.added).toHaveLength(1);
    expect(JSON.stringify(across.body)).not.toContain("lob");
    expect(across.leftOut).toEqual([
      "“\\Imported\\Policy lob” (an imported ADMX: import it in this tenant and set it again)",
    ]);
    const same = definitionValuesUpdate(values, { present: new Set(), crossTenant: false, graphUrl: GRAPH });
    expect(same.body!.added).toHaveLength(2);
    expect(same.leftOut).toEqual([]);
  });
});
