import { createHash } from "node:crypto";
import type { Context, Hono } from "hono";
import type { EmulatorEnv, EmulatorState } from "./app";
import { seededGuid } from "./directory";
import { graphError } from "./graph-errors";
import type { EmulatedPolicy, PolicyFamily } from "./intune";

/**
 * Secrets inside Intune policies, as Graph hands them out (sources in docs/emulator.md):
 *
 * - Custom OMA-URI settings (`omaSettings` of the custom configuration types) come back encrypted:
 *   `isEncrypted: true`, a `secretReferenceValueId`, and ciphertext in `value`. The plain text is
 *   only available from the bound function `getOmaSettingPlainTextValue(secretReferenceValueId='…')`.
 *   A create that carries a `secretReferenceValueId` is refused ("SecretReferenceValueId invalid for
 *   create."); whatever string value a create carries becomes the setting's value, ciphertext included.
 * - Settings-catalog secret values (`deviceManagementConfigurationSecretSettingValue`) come back as a
 *   token (`valueState: encryptedValueToken`). A create must send the plain text (`notEncrypted`);
 *   a token is refused, whichever tenant issued it.
 *
 * The plain texts live beside the policy (`EmulatedPolicy.secrets`, by reference id or token), never
 * in what Graph returns.
 */

export const OMA_STRING = "#microsoft.graph.omaSettingString";
export const SECRET_SETTING_VALUE = "#microsoft.graph.deviceManagementConfigurationSecretSettingValue";
const CUSTOM_CONFIGURATION = "#microsoft.graph.windows10CustomConfiguration";

type OmaSetting = Record<string, unknown> & {
  "@odata.type"?: string;
  value?: unknown;
  isEncrypted?: boolean;
  secretReferenceValueId?: string | null;
};

/** What Graph shows in place of an encrypted value: opaque, stable while the value is, never the plain text. */
const ciphertextOf = (reference: string, plaintext: string) =>
  Buffer.from(createHash("sha512").update(`${reference}\0${plaintext}`).digest()).toString("base64");

/** An OMA string setting as Graph returns it once Intune holds `plaintext` for it. */
function encryptedOmaSetting(setting: OmaSetting, reference: string, plaintext: string): OmaSetting {
  return {
    ...setting,
    isEncrypted: true,
    secretReferenceValueId: reference,
    value: ciphertextOf(reference, plaintext),
  };
}

const omaSettingsOf = (body: Record<string, unknown>) =>
  Array.isArray(body.omaSettings) ? (body.omaSettings as OmaSetting[]) : [];

/** Every secret value object in a settings-catalog setting tree (nested children included). */
function secretValuesIn(node: unknown, found: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(node)) for (const child of node) secretValuesIn(child, found);
  else if (node && typeof node === "object") {
    const object = node as Record<string, unknown>;
    if (object["@odata.type"] === SECRET_SETTING_VALUE) found.push(object);
    for (const value of Object.values(object)) secretValuesIn(value, found);
  }
  return found;
}

// ── Seeds ───────────────────────────────────────────────────────────────────────────────────────

/**
 * Turns some of a tenant's seeded policies into ones that hold secrets: every twelfth Windows
 * configuration (from the ninth) becomes a custom OMA-URI profile with an encrypted string setting,
 * and every ninth Windows settings-catalog policy (from the fourth) gets the Defender onboarding
 * blob, a secret setting, as its first setting. Counts, names' order and assignments stay as they were.
 */
