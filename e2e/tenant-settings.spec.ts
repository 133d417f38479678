import AxeBuilder from "@axe-core/playwright";
import { buildDirectory } from "../emulator/directory";
import { expect, hydrated, signIn, startRun, test, withDb } from "./fixtures";

/**
 * Tenant settings, as an owner uses them: a tenant registered with a mistyped secret gets a new
 * one (a secret that does not sign in is refused), verifies, and is then removed by typing its name.
 */
const TENANT = "Northwind Traders Europe (settings)";
const northwind = buildDirectory(Number(process.env.EMULATOR_SEED ?? 1)).find((t) => t.key === "northwindtraders")!;
const app = northwind.apps[0]!;

const sealedSecret = (tenantId: string) =>
  withDb(async (db) => {
    const row = await db.query("select client_secret_enc from tenants where id = $1", [tenantId]);
    return row.rows[0]?.client_secret_enc as string | undefined;
  });

test("an owner rotates a tenant's secret, then removes the tenant by typing its name", async ({ page }) => {
  await signIn(page);
  await page.goto("/tenants/new");
  await page.getByLabel("Display name").fill(TENANT);
  await page.getByLabel("Tenant ID").fill(northwind.tenantId);
  await page.getByLabel("Application (client) ID").fill(app.clientId);
  await page.getByLabel("Client secret").fill("a-mistyped-secret");
  await page.getByRole("button", { name: "Add tenant" }).click();
  await expect(page).toHaveURL(/\/t\/[0-9a-f-]{36}$/);
  const tenant = new URL(page.url()).pathname;
  const tenantId = tenant.split("/").at(-1)!;

  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page).toHaveURL(`${tenant}/settings`);
  await expect(page.getByTestId("secret-set-at")).toContainText("Set on");
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  const before = await sealedSecret(tenantId);

  // A secret that does not sign in changes nothing.
  const rotate = page.getByRole("form", { name: "Rotate client secret" });
  await rotate.getByLabel("New client secret").fill("still-wrong");
  await (await hydrated(rotate.getByRole("button", { name: "Rotate secret" }))).click();
  await expect(rotate.getByRole("alert")).toContainText("Nothing was changed");
  expect(await sealedSecret(tenantId)).toBe(before);

  // The right one is stored sealed anew, and shown nowhere: not in the page, not in the field.
  await rotate.getByLabel("New client secret").fill(app.clientSecret);
  await rotate.getByRole("button", { name: "Rotate secret" }).click();
  await expect(rotate.getByRole("status")).toContainText("The new secret signed in");
  await expect(rotate.getByLabel("New client secret")).toHaveValue("");
  expect(await sealedSecret(tenantId)).not.toBe(before);
  await page.reload();
  const html = await page.content();
  expect(html).not.toContain(app.clientSecret);
  expect(html).not.toContain("a-mistyped-secret");

  // The tenant now connects with it.
  await page.goto(tenant);
  await startRun(page, "Verify connection");
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-outcome", "succeeded", { timeout: 60_000 });

  // Removal: the button waits for the exact name; then the tenant is gone.
  await page.goto(`${tenant}/settings`);
  const remove = page.getByRole("form", { name: "Remove tenant" });
  const confirm = remove.getByLabel(`Type ${TENANT} to confirm`);
  await (await hydrated(confirm)).fill("Northwind");
  await expect(remove.getByRole("button", { name: "Remove tenant" })).toBeDisabled();
  await confirm.fill(TENANT);
  await remove.getByRole("button", { name: "Remove tenant" }).click();
  await expect(page).toHaveURL(/\/tenants$/);
  await expect(page.getByRole("link", { name: new RegExp(TENANT.replace(/[()]/g, "\\$&")) })).toHaveCount(0);
  expect((await page.goto(tenant))?.status()).toBe(404);
  const audit = await withDb((db) =>
    db.query("select action from audit_events where tenant_id = $1 order by occurred_at, id", [tenantId]),
  );
  expect(audit.rows.map((r) => r.action)).toEqual(
    expect.arrayContaining(["tenant.create", "tenant.secret_rotate", "run.start", "tenant.remove"]),
  );
});
