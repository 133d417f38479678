import type { MembershipRole } from "@/db/schema/enums";
import { roleAtLeast } from "@/lib/tenants/roles";
import { isEncryptedOmaSetting, OMA_SECRET_MARKER, type OmaSetting, withoutSealedSecrets } from "./oma-settings";

/**
 * Secret-bearing values inside Intune policies, hidden from viewers: a viewer may read how a tenant
 * is configured, not the keys that let a device (or anyone) onto its networks. Operators and owners
 * see them, as they can restore them anyway. Masked on the server, before anything is rendered.
 *
 * What counts as a secret (Graph's property names, docs/graph-fidelity.md):
 * - a string under a key ending in password, passphrase, preSharedKey, sharedSecret, privateKey,
 *   pfxBlob, workspaceKey, productKey or exitCode (Wi-Fi and VPN profiles' pre-shared keys and
 *   passwords, imported PFX certificates, a Windows Team device's Log Analytics workspace key, an
 *   edition upgrade's product key, the code that leaves Android kiosk mode); booleans and numbers
 *   under such keys (`passwordRequired`, `passwordMinimumLength`) are settings;
 * - whole values that routinely carry secrets inside them: a custom iOS/macOS profile's `payload`
 *   (a .mobileconfig with Wi-Fi and VPN passwords), a VPN's `customData` / `customKeyValueData`;
 * - script contents (PowerShell, shell and remediation scripts often embed credentials), unless the
 *   caller keeps them for someone who may see secrets (an operator's export);
 * - the value of a settings-catalog secret setting (`deviceManagementConfigurationSecretSettingValue`);
 * - the value of a custom OMA-URI setting that Intune keeps encrypted (already a marker when stored).
 */
export const MASKED_SECRET = "•••••• (hidden: viewers do not see secret values)";

const SECRET_KEY =
  /(password|passphrase|presharedkey|sharedsecret|privatekey|pfxblob|workspacekey|productkey|exitcode)$/i;
const SECRET_WHOLE = new Set(["payload", "customData", "customKeyValueData"]);
const SCRIPT_CONTENT = new Set(["scriptContent", "detectionScriptContent", "remediationScriptContent"]);
const SECRET_SETTING_VALUE = "#microsoft.graph.deviceManagementConfigurationSecretSettingValue";

/** Who sees secret values unmasked. */
export const seesSecrets = (role: MembershipRole) => roleAtLeast(role, "operator");

/** A copy of a policy's content, without sealed secrets, every secret-bearing value replaced by `marker`. */
export function maskPolicySecrets(
  content: Record<string, unknown>,
  { marker = MASKED_SECRET, keepScripts = false }: { marker?: string; keepScripts?: boolean } = {},
): Record<string, unknown> {
  const whole = keepScripts ? SECRET_WHOLE : new Set([...SECRET_WHOLE, ...SCRIPT_CONTENT]);
  return mask(withoutSealedSecrets(content), { marker, whole }) as Record<string, unknown>;
}

/** The content as `role` may see it. */
export const policyContentFor = (role: MembershipRole, content: Record<string, unknown>) =>
  seesSecrets(role) ? content : maskPolicySecrets(content);

function mask(node: unknown, how: { marker: string; whole: Set<string> }): unknown {
  const { marker, whole } = how;
  if (Array.isArray(node)) return node.map((child) => mask(child, how));
  if (!node || typeof node !== "object") return node;
  const object = node as Record<string, unknown>;
  const secretValue =
    object["@odata.type"] === SECRET_SETTING_VALUE ||
    (isEncryptedOmaSetting(object as OmaSetting) && "value" in object);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (secretValue && key === "value") out[key] = value === OMA_SECRET_MARKER ? value : marker;
    else if (typeof value === "string" && value !== "" && SECRET_KEY.test(key)) out[key] = marker;
    else if (whole.has(key) && value !== null && value !== "" && value !== undefined) out[key] = marker;
    else out[key] = mask(value, how);
  }
  return out;
}
