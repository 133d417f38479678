import { expect, signIn, startRun, test } from "./fixtures";

test("the notifications page and the bell agree; unread filter; mark all read", async ({ page }) => {
  await signIn(page);
  // Make sure there is something to read: one run gives a queued and a completed notification.
  await page.getByRole("link", { name: /Contoso Ltd \(demo\)/ }).click();
  await startRun(page, "Verify connection");
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-outcome", "succeeded");

  await page.getByRole("link", { name: "Notifications", exact: true }).click();
  await expect(page).toHaveURL(/\/notifications$/);
  const bellCount = Number(await page.getByTestId("bell-unread").textContent());
  expect(bellCount).toBeGreaterThanOrEqual(2);
  await expect(page.getByRole("link", { name: `Unread (${bellCount})` })).toBeVisible();

  await page.getByRole("link", { name: `Unread (${bellCount})` }).click();
  await expect(page).toHaveURL(/filter=unread/);
  await expect(page.getByTestId("notifications-list").getByTestId("bell-item")).toHaveCount(Math.min(bellCount, 25));
  await expect(page.getByTestId("notifications-list").locator('[data-read="true"]')).toHaveCount(0);

  await page.getByRole("button", { name: "Mark all read" }).click();
  await expect(page.getByText("Nothing unread.")).toBeVisible();
  await expect(page.getByTestId("bell-unread")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Unread (0)" })).toBeVisible();
});
