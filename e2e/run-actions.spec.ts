import { emulator, expect, injectFault, signIn, startRun, test } from "./fixtures";

test.describe("run actions", () => {
  test("cancel a running run and see it end cancelled; re-run a finished one", async ({ page }) => {
    await injectFault({ route: "GET /v1.0/organization", delayMs: 30_000, times: 1 });
    await signIn(page);
    await page.getByRole("link", { name: /Contoso Ltd \(demo\)/ }).click();
    await expect(page).toHaveURL(/\/t\/[0-9a-f-]{36}$/);
    const firstRun = await startRun(page, "Verify connection");
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "running");
    await page.getByRole("button", { name: "Cancel run" }).click();
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-outcome", "cancelled", { timeout: 10_000 });
    await expect(page.locator('[data-step="cancel requested"]')).toContainText("by Demo Operator");
    await emulator("/faults", { method: "DELETE" });

    await page.getByRole("button", { name: "Re-run" }).click();
    await expect(page).not.toHaveURL(firstRun);
    await expect(page).toHaveURL(/\/operations\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-outcome", "succeeded");
  });
});