export function seedSecrets(policies: EmulatedPolicy[], { seed, tenantKey }: { seed: number; tenantKey: string }) {
  const configurations = policies.filter((p) => p.family === "deviceConfigurations");
  configurations.forEach((policy, i) => {
    if (i % 12 !== 8) return;
    const reference = seededGuid(seed, `oma-secret:${tenantKey}:${i}`);
    const plaintext = `Emulated-${tenantKey}-admin-password-${i}`;
    const { id, createdDateTime, lastModifiedDateTime, version } = policy.body;
    policy.body = {
      "@odata.type": CUSTOM_CONFIGURATION,
      id,
      displayName: `Windows custom OMA-URI ${String(i + 1).padStart(3, "0")}`,
      description: "Local administrator account",
      createdDateTime,
      lastModifiedDateTime,
      version,
      omaSettings: [
        encryptedOmaSetting(
          {
            "@odata.type": OMA_STRING,
            displayName: "Support admin password",
            description: null,
            omaUri: "./Device/Vendor/MSFT/Accounts/Users/SupportAdmin/Password",
          },
          reference,
          plaintext,
        ),
        {
          "@odata.type": "#microsoft.graph.omaSettingInteger",
          displayName: "Minimum PIN length",
          description: null,
          omaUri: "./Device/Vendor/MSFT/PassportForWork/PINComplexity/MinimumPINLength",
          isEncrypted: false,
          secretReferenceValueId: null,
          isReadOnly: false,
          value: 8,
        },
      ],
    };
    policy.secrets = { [reference]: plaintext };
  });
  const catalog = policies.filter((p) => p.family === "configurationPolicies");
  catalog.forEach((policy, i) => {
    if (i % 9 !== 3 || !policy.settings.length) return;
    const token = seededGuid(seed, `secret-token:${tenantKey}:${i}`);
    policy.settings[0] = {
      "@odata.type": "#microsoft.graph.deviceManagementConfigurationSetting",
      id: "0",
      settingInstance: {
        "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance",
        settingDefinitionId: "device_vendor_msft_windowsadvancedthreatprotection_onboarding",
        settingInstanceTemplateReference: null,
        simpleSettingValue: {
          "@odata.type": SECRET_SETTING_VALUE,
          settingValueTemplateReference: null,
          value: token,
          valueState: "encryptedValueToken",
        },
      },
    };
    policy.secrets = { [token]: `Emulated-${tenantKey}-onboarding-blob-${i}` };
  });
  return policies;
}

// ── Creates ─────────────────────────────────────────────────────────────────────────────────────

/** Why Graph would refuse the secrets in this create body (undefined when it would accept them). */
export function secretCreateProblem(
  family: PolicyFamily,
  body: Record<string, unknown>,
): { code: string; message: string } | undefined {
  if (family === "deviceConfigurations" && omaSettingsOf(body).some((s) => s.secretReferenceValueId))
    return { code: "NotSupported", message: "SecretReferenceValueId invalid for create." };
  if (
    family === "configurationPolicies" &&
    secretValuesIn(body.settings).some((v) => v.valueState === "encryptedValueToken")
  )
    return {
      code: "BadRequest",
      message:
        "A secret setting value must be sent in plain text (valueState 'notEncrypted'); an encrypted value token cannot be used to create a policy.",
    };
  return undefined;
}

/**
 * Stores the secrets of a policy just created the way Intune holds them: every OMA string value
 * (whatever was posted, ciphertext included) and every secret catalog value is kept as the plain
 * text and shown encrypted from now on.
 */
export function encryptCreatedSecrets(policy: EmulatedPolicy) {
  const secrets: Record<string, string> = {};
  if (policy.family === "deviceConfigurations" && Array.isArray(policy.body.omaSettings)) {
    policy.body.omaSettings = omaSettingsOf(policy.body).map((setting) => {
      if (setting["@odata.type"] !== OMA_STRING) return setting;
      const reference = crypto.randomUUID();
      secrets[reference] = String(setting.value ?? "");
      return encryptedOmaSetting(setting, reference, secrets[reference]);
    });
  }
  for (const value of secretValuesIn(policy.settings)) {
    const token = crypto.randomUUID();
    secrets[token] = String(value.value ?? "");
    value.value = token;
    value.valueState = "encryptedValueToken";
  }
  if (Object.keys(secrets).length) policy.secrets = secrets;
}

// ── getOmaSettingPlainTextValue ─────────────────────────────────────────────────────────────────

const PLAIN_TEXT_CALL = /^getOmaSettingPlainTextValue\(secretReferenceValueId='([^']*)'\)$/;

/** `GET …/deviceConfigurations/{id}/getOmaSettingPlainTextValue(secretReferenceValueId='…')`: the plain text. */
export function registerOmaPlainTextRoute(app: Hono<EmulatorEnv>, state: EmulatorState) {
  for (const version of ["v1.0", "beta"] as const) {
    app.get(`/${version}/deviceManagement/deviceConfigurations/:id/:call`, async (c, next) => {
      const call = PLAIN_TEXT_CALL.exec(c.req.param("call"));
      if (!call) return next();
      const policy = state.policies.get(c.get("tenant").tenantId)!.get(c.req.param("id"));
      const plaintext = policy?.family === "deviceConfigurations" ? policy.secrets?.[call[1]!] : undefined;
      if (plaintext === undefined) return notFound(c);
      return c.json({
        "@odata.context": `${new URL(c.req.url).origin}/${version}/$metadata#Edm.String`,
        value: plaintext,
      });
    });
  }
}

const notFound = (c: Context<EmulatorEnv>) =>
  graphError(
    c,
    404,
    "ResourceNotFound",
    `{"_version": 3, "Message": "Resource not found - Operation ID (for customer support): ${crypto.randomUUID()}"}`,
  );
