import type { SecretBox } from "@/lib/crypto/secret-box";

/**
 * Encrypted custom OMA-URI settings. Graph returns such a setting's `value` as ciphertext with
 * `isEncrypted: true` and a `secretReferenceValueId`; the plain text comes only from
 * `getOmaSettingPlainTextValue` (docs/graph-fidelity.md). What the console stores:
 *
 * - everywhere (inventory versions, backups): the value replaced by OMA_SECRET_MARKER, the reference
 *   id kept, so a version changes when the secret is replaced (new reference) and not on every read;
 * - in a backup item only: the plain text sealed with the console's secret box, under
 *   SEALED_SECRETS_KEY, bound to the source tenant, policy and reference (it opens nowhere else).
 */

export const OMA_SECRET_MARKER = "(encrypted in Intune; TenantAtlas keeps the plain text sealed in backups only)";
export const SEALED_SECRETS_KEY = "@tenantatlas.sealedSecrets";

export type OmaSetting = Record<string, unknown> & {
  "@odata.type"?: string;
  omaUri?: string;
  value?: unknown;
  isEncrypted?: boolean;
  secretReferenceValueId?: string | null;
};
export type EncryptedOmaSetting = OmaSetting & { isEncrypted: true; secretReferenceValueId: string };
export type SealedSecrets = Record<string, string>;

export const omaSettingsOf = (body: Record<string, unknown>): OmaSetting[] =>
  Array.isArray(body.omaSettings) ? (body.omaSettings as OmaSetting[]) : [];

export const isEncryptedOmaSetting = (setting: OmaSetting): setting is EncryptedOmaSetting =>
  setting.isEncrypted === true && typeof setting.secretReferenceValueId === "string";

export const encryptedOmaSettings = (body: Record<string, unknown>) =>
  omaSettingsOf(body).filter(isEncryptedOmaSetting);

/** The policy without its OMA ciphertexts: each encrypted value is replaced by the marker. */
export function maskOmaSecrets<T extends Record<string, unknown>>(body: T): T {
  if (!encryptedOmaSettings(body).length) return body;
  return {
    ...body,
    omaSettings: omaSettingsOf(body).map((s) => (isEncryptedOmaSetting(s) ? { ...s, value: OMA_SECRET_MARKER } : s)),
  };
}

const context = ({ tenantId, policyId, reference }: { tenantId: string; policyId: string; reference: string }) =>
  `oma-secret:${tenantId}:${policyId}:${reference}`;

/** Plain texts by reference id, sealed for storage in the backup of `policyId` of `tenantId`. */
export function sealOmaPlaintexts(
  box: SecretBox,
  { tenantId, policyId, plaintexts }: { tenantId: string; policyId: string; plaintexts: Record<string, string> },
): SealedSecrets {
  return Object.fromEntries(
    Object.entries(plaintexts).map(([reference, plaintext]) => [
      reference,
      box.seal(plaintext, context({ tenantId, policyId, reference })),
    ]),
  );
}

export const sealedSecretsOf = (content: Record<string, unknown>): SealedSecrets =>
  (content[SEALED_SECRETS_KEY] as SealedSecrets | undefined) ?? {};

/** A backup's content as people may see it: without the sealed plain texts. */
export function withoutSealedSecrets(content: Record<string, unknown>) {
  if (!(SEALED_SECRETS_KEY in content)) return content;
  const rest = { ...content };
  delete rest[SEALED_SECRETS_KEY];
  return rest;
}

/** Opens the sealed plain text of one setting of a backed-up policy (throws if it was not sealed for it). */
export function openOmaPlaintext(
  box: SecretBox,
  { tenantId, policyId, reference, sealed }: { tenantId: string; policyId: string; reference: string; sealed: string },
) {
  return box.open(sealed, context({ tenantId, policyId, reference }));
}
