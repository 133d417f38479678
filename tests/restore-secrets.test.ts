import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupItems, backupSets, type PolicyFamily, policies, policyVersions, restoreItems } from "@/db/schema";
import { getBackupSet } from "@/lib/backups/backups";
import { OMA_SECRET_MARKER, SEALED_SECRETS_KEY } from "@/lib/secrets/oma-settings";
import { FAMILY_PATHS } from "@/workers/intune";
import { openHarness } from "./support/harness";
import { graphAs, openRestorePair } from "./support/restore-pair";
import { claimEmulatedTenants } from "./support/tenants";

/**
 * Secrets inside policies, end to end against the emulator: encrypted custom OMA-URI values (plain
 * text only through getOmaSettingPlainTextValue) and settings-catalog secrets (tokens only).
 * Source: Margie's Travel. Target: Blue Yonder Airlines.
 */
let h: Awaited<ReturnType<typeof openHarness>>;
const [margies, blueyonder] = claimEmulatedTenants(import.meta.url, 2);
let run: Awaited<ReturnType<typeof openRestorePair>>["run"];
let sourceId: string;
let targetId: string;

type OmaSetting = { omaUri: string; value: unknown; isEncrypted?: boolean; secretReferenceValueId?: string | null };

const graph = (tenant: typeof margies, method: string, path: string, body?: unknown) =>
  graphAs(tenant, path, { method, body });
const plainText = async (tenant: typeof margies, policyId: string, reference: string) =>
  (
    await graph(
      tenant,
      "GET",
      `/beta/deviceManagement/deviceConfigurations/${policyId}/getOmaSettingPlainTextValue(secretReferenceValueId='${reference}')`,
    )
  ).body.value as string;

const sourcePolicies = async (family: PolicyFamily) =>
  h.db
    .select()
    .from(policies)
    .where(and(eq(policies.tenantId, sourceId), eq(policies.family, family)))
    .orderBy(policies.name);

/** Backs up the given source policies and returns the set's items. */
async function backUp(policyIds: string[]) {
  const done = await run("backup_set.create", sourceId, { policyIds });
  expect(done.failures).toEqual([]);
  const [set] = await h.db.select().from(backupSets).where(eq(backupSets.runId, done.id));
  const items = await h.db.select().from(backupItems).where(eq(backupItems.backupSetId, set!.id));
  return { backupSetId: set!.id, items };
}

beforeAll(async () => {
  h = await openHarness();
  await h.startWorker();
  ({ sourceId, targetId, run } = await openRestorePair(h, {
    source: margies,
    target: blueyonder,
    owner: "Secrets owner",
  }));
}, 300_000);
afterAll(async () => {
  await h.close();
});

describe("Graph emulator: secrets in policies", () => {
  it("shows OMA string values encrypted, gives the plain text only through getOmaSettingPlainTextValue, and refuses a create carrying a secretReferenceValueId", async () => {
    const [custom] = (await sourcePolicies("device_configuration")).filter((p) =>
      p.odataType.endsWith("windows10CustomConfiguration"),
    );
    const read = await graph(margies, "GET", `/beta/deviceManagement/deviceConfigurations/${custom!.id}`);
    const secret = (read.body.omaSettings as OmaSetting[]).find((s) => s.isEncrypted)!;
    expect(secret.secretReferenceValueId).toEqual(expect.any(String));
    const plain = await plainText(margies, custom!.id, secret.secretReferenceValueId!);
    expect(plain).toMatch(/^Emulated-margiestravel-admin-password-/);
    expect(secret.value).not.toContain(plain);

    const rest = { ...read.body };
    for (const readOnly of ["id", "createdDateTime", "lastModifiedDateTime", "version"]) delete rest[readOnly];
    const refused = await graph(blueyonder, "POST", "/beta/deviceManagement/deviceConfigurations", rest);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      code: "NotSupported",
      message: "SecretReferenceValueId invalid for create.",
    });
  });

  it("refuses a settings-catalog create that carries a secret as a token, and tokenizes a plain-text one", async () => {
    const secretSetting = (value: string, valueState: string) => ({
      name: "Secret onboarding",
      platforms: "windows10",
      technologies: "mdm",
      settings: [
        {
          settingInstance: {
            "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance",
            settingDefinitionId: "device_vendor_msft_windowsadvancedthreatprotection_onboarding",
            simpleSettingValue: {
              "@odata.type": "#microsoft.graph.deviceManagementConfigurationSecretSettingValue",
              value,
              valueState,
            },
          },
        },
      ],
    });
    const path = "/beta/deviceManagement/configurationPolicies";
    expect(
      (await graph(blueyonder, "POST", path, secretSetting(crypto.randomUUID(), "encryptedValueToken"))).status,
    ).toBe(400);
    const created = await graph(blueyonder, "POST", path, secretSetting("the onboarding blob", "notEncrypted"));
    expect(created.status).toBe(201);
    const settings = await graph(blueyonder, "GET", `${path}/${created.body.id}/settings`);
    expect(JSON.stringify(settings.body.value)).not.toContain("the onboarding blob");
    expect(JSON.stringify(settings.body.value)).toContain('"valueState":"encryptedValueToken"');
  });
});

