import { describe, expect, it } from "vitest";
import { OMA_SECRET_MARKER } from "./oma-settings";
import { MASKED_SECRET, maskPolicySecrets, policyContentFor } from "./policy-masking";

const wifi = {
  "@odata.type": "#microsoft.graph.windowsWifiConfiguration",
  displayName: "Office Wi-Fi",
  ssid: "Contoso-Office",
  wifiSecurityType: "wpa2Personal",
  preSharedKey: "correct-horse-battery-staple",
  passwordRequired: true,
  passwordMinimumLength: 8,
  passwordRequiredType: "alphanumeric",
};

describe("maskPolicySecrets", () => {
  it("hides Wi-Fi and VPN keys and passwords, and keeps settings that only name a password", () => {
    const masked = maskPolicySecrets(wifi);
    expect(masked).toEqual({ ...wifi, preSharedKey: MASKED_SECRET });
    const vpn = maskPolicySecrets({
      servers: [{ address: "vpn.contoso.test", sharedSecret: "s3cret" }],
      eapConfiguration: { userPassword: "hunter2", certificate: { pfxBlob: "MIIKpQ==", privateKey: "-----BEGIN" } },
      password: "",
    });
    expect(JSON.stringify(vpn)).not.toMatch(/s3cret|hunter2|MIIKpQ|BEGIN/);
    expect(vpn).toMatchObject({ servers: [{ address: "vpn.contoso.test" }], password: "" });
  });

  it("hides settings-catalog secret values and encrypted OMA-URI values, and drops sealed plain texts", () => {
    const content = {
      settings: [
        {
          settingInstance: {
            simpleSettingValue: {
              "@odata.type": "#microsoft.graph.deviceManagementConfigurationSecretSettingValue",
              value: "onboarding-blob",
              valueState: "notEncrypted",
            },
          },
        },
      ],
      omaSettings: [
        { isEncrypted: true, secretReferenceValueId: "r1", value: "ciphertext" },
        { isEncrypted: true, secretReferenceValueId: "r2", value: OMA_SECRET_MARKER },
        { isEncrypted: false, secretReferenceValueId: null, value: 8 },
      ],
      "@tenantatlas.sealedSecrets": { r1: "sealed" },
    };
    const masked = maskPolicySecrets(content);
    expect(JSON.stringify(masked)).not.toMatch(/onboarding-blob|ciphertext|sealed"/);
    expect(masked.omaSettings).toEqual([
      { isEncrypted: true, secretReferenceValueId: "r1", value: MASKED_SECRET },
      { isEncrypted: true, secretReferenceValueId: "r2", value: OMA_SECRET_MARKER },
      { isEncrypted: false, secretReferenceValueId: null, value: 8 },
    ]);
    expect(content.omaSettings[0]!.value).toBe("ciphertext");
  });

  it("hides kiosk exit codes, product and workspace keys, custom payloads and VPN custom data; scripts unless kept", () => {
    const content = {
      kioskModeExitCode: "1234",
      productKey: "XXXXX-XXXXX",
      azureOperationalInsightsWorkspaceKey: "key==",
      payload: "PD94bWwgcGFzc3dvcmQ=",
      customData: [{ key: "token", value: "t0k3n" }],
      scriptContent: "JHBhc3N3b3JkID0gJ2h1bnRlcjIn",
      detectionScriptContent: "ZGV0ZWN0",
      remediationScriptContent: null,
    };
    const masked = maskPolicySecrets(content);
    expect(JSON.stringify(masked)).not.toMatch(/1234|XXXXX|key==|PD94|t0k3n|JHBh|ZGV0/);
    expect(masked.remediationScriptContent).toBeNull();
    const kept = maskPolicySecrets(content, { keepScripts: true });
    expect(kept).toMatchObject({ scriptContent: content.scriptContent, payload: MASKED_SECRET });
  });

  it("masks for viewers only", () => {
    expect(policyContentFor("viewer", wifi).preSharedKey).toBe(MASKED_SECRET);
    expect(policyContentFor("operator", wifi).preSharedKey).toBe(wifi.preSharedKey);
    expect(policyContentFor("owner", wifi).preSharedKey).toBe(wifi.preSharedKey);
  });
});
