import type { PolicyFamily } from "@/db/schema/inventory";
import { hasCatalogSettings } from "@/lib/intune/types";
import {
  encryptedOmaSettings,
  isEncryptedOmaSetting,
  OMA_SECRET_MARKER,
  omaSettingsOf,
  SEALED_SECRETS_KEY,
  sealedSecretsOf,
} from "@/lib/secrets/oma-settings";
import { ItemRefusal } from "./item-refusal";

/**
 * Secrets on the way back into Intune (docs/graph-fidelity.md):
 *
 * - an encrypted OMA-URI value is posted as the plain text the backup sealed, with the read-only
 *   `isEncrypted` / `secretReferenceValueId` removed — never the ciphertext Graph showed;
 * - a settings-catalog secret comes back from Graph only as an `encryptedValueToken`, which a
 *   create does not accept: such an item is refused, naming the settings to re-enter.
 */

type Content = Record<string, unknown>;
const SECRET_SETTING_VALUE = "#microsoft.graph.deviceManagementConfigurationSecretSettingValue";
const OMA_STRING_XML = "#microsoft.graph.omaSettingStringXml";

/** settingDefinitionIds whose secret value the backup holds only as a token (nested children included). */
export function tokenSecretSettings(settings: unknown, definitionId?: string, found: string[] = []): string[] {
  if (Array.isArray(settings)) for (const child of settings) tokenSecretSettings(child, definitionId, found);
  else if (settings && typeof settings === "object") {
    const object = settings as Content;
    const here = typeof object.settingDefinitionId === "string" ? object.settingDefinitionId : definitionId;
    if (object["@odata.type"] === SECRET_SETTING_VALUE && object.valueState === "encryptedValueToken")
      found.push(here ?? "(unnamed setting)");
    for (const value of Object.values(object)) tokenSecretSettings(value, here, found);
  }
  return [...new Set(found)];
}

/** Why this item's secrets cannot be restored (into any tenant), or undefined. */
export function secretRefusal({ family, content }: { family: PolicyFamily; content: Content }): string | undefined {
  if (hasCatalogSettings(family)) {
    const tokens = tokenSecretSettings(content.settings);
    if (tokens.length)
      return `Not restored: its secret setting(s) ${tokens.join(", ")} must be re-entered. Graph hands secret values out only as encrypted tokens, which it does not accept when a policy is created.`;
  }
  if (family === "device_configuration") {
    const sealed = sealedSecretsOf(content);
    const missing = encryptedOmaSettings(content).filter((s) => !sealed[s.secretReferenceValueId]);
    if (missing.length)
      return `Not restored: this backup holds no plain text for its encrypted OMA-URI setting(s) ${missing.map((s) => s.omaUri ?? s.displayName).join(", ")}; take a new backup of the policy.`;
  }
  return undefined;
}

/**
 * The create body with every encrypted OMA-URI value replaced by its plain text (`openSealed`
 * opens what the backup sealed for that reference id) and the read-only encryption fields gone.
 * Which settings were encrypted is read from the backup's content (the body may have been trimmed
 * to writable properties); a marker is never posted.
 */
export function withOmaPlaintexts(
  body: Content,
  { content, openSealed }: { content: Content; openSealed: (reference: string, sealed: string) => string },
): Content {
  const out: Content = { ...body };
  delete out[SEALED_SECRETS_KEY];
  if (!Array.isArray(body.omaSettings)) return out;
  const sealed = sealedSecretsOf(content);
  const backedUp = omaSettingsOf(content);
  out.omaSettings = omaSettingsOf(body).map((setting, i) => {
    const rest: Content = { ...setting };
    delete rest.isEncrypted;
    delete rest.secretReferenceValueId;
    const original = backedUp[i];
    const name = setting.omaUri ?? setting.displayName;
    if (!original || !isEncryptedOmaSetting(original)) {
      if (setting.value === OMA_SECRET_MARKER)
        throw new ItemRefusal(
          "not_restorable",
          `Not restored: OMA-URI setting ${name} has no plain text in this backup.`,
        );
      return rest;
    }
    let plaintext: string;
    try {
      plaintext = openSealed(original.secretReferenceValueId, sealed[original.secretReferenceValueId] ?? "");
    } catch {
      throw new ItemRefusal(
        "not_restorable",
        `Not restored: the sealed plain text of OMA-URI setting ${name} could not be opened (was the console's encryption key changed?).`,
      );
    }
    // An XML setting's value is Edm.Binary: base64 of the text (as IntuneManagement writes it back).
    const value =
      setting["@odata.type"] === OMA_STRING_XML ? Buffer.from(plaintext, "utf8").toString("base64") : plaintext;
    return { ...rest, value };
  });
  return out;
}
