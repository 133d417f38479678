import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import yauzl from "yauzl";
import { hashPassword } from "../lib/auth/password";
import { expect, signIn, test, withDb } from "./fixtures";

/**
 * A viewer downloads a backup set from its page: the button gives a zip named after the tenant and
 * the set's time, holding the set's Markdown and one JSON per policy, without the policy's secret.
 */
const PRE_SHARED_KEY = `psk-${randomUUID()}`;
const PASSWORD = "export-viewer-password";

async function fixture() {
  return withDb(async (db) => {
    const tenant = await db.query(
      "insert into tenants (tenant_guid, display_name, client_id, client_secret_enc) values (gen_random_uuid(), 'Export Zürich', gen_random_uuid(), 'v1.x.y.z') returning id",
    );
    const tenantId = tenant.rows[0].id as string;
    const email = `viewer-${Date.now()}@export.test`;
    const user = await db.query(
      "insert into users (email, name, password_hash) values ($1, 'Export viewer', $2) returning id",
      [email, await hashPassword(PASSWORD)],
    );
    await db.query("insert into tenant_memberships (user_id, tenant_id, role) values ($1, $2, 'viewer')", [
      user.rows[0].id,
      tenantId,
    ]);
    const set = await db.query(
      "insert into backup_sets (tenant_id, name, item_count, created_at) values ($1, 'Export backup', 2, '2026-11-01T09:30:00Z') returning id",
      [tenantId],
    );
    const backupSetId = set.rows[0].id as string;
    for (const name of ["Office Wi-Fi", "../Escape | attempt"]) {
      const policyId = randomUUID();
      const content = {
        "@odata.type": "#microsoft.graph.windowsWifiConfiguration",
        id: policyId,
        displayName: name,
        ssid: "Export-Office",
        preSharedKey: PRE_SHARED_KEY,
        assignments: [{ target: { "@odata.type": "#microsoft.graph.allDevicesAssignmentTarget" } }],
      };
      await db.query(
        `insert into backup_items (backup_set_id, tenant_id, policy_id, family, name, content, content_hash)
         values ($1, $2, $3, 'device_configuration', $4, $5, 'h1')`,
        [backupSetId, tenantId, policyId, name, content],
      );
    }
    await db.query("update backup_sets set completed_at = now() where id = $1", [backupSetId]);
    return { tenantId, backupSetId, email };
  });
}

function entriesOf(zip: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (err, file) => {
      if (err) return reject(err);
      const entries = new Map<string, string>();
      file.on("end", () => resolve(entries));
      file.on("entry", (entry: yauzl.Entry) =>
        file.openReadStream(entry, (openErr, stream) => {
          if (openErr) return reject(openErr);
          const parts: Buffer[] = [];
          stream.on("data", (p: Buffer) => parts.push(p));
          stream.on("end", () => {
            entries.set(entry.fileName, Buffer.concat(parts).toString("utf8"));
            file.readEntry();
          });
        }),
      );
      file.readEntry();
    });
  });
}

test("a viewer clicks Download as zip on a backup and gets the set, without its secrets", async ({ page }) => {
  const f = await fixture();
  await signIn(page, f.email, PASSWORD);
  await page.goto(`/t/${f.tenantId}/backups/${f.backupSetId}`);
  await page.screenshot({ path: test.info().outputPath("backup-page.png"), fullPage: true });
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download as zip" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("Export Zürich backup 2026-11-01T09-30-00Z.zip");
  const zip = await readFile((await download.path())!);
  const entries = await entriesOf(zip);
  expect([...entries.keys()].sort()).toEqual(
    expect.arrayContaining([
      "backup.md",
      expect.stringMatching(/^device_configuration\/Office Wi-Fi-[0-9a-f-]{36}\.json$/),
    ]),
  );
  expect(entries.size).toBe(3);
  expect([...entries.keys()].every((name) => !name.includes(".."))).toBe(true);
  expect(entries.get("backup.md")).toContain("## Office Wi-Fi");
  expect(entries.get("backup.md")).toContain("| Include | All devices |");
  for (const text of [zip.toString("latin1"), ...entries.values()]) expect(text).not.toContain(PRE_SHARED_KEY);
});