describe("secrets through inventory, backup and restore", () => {
  it("keeps no OMA ciphertext in the inventory: the value is masked and an unchanged secret makes no new version", async () => {
    const custom = (await sourcePolicies("device_configuration")).filter((p) =>
      p.odataType.endsWith("windows10CustomConfiguration"),
    );
    expect(custom.length).toBeGreaterThan(0);
    for (const policy of custom) {
      const secret = (policy.content.omaSettings as OmaSetting[]).find((s) => s.isEncrypted)!;
      expect(secret).toMatchObject({ value: OMA_SECRET_MARKER, secretReferenceValueId: expect.any(String) });
    }
    const versions = async () =>
      (
        await h.db
          .select({ n: sql<number>`count(*)::int` })
          .from(policyVersions)
          .where(eq(policyVersions.tenantId, sourceId))
      )[0]!.n;
    const before = await versions();
    expect((await run("inventory.sync", sourceId)).summaryCounts).toMatchObject({ updated: 0, created: 0 });
    expect(await versions()).toBe(before);
  }, 180_000); // a whole inventory sync of every type, on a machine shared with other test files

  it("restores a custom OMA-URI configuration into another tenant with its plain text, never the ciphertext", async () => {
    const [custom] = (await sourcePolicies("device_configuration")).filter((p) =>
      p.odataType.endsWith("windows10CustomConfiguration"),
    );
    const reference = (custom!.content.omaSettings as OmaSetting[]).find((s) => s.isEncrypted)!.secretReferenceValueId!;
    const plain = await plainText(margies, custom!.id, reference);
    const { backupSetId, items } = await backUp([custom!.id]);
    // Stored sealed: the backup holds the marker in the setting and the plain text only inside the seal.
    expect(JSON.stringify(items[0]!.content)).not.toContain(plain);
    expect(Object.keys(items[0]!.content[SEALED_SECRETS_KEY] as object)).toEqual([reference]);
    expect(
      JSON.stringify((await getBackupSet(h.db, { tenantId: sourceId, backupSetId, role: "owner" })).items),
    ).not.toContain(SEALED_SECRETS_KEY);

    const done = await run("restore.execute", targetId, {
      backupSetId,
      itemIds: items.map((i) => i.id),
      mapping: {},
      unmapped: "skip",
    });
    expect(done.failures).toEqual([]);
    const [result] = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    expect(result).toMatchObject({ status: "restored" });
    // The target's Intune holds the plain text the source had (posted ciphertext would be held as the value).
    const created = await graph(
      blueyonder,
      "GET",
      `/beta${FAMILY_PATHS.device_configuration}/${result!.createdPolicyId}`,
    );
    const restored = (created.body.omaSettings as OmaSetting[]).find((s) => s.omaUri.endsWith("/Password"))!;
    expect(await plainText(blueyonder, result!.createdPolicyId!, restored.secretReferenceValueId!)).toBe(plain);
    const unencrypted = (created.body.omaSettings as OmaSetting[]).find((s) => !s.isEncrypted)!;
    expect(unencrypted.value).toBe(8);
  });

  it("refuses a settings-catalog policy whose secret is a token, naming the setting to re-enter, and restores the rest", async () => {
    const catalog = await sourcePolicies("settings_catalog");
    const withSecret = catalog.find((p) => JSON.stringify(p.content.settings).includes("encryptedValueToken"))!;
    const without = catalog.find((p) => !JSON.stringify(p.content.settings).includes("encryptedValueToken"))!;
    const { backupSetId, items } = await backUp([withSecret.id, without.id]);
    for (const [tenantId, label] of [
      [targetId, "another tenant"],
      [sourceId, "the same tenant"],
    ] as const) {
      const done = await run("restore.execute", tenantId, {
        backupSetId,
        itemIds: items.map((i) => i.id),
        mapping: {},
        unmapped: "skip",
      });
      expect(done, label).toMatchObject({ outcome: "partially_succeeded", summaryCounts: { restored: 1, failed: 1 } });
      const message = expect.stringMatching(
        /secret setting\(s\) device_vendor_msft_windowsadvancedthreatprotection_onboarding must be re-entered/,
      );
      expect(done.failures).toEqual([expect.objectContaining({ item: withSecret.name, message })]);
      const results = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
      expect(results.find((r) => r.name === withSecret.name)).toMatchObject({
        status: "failed",
        createdPolicyId: null,
        message,
      });
      expect(results.find((r) => r.name === without.name)).toMatchObject({ status: "restored" });
    }
  });

  it("stores no secret in the clear anywhere the console renders from", async () => {
    const custom = (await sourcePolicies("device_configuration")).filter((p) =>
      p.odataType.endsWith("windows10CustomConfiguration"),
    );
    const secrets = await Promise.all(
      custom.map(async (p) =>
        plainText(
          margies,
          p.id,
          (p.content.omaSettings as OmaSetting[]).find((s) => s.isEncrypted)!.secretReferenceValueId!,
        ),
      ),
    );
    const dump = await h.db.execute(sql`
      select (select coalesce(string_agg(content::text, ''), '') from policies)
          || (select coalesce(string_agg(content::text, ''), '') from policy_versions)
          || (select coalesce(string_agg(content::text, ''), '') from backup_items)
          || (select coalesce(string_agg(coalesce(message, ''), ''), '') from restore_items)
          || (select coalesce(string_agg(failures::text || attempt_errors::text || summary_counts::text || inputs::text, ''), '') from operation_runs)
          as everything`);
    const everything = String((dump.rows[0] as { everything: string }).everything);
    expect(everything.length).toBeGreaterThan(1000);
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});
