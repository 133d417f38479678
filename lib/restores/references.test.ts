import { describe, expect, it } from "vitest";
import { referencedGroupIds, referenceRefusal, withMappedGroupReferences } from "./references";

const across = { crossTenant: true, mapping: {} };
const notify = (cc: string[], template = "") => ({
  "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
  scheduledActionsForRule: [
    {
      ruleName: "PasswordRequired",
      scheduledActionConfigurations: [
        { actionType: "notification", notificationTemplateId: template, notificationMessageCCList: cc },
      ],
    },
  ],
});

describe("referenceRefusal", () => {
  it("leaves scope tags to the mapping by name, ignores an empty template, and names every other reference", () => {
    expect(
      referenceRefusal({ family: "settings_catalog", content: { roleScopeTagIds: ["0"] } }, across),
    ).toBeUndefined();
    expect(
      referenceRefusal({ family: "compliance", content: notify([], "00000000-0000-0000-0000-000000000000") }, across),
    ).toBeUndefined();
    expect(
      referenceRefusal(
        { family: "compliance", content: { roleScopeTagIds: ["0", "3", "7"], ...notify([], "t1") } },
        across,
      ),
    ).toBe(
      "Not restored: it uses notification message template t1, which the source tenant's inventory does not name; sync that tenant's inventory and plan the restore again.",
    );
  });

  it("maps a notification's template to the target's one namesake, and names what is missing otherwise", () => {
    const content = notify([], "t1");
    const templates = (targetIds: string[]) => new Map([["t1", { name: "First notice", targetIds }]]);
    const refusal = (targetIds: string[]) =>
      referenceRefusal({ family: "compliance", content }, { ...across, templates: templates(targetIds) });
    expect(refusal(["u1"])).toBeUndefined();
    expect(refusal([])).toBe(
      "Not restored: it uses notification message template “First notice” of the source tenant, and this tenant's inventory holds no template of that name; create or restore it here, sync the inventory, then restore the policy.",
    );
    expect(refusal(["u1", "u2"])).toBe(
      "Not restored: it uses notification message template “First notice” of the source tenant, and 2 templates of this tenant's inventory share that name; rename all but one, sync the inventory, then restore the policy.",
    );
    const action = (body: Record<string, unknown>) =>
      (body as ReturnType<typeof notify>).scheduledActionsForRule[0]!.scheduledActionConfigurations[0]!;
    expect(action(withMappedGroupReferences(content, {}, templates(["u1"]))).notificationTemplateId).toBe("u1");
    // Into the same tenant (no matches given) the id is kept.
    expect(action(withMappedGroupReferences(content, {})).notificationTemplateId).toBe("t1");
  });

  it("keeps every reference into the same tenant", () => {
    const content = { roleScopeTagIds: ["3"], ...notify(["g1"], "t1") };
    expect(referenceRefusal({ family: "compliance", content }, { crossTenant: false, mapping: {} })).toBeUndefined();
  });

  it("accepts a group named outside the assignments once the mapping gives it a target", () => {
    const content = notify(["g1"]);
    expect(referencedGroupIds("compliance", content)).toEqual(["g1"]);
    expect(referenceRefusal({ family: "compliance", content }, across)).toBe(
      "Not restored: it uses group g1 (a notification's CC list) of the source tenant; map that group to restore it.",
    );
    expect(referenceRefusal({ family: "compliance", content }, { crossTenant: true, mapping: { g1: "t9" } })).toBe(
      undefined,
    );
    const body = withMappedGroupReferences(content, { g1: "t9" }) as ReturnType<typeof notify>;
    expect(body.scheduledActionsForRule[0]!.scheduledActionConfigurations[0]!.notificationMessageCCList).toEqual([
      "t9",
    ]);
  });

  it("refuses certificate-linked profiles everywhere: the backup does not hold the relationship", () => {
    const content = { "@odata.type": "#microsoft.graph.iosScepCertificateProfile" };
    const refusal =
      "Not restored: it uses the certificate profile(s) of its rootCertificate relationship; backups do not hold certificate relationships yet.";
    expect(referenceRefusal({ family: "device_configuration", content }, across)).toBe(refusal);
    expect(referenceRefusal({ family: "device_configuration", content }, { crossTenant: false, mapping: {} })).toBe(
      refusal,
    );
  });

  it("finds kiosk accounts: groups can be mapped, users cannot", () => {
    const content = {
      kioskProfiles: [
        {
          userAccountsConfiguration: [
            { "@odata.type": "#microsoft.graph.windowsKioskAzureADGroup", groupId: "g2", displayName: "Kiosk" },
            { "@odata.type": "#microsoft.graph.windowsKioskAzureADUser", userId: "u1" },
          ],
        },
      ],
    };
    expect(referencedGroupIds("device_configuration", content)).toEqual(["g2"]);
    expect(
      referenceRefusal({ family: "device_configuration", content }, { crossTenant: true, mapping: { g2: "t2" } }),
    ).toBe("Not restored: it uses user u1 (a kiosk profile's account) of the source tenant; users are not mapped.");
    expect(JSON.stringify(withMappedGroupReferences(content, { g2: "t2" }))).toContain('"groupId":"t2"');
  });
});
