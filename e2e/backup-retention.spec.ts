import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { DEMO, expect, hydrated, signIn, test, withDb } from "./fixtures";

/**
 * Backup retention as an owner uses it, in a tenant of its own (retention deletes backups, and the
 * demo tenants' backups belong to other specs): pin one set, delete another from its page with the
 * typed confirmation, then set "keep the last 1" and see the retention run name what it deleted.
 */
const AGES = { pinned: 30, deleted: 20, pruned: 10, newest: 1 } as const;

async function seedTenant() {
  return withDb(async (db) => {
    const user = await db.query("select id from users where email = $1", [DEMO.email]);
    const tenant = await db.query(
      `insert into tenants (tenant_guid, display_name, client_id, client_secret_enc)
       values ($1, 'Retention (e2e)', $2, 'not-a-sealed-secret') returning id`,
      [randomUUID(), randomUUID()],
    );
    const tenantId = tenant.rows[0].id as string;
    await db.query("insert into tenant_memberships (user_id, tenant_id, role) values ($1, $2, 'owner')", [
      user.rows[0].id,
      tenantId,
    ]);
    const ids: Record<string, string> = {};
    for (const [name, age] of Object.entries(AGES)) {
      const set = await db.query(
        `insert into backup_sets (tenant_id, name, item_count, created_at, completed_at)
         values ($1, $2, 0, now() - make_interval(days => $3), now() - make_interval(days => $3)) returning id`,
        [tenantId, `Backup ${name}`, age],
      );
      ids[name] = set.rows[0].id as string;
    }
    return { tenantId, ids };
  });
}

const axe = async (page: import("@playwright/test").Page) =>
  (await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze()).violations.map(
    (v) => v.id,
  );

test("an owner pins a backup, deletes another with a typed confirmation, and retention names what it deleted", async ({
  page,
}) => {
  const { tenantId, ids } = await seedTenant();
  await signIn(page);
  await page.goto(`/t/${tenantId}/backups`);
  await expect(page.getByTestId("retention-policy")).toContainText("Every backup is kept");

  // Pin: the list says who pinned it.
  await (await hydrated(page.getByRole("button", { name: "Pin Backup pinned" }))).click();
  const pinnedRow = page.getByTestId("backups-table").getByRole("row", { name: /Backup pinned/ });
  await expect(pinnedRow.getByTestId("pinned-by")).toContainText("Pinned by");
  expect(await axe(page)).toEqual([]);

  // A pinned backup's delete is refused by the run's start check.
  await page.goto(`/t/${tenantId}/backups/${ids.pinned}`);
  const refused = page.getByRole("form", { name: "Delete backup" });
  await (await hydrated(refused.getByLabel("Type delete to confirm"))).fill("delete");
  await refused.getByRole("button", { name: "Delete backup" }).click();
  await expect(refused.getByRole("alert")).toContainText("pinned: unpin it first");

  // Delete another: the button waits for the word; the run lists the deleted set.
  await page.goto(`/t/${tenantId}/backups/${ids.deleted}`);
  expect(await axe(page)).toEqual([]);
  const form = page.getByRole("form", { name: "Delete backup" });
  const confirm = await hydrated(form.getByLabel("Type delete to confirm"));
  await confirm.fill("remove");
  await expect(form.getByRole("button", { name: "Delete backup" })).toBeDisabled();
  await confirm.fill("delete");
  await form.getByRole("button", { name: "Delete backup" }).click();
  await expect(page).toHaveURL(/\/operations\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-outcome", "succeeded", { timeout: 60_000 });
  await expect(page.getByTestId("deleted-backups")).toContainText("Backup deleted");

  // Keep the last 1: the unpinned older set goes; the pinned one and the newest stay.
  await page.goto(`/t/${tenantId}/backups`);
  const retention = page.getByRole("form", { name: "Backup retention" });
  await (await hydrated(retention.getByLabel("Keep the last (backups)"))).fill("1");
  await retention.getByRole("button", { name: "Save retention" }).click();
  await expect(retention.getByRole("status")).toContainText("Saved");
  let runId: string | undefined;
  await expect
    .poll(
      async () => {
        runId = await withDb(async (db) => {
          const run = await db.query(
            "select id from operation_runs where tenant_id = $1 and type = 'retention.apply' and status = 'completed'",
            [tenantId],
          );
          return run.rows[0]?.id as string | undefined;
        });
        return runId;
      },
      { timeout: 60_000 },
    )
    .toBeDefined();
  await page.goto(`/t/${tenantId}/operations/${runId}`);
  await expect(page.getByTestId("deleted-backups")).toContainText("Backup pruned");
  await page.goto(`/t/${tenantId}/backups`);
  await expect(page.getByTestId("retention-policy")).toContainText("Only the last 1 backups are kept");
  const names = await page.getByTestId("backups-table").locator("tbody tr td:first-child").allTextContents();
  expect(names.sort()).toEqual(["Backup newest", "Backup pinned"]);
});
