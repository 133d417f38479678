import { describe, expect, it } from "vitest";
import { OMA_SECRET_MARKER, SEALED_SECRETS_KEY } from "@/lib/secrets/oma-settings";
import { ItemRefusal } from "./item-refusal";
import { secretRefusal, tokenSecretSettings, withOmaPlaintexts } from "./secrets";

const secret = (value: string, valueState = "encryptedValueToken") => ({
  "@odata.type": "#microsoft.graph.deviceManagementConfigurationSecretSettingValue",
  value,
  valueState,
});

describe("settings-catalog secrets", () => {
  it("names every setting whose secret is a token, nested children included", () => {
    const settings = [
      { settingInstance: { settingDefinitionId: "top", simpleSettingValue: secret("tok-1") } },
      {
        settingInstance: {
          settingDefinitionId: "parent",
          choiceSettingValue: {
            children: [{ settingDefinitionId: "child", simpleSettingValue: secret("tok-2") }],
          },
        },
      },
      { settingInstance: { settingDefinitionId: "plain", simpleSettingValue: secret("x", "notEncrypted") } },
    ];
    expect(tokenSecretSettings(settings)).toEqual(["top", "child"]);
    expect(secretRefusal({ family: "settings_catalog", content: { settings } })).toBe(
      "Not restored: its secret setting(s) top, child must be re-entered. Graph hands secret values out only as encrypted tokens, which it does not accept when a policy is created.",
    );
  });
});

describe("encrypted OMA-URI settings", () => {
  const encrypted = {
    "@odata.type": "#microsoft.graph.omaSettingString",
    omaUri: "./Device/A",
    value: OMA_SECRET_MARKER,
    isEncrypted: true,
    secretReferenceValueId: "ref-1",
  };
  const xml = {
    ...encrypted,
    "@odata.type": "#microsoft.graph.omaSettingStringXml",
    omaUri: "./Device/B",
    secretReferenceValueId: "ref-2",
  };
  const plain = {
    "@odata.type": "#microsoft.graph.omaSettingInteger",
    omaUri: "./Device/C",
    value: 3,
    isEncrypted: false,
    secretReferenceValueId: null,
  };
  const content = { omaSettings: [encrypted, xml, plain], [SEALED_SECRETS_KEY]: { "ref-1": "s1", "ref-2": "s2" } };

  it("posts the opened plain text (base64 for XML) without the read-only encryption fields or the sealed values", () => {
    const body = withOmaPlaintexts(
      { displayName: "P", ...content },
      {
        content,
        openSealed: (reference, sealed) => `${reference}:${sealed}:plain <x/>`,
      },
    );
    expect(body).toEqual({
      displayName: "P",
      omaSettings: [
        { "@odata.type": "#microsoft.graph.omaSettingString", omaUri: "./Device/A", value: "ref-1:s1:plain <x/>" },
        {
          "@odata.type": "#microsoft.graph.omaSettingStringXml",
          omaUri: "./Device/B",
          value: Buffer.from("ref-2:s2:plain <x/>").toString("base64"),
        },
        { "@odata.type": "#microsoft.graph.omaSettingInteger", omaUri: "./Device/C", value: 3 },
      ],
    });
  });

  it("knows the encrypted settings from the backup even when the body lost the encryption fields", () => {
    const trimmed = {
      omaSettings: content.omaSettings.map((setting) => {
        const rest: Record<string, unknown> = { ...setting };
        delete rest.isEncrypted;
        delete rest.secretReferenceValueId;
        return rest;
      }),
    };
    const body = withOmaPlaintexts(trimmed, { content, openSealed: () => "plain" });
    expect((body.omaSettings as { value: unknown }[]).map((s) => s.value)).toEqual([
      "plain",
      Buffer.from("plain").toString("base64"),
      3,
    ]);
    expect(() => withOmaPlaintexts(trimmed, { content: { omaSettings: [] }, openSealed: () => "plain" })).toThrow(
      ItemRefusal,
    );
  });

  it("refuses an item whose backup holds no plain text, or whose seal does not open", () => {
    const unsealed = { omaSettings: [encrypted, plain] };
    expect(secretRefusal({ family: "device_configuration", content: unsealed })).toBe(
      "Not restored: this backup holds no plain text for its encrypted OMA-URI setting(s) ./Device/A; take a new backup of the policy.",
    );
    expect(secretRefusal({ family: "device_configuration", content })).toBeUndefined();
    expect(() =>
      withOmaPlaintexts(content, {
        content,
        openSealed: () => {
          throw new Error("bad tag");
        },
      }),
    ).toThrow(ItemRefusal);
  });
});
