import { expect, signIn, startRun, test } from "./fixtures";

test("sync the group directory from its page, watch the run, then browse and search the cache", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: /Contoso Ltd \(demo\)/ }).click();
  await page.getByRole("navigation", { name: "Tenant sections" }).getByRole("link", { name: "Groups" }).click();
  await expect(page).toHaveURL(/\/groups$/);

  await startRun(page, "Sync groups");
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-outcome", "succeeded", { timeout: 30_000 });
  const added = Number(await page.getByTestId("run-counts").locator("[data-count=added]").textContent());
  const total = Number(await page.getByTestId("run-counts").locator("[data-count=processed]").textContent());
  expect(total).toBeGreaterThanOrEqual(2000);
  expect(added).toBe(total); // the e2e data directory starts empty: the first round adds every group

  await page.getByTestId("run-results-link").click();
  await expect(page).toHaveURL(/\/groups$/);
  await expect(page.getByTestId("directory-summary")).toContainText(/2,\d{3} groups cached/);
  await expect(page.getByTestId("groups-table").locator("tbody tr")).toHaveCount(50);
  await page.getByLabel("Search groups").fill("finance kiosks");
  await page.getByRole("button", { name: "Search" }).click();
  const rows = page.getByTestId("groups-table").locator("tbody tr");
  await expect(rows.first()).toContainText("Finance Kiosks");
  for (const text of await rows.allTextContents()) expect(text.toLowerCase()).toContain("finance kiosks");
});
