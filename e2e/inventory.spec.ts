import { emulator, expect, injectFault, signIn, startRun, test, withDb } from "./fixtures";

test("sync the inventory, browse the policies, change one in Intune, sync again and read the diff", async ({
  page,
}) => {
  // Two syncs of every type (530 objects: 518 made plus four enrollment defaults, less one retired restriction, plus five filters and four custom scope tags; the first slowed down on purpose to watch its progress).
  test.setTimeout(150_000);
  const tenantGuid = await withDb(
    async (db) =>
      (await db.query("select tenant_guid from tenants where display_name = 'Contoso Ltd (demo)'")).rows[0]
        .tenant_guid as string,
  );
  await signIn(page);
  await page.getByRole("link", { name: /Contoso Ltd \(demo\)/ }).click();
  await page.getByRole("navigation", { name: "Tenant sections" }).getByRole("link", { name: "Policies" }).click();
  await expect(page.getByText("Last run: never")).toBeVisible();

  // Slow Intune down a little so the progress can be watched while the run works.
  await injectFault({ route: "GET /beta/deviceManagement/*", delayMs: 25, times: 600 });
  await startRun(page, "Sync inventory");
  const processed = page.getByTestId("run-counts").locator("[data-count=processed]");
  const seen = new Set<number>();
  await expect
    .poll(
      async () => {
        if (await processed.count()) seen.add(Number(await processed.textContent()));
        return page.getByTestId("run-status").getAttribute("data-outcome");
      },
      { timeout: 60_000, intervals: [100] },
    )
    .toBe("succeeded");
  await emulator("/faults", { method: "DELETE" });
  // Live progress: counts between none and all were on screen before the run finished.
  expect([...seen].some((n) => n > 0 && n < 530)).toBe(true);
  await expect(page.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "530");
  await expect(page.getByTestId("run-counts").locator("[data-count=created]")).toHaveText("530");
  await page.getByTestId("run-results-link").click();
  await expect(page.getByTestId("policies-total")).toContainText("530 policies");

  // Filters: the settings catalog only.
  await page.getByLabel("Family").selectOption("settings_catalog");
  await page.getByRole("button", { name: "Apply" }).click();
  // 120 in the collection, 20 of them endpoint-security policies (their own types).
  await expect(page.getByTestId("policies-total")).toContainText("100 policies");

  // Change a device configuration in "Intune", then sync again.
  const policies = (await (await emulator(`/tenants/${tenantGuid}/policies`)).json()) as {
    family: string;
    id: string;
    name: string;
  }[];
  const target = policies.find((p) => p.family === "deviceConfigurations")!;
  await emulator(`/tenants/${tenantGuid}/policies/${target.id}`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ body: { passwordMinimumLength: 15 } }),
  });
  await page.goto(page.url().split("?")[0]!);
  await startRun(page, "Sync inventory");
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-outcome", "succeeded", { timeout: 60_000 });
  await expect(page.getByTestId("run-counts").locator("[data-count=updated]")).toHaveText("1");

  await page.getByTestId("run-results-link").click();
  await page.getByLabel("Name").fill(target.name);
  await page.getByRole("button", { name: "Apply" }).click();
  await page.getByRole("link", { name: target.name }).click();
  await expect(page.getByTestId("policy-versions").locator("tbody tr")).toHaveCount(2);
  const change = page.getByTestId("policy-diff").locator("tr", { hasText: "passwordMinimumLength" });
  await expect(change).toContainText("15");
});

test("back up three chosen policies and open the backup", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: /Contoso Ltd \(demo\)/ }).click();
  await page.getByRole("navigation", { name: "Tenant sections" }).getByRole("link", { name: "Policies" }).click();
  const boxes = page.getByTestId("policies-table").getByRole("checkbox");
  await expect(boxes.first()).toBeVisible(); // the previous test synced the inventory
  const names: string[] = [];
  for (const i of [0, 1, 2]) {
    await boxes.nth(i).check();
    names.push((await boxes.nth(i).getAttribute("aria-label"))!.replace(/^Select /, ""));
  }
  await startRun(page, "Back up selected");
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-outcome", "succeeded", { timeout: 30_000 });
  await expect(page.getByTestId("run-counts").locator("[data-count=saved]")).toHaveText("3");

  await page.getByTestId("run-results-link").click();
  await page.getByTestId("backups-table").getByRole("link", { name: "Backup of 3 selected policies" }).first().click();
  const items = page.getByTestId("backup-items").locator("li");
  await expect(items).toHaveCount(3);
  for (const name of names) await expect(page.getByTestId("backup-items")).toContainText(name);
  await expect(page.getByTestId("backup-detail")).toContainText("complete, immutable");
});

test("backing up with nothing selected says what to do and starts nothing", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: /Contoso Ltd \(demo\)/ }).click();
  await page.getByRole("navigation", { name: "Tenant sections" }).getByRole("link", { name: "Policies" }).click();
  await page.getByRole("button", { name: "Back up selected" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Choose at least one policy" })).toBeVisible();
  await expect(page).toHaveURL(/\/policies$/);
});
