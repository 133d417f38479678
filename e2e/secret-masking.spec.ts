import { randomUUID } from "node:crypto";
import type { Browser } from "@playwright/test";
import { hashPassword } from "../lib/auth/password";
import { expect, signIn, test, withDb } from "./fixtures";

/**
 * A Wi-Fi profile's pre-shared key in the inventory and in a backup: a viewer's page — its HTML and
 * the RSC payload a client navigation fetches — never holds it; an operator's does.
 */
const PRE_SHARED_KEY = `psk-${randomUUID()}`;
const PASSWORD = "masking-member-password";

type Fixture = { tenantId: string; policyId: string; backupSetId: string; viewer: string; operator: string };

async function fixture(): Promise<Fixture> {
  return withDb(async (db) => {
    const tenant = await db.query(
      "insert into tenants (tenant_guid, display_name, client_id, client_secret_enc) values (gen_random_uuid(), 'Masking tenant', gen_random_uuid(), 'v1.x.y.z') returning id",
    );
    const tenantId = tenant.rows[0].id as string;
    const member = async (role: "viewer" | "operator") => {
      const email = `${role}-${Date.now()}@masking.test`;
      const user = await db.query("insert into users (email, name, password_hash) values ($1, $2, $3) returning id", [
        email,
        `Masking ${role}`,
        await hashPassword(PASSWORD),
      ]);
      await db.query("insert into tenant_memberships (user_id, tenant_id, role) values ($1, $2, $3)", [
        user.rows[0].id,
        tenantId,
        role,
      ]);
      return email;
    };
    const policyId = randomUUID();
    const content = {
      "@odata.type": "#microsoft.graph.windowsWifiConfiguration",
      id: policyId,
      displayName: "Office Wi-Fi",
      ssid: "Masking-Office",
      wifiSecurityType: "wpa2Personal",
      preSharedKey: PRE_SHARED_KEY,
      assignments: [],
    };
    await db.query(
      `insert into policies (tenant_id, id, family, name, platform, odata_type, assigned, content, content_hash, versions)
       values ($1, $2, 'device_configuration', 'Office Wi-Fi', 'Windows', $3, false, $4, 'h1', 1)`,
      [tenantId, policyId, content["@odata.type"], content],
    );
    await db.query(
      "insert into policy_versions (tenant_id, policy_id, version, content_hash, content) values ($1, $2, 1, 'h1', $3)",
      [tenantId, policyId, content],
    );
    const set = await db.query(
      "insert into backup_sets (tenant_id, name, item_count, completed_at) values ($1, 'Masking backup', 1, now()) returning id",
      [tenantId],
    );
    const backupSetId = set.rows[0].id as string;
    await db.query(
      `insert into backup_items (backup_set_id, tenant_id, policy_id, family, name, content, content_hash)
       values ($1, $2, $3, 'device_configuration', 'Office Wi-Fi', $4, 'h1')`,
      [backupSetId, tenantId, policyId, content],
    );
    return { tenantId, policyId, backupSetId, viewer: await member("viewer"), operator: await member("operator") };
  });
}

/** What a member's browser receives for a page: its HTML and its RSC payload. */
async function received(browser: Browser, email: string, path: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email, PASSWORD);
  const response = await page.goto(path);
  expect(response?.status()).toBe(200);
  const html = await response!.text();
  const rsc = await page.request.get(path, { headers: { RSC: "1" } });
  expect(rsc.status()).toBe(200);
  const payload = await rsc.text();
  await context.close();
  return { html, payload };
}

test("a viewer never receives a Wi-Fi pre-shared key; an operator sees it", async ({ browser }) => {
  const f = await fixture();
  for (const path of [`/t/${f.tenantId}/policies/${f.policyId}`, `/t/${f.tenantId}/backups/${f.backupSetId}`]) {
    const viewer = await received(browser, f.viewer, path);
    expect(viewer.html).toContain("Masking-Office");
    expect(viewer.html).toContain("hidden: viewers do not see secret values");
    expect(viewer.html).not.toContain(PRE_SHARED_KEY);
    expect(viewer.payload).toContain("Masking-Office");
    expect(viewer.payload).not.toContain(PRE_SHARED_KEY);

    const operator = await received(browser, f.operator, path);
    expect(operator.html).toContain(PRE_SHARED_KEY);
    expect(operator.payload).toContain(PRE_SHARED_KEY);
  }
});
