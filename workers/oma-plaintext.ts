import type { Client } from "@microsoft/microsoft-graph-client";
import type { PolicyFamily } from "@/db/schema";
import { encryptedOmaSettings } from "@/lib/secrets/oma-settings";
import { FAMILY_PATHS, type GraphPolicy } from "./intune";

/**
 * The plain text of each encrypted custom OMA-URI setting of a device configuration, by its
 * `secretReferenceValueId`, from Graph's `getOmaSettingPlainTextValue` function (the only way to
 * read it; it needs DeviceManagementConfiguration.ReadWrite.All). Other families have none.
 */
export async function readOmaPlaintexts(
  graph: Client,
  { family, policy, signal }: { family: PolicyFamily; policy: GraphPolicy; signal: AbortSignal },
): Promise<Record<string, string>> {
  if (family !== "device_configuration") return {};
  const plaintexts: Record<string, string> = {};
  for (const { secretReferenceValueId: reference } of encryptedOmaSettings(policy)) {
    const call = `getOmaSettingPlainTextValue(secretReferenceValueId='${encodeURIComponent(reference.replaceAll("'", "''"))}')`;
    const answer = (await graph
      .api(`${FAMILY_PATHS[family]}/${policy.id}/${call}`)
      .version("beta")
      .option("signal", signal)
      .get()) as { value?: unknown };
    plaintexts[reference] = String(answer.value ?? "");
  }
  return plaintexts;
}
