import { createOutsider, emulator, expect, hydrated, injectFault, signIn, startRun, test, withDb } from "./fixtures";

test.describe("the canonical run, end to end", () => {
  test("sign in → Verify connection → watch the run finish live → two notifications in the bell", async ({ page }) => {
    // Slow Graph down so the run is visibly queued/running before it completes.
    await emulator("/faults", { method: "DELETE" });
    await injectFault({ route: "GET /v1.0/organization", delayMs: 2500, times: 1 });

    test.setTimeout(180_000);
    // Earlier specs' runs may still be finishing (and notifying): let them end before the bell is cleared.
    await expect
      .poll(
        () =>
          withDb(
            async (db) =>
              (await db.query("select count(*)::int as n from operation_runs where status in ('queued', 'running')"))
                .rows[0].n as number,
          ),
        { timeout: 120_000, intervals: [1_000] },
      )
      .toBe(0);
    await signIn(page);
    // Start from an empty bell, whatever earlier tests left in it.
    await page.getByTestId("bell").click();
    const markAll = page.getByRole("button", { name: "Mark all read" });
    if (await markAll.isEnabled()) await markAll.click();
    await expect(page.getByTestId("bell-unread")).toHaveCount(0);
    await page.keyboard.press("Escape");
    await page.getByRole("link", { name: /Contoso Ltd \(demo\)/ }).click();
    await expect(page.getByTestId("tenant-name")).toHaveText("Contoso Ltd (demo)");

    const runUrl = await startRun(page, "Verify connection");

    // The page updates itself: mark the document, then see the status move without a reload.
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    const status = page.getByTestId("run-status");
    await expect(status).toHaveAttribute("data-status", /queued|running/);
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          seen.add((await status.getAttribute("data-status")) ?? "");
          return status.getAttribute("data-outcome");
        },
        { timeout: 20_000, intervals: [100] },
      )
      .toBe("succeeded");
    expect(seen.has("running") || seen.has("queued")).toBe(true);
    await expect(status).toHaveText("Succeeded");
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await expect(page.getByTestId("run-counts").locator("[data-count=succeeded]")).toHaveText("1");
    await expect(page.locator('[data-step="completed"]')).toHaveAttribute("data-done", "true");

    // The bell: one queued and one completed notification, both linking to this run.
    await expect(page.getByTestId("bell-unread")).toHaveText("2");
    await page.getByTestId("bell").click();
    const items = page.getByTestId("bell-item");
    await expect(items.and(page.locator('[data-read="false"]'))).toHaveCount(2);
    await expect(items.nth(0)).toContainText("Verify connection succeeded");
    await expect(items.nth(1)).toContainText("Verify connection queued");
    for (const item of [items.nth(0), items.nth(1)]) {
      await expect(item.getByRole("link", { name: "View run" })).toHaveAttribute("href", runUrl);
    }
    await items.nth(1).getByRole("button", { name: "Mark read" }).click();
    await expect(page.getByTestId("bell-unread")).toHaveText("1");
    await page.getByRole("button", { name: "Mark all read" }).click();
    await expect(page.getByTestId("bell-unread")).toHaveCount(0);

    // The tenant now shows what Graph said about the organization.
    await page.getByRole("link", { name: "Overview" }).click();
    await expect(page.getByTestId("verification-status")).toHaveText("Verified");
    await expect(page.getByText("contoso.onmicrosoft.com")).toBeVisible();
    await expect(page.getByTestId("intune-status")).toHaveText("Active");
    await expect(page.getByTestId("permissions-complete")).toBeVisible();
    // …and its dashboard counts the run.
    await expect(page.getByTestId("run-stats")).toContainText("Runs, last 24 h");
    await expect(page.getByTestId("runs-per-day")).toBeVisible();
    // …and lists only queues with work waiting: the verification's job was taken.
    await expect(page.getByTestId("queue-backlog")).toBeVisible();
    await expect(page.getByTestId("queue-backlog")).not.toContainText("tenant.verify");

    // The runs list has the run, with a working status filter kept in the URL.
    await page.getByRole("navigation", { name: "Tenant sections" }).getByRole("link", { name: "Operations" }).click();
    const runRow = page.getByTestId("runs-table").locator(`tbody tr[data-run-id="${runUrl.split("/").pop()}"]`);
    await expect(runRow).toHaveCount(1);
    await page.getByRole("textbox", { name: "Run id" }).fill(runUrl.split("/").pop()!.slice(0, 8));
    await page.getByLabel("Outcome").selectOption("failed");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/outcome=failed/);
    await expect(page.getByText("No runs match these filters")).toBeVisible();
  });

  test("starts while a run is active land on that run, which says it was already running", async ({ page }) => {
    // Graph holds the run's only request long enough for every later click to find it active; the
    // test cancels it at the end.
    await injectFault({ route: "GET /v1.0/organization", delayMs: 60_000, times: 1 });
    await signIn(page);
    await page.getByRole("link", { name: /Contoso Ltd \(demo\)/ }).click();
    await expect(page).toHaveURL(/\/t\/[0-9a-f-]{36}$/);
    const tenantPath = new URL(page.url()).pathname;
    const runPath = await startRun(page, "Verify connection");
    try {
      // Four more tabs click at the same moment: every one of them lands on the active run.
      const tabs = await Promise.all(Array.from({ length: 4 }, () => page.context().newPage()));
      await Promise.all(tabs.map((tab) => tab.goto(tenantPath)));
      const buttons = await Promise.all(
        tabs.map((tab) => hydrated(tab.getByRole("button", { name: "Verify connection" }))),
      );
      await Promise.all(buttons.map((button) => button.click()));
      for (const tab of tabs) {
        await expect(tab).toHaveURL(`${runPath}?joined=1`);
        const banner = tab.getByTestId("run-joined");
        await expect(banner).toContainText("already running when you started it");
        await expect(banner).toContainText("started by Demo Operator");
        await tab.close();
      }
      // The later clicks made no run of their own.
      const since = await withDb((db) =>
        db.query(
          `select count(*)::int as n from operation_runs
            where type = 'tenant.verify' and created_at >= (select created_at from operation_runs where id = $1)`,
          [runPath.split("/").pop()],
        ),
      );
      expect(since.rows[0].n).toBe(1);
    } finally {
      // The held run is cancelled whatever happened above, so later tests find the worker idle.
      await page.goto(runPath);
      await page.getByRole("button", { name: "Cancel run" }).click();
      await expect(page.getByTestId("run-status")).toHaveAttribute("data-outcome", "cancelled", { timeout: 30_000 });
    }
  });

  test("the overview names a missing permission with the operations needing it, and a tenant without Intune", async ({
    page,
  }) => {
    const [fabrikam] = (
      await withDb((db) =>
        db.query("select tenant_guid, client_id from tenants where display_name = 'Fabrikam Inc (demo)'"),
      )
    ).rows as { tenant_guid: string; client_id: string }[];
    const grants = `/tenants/${fabrikam!.tenant_guid}/apps/${fabrikam!.client_id}/permissions`;
    const put = (path: string, body: unknown) =>
      emulator(path, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    // Everything but DeviceManagementConfiguration; the Intune service permission lets verify read the subscription.
    const roles = [
      "Organization.Read.All",
      "GroupMember.Read.All",
      "DeviceManagementScripts.ReadWrite.All",
      "DeviceManagementApps.ReadWrite.All",
      "DeviceManagementRBAC.ReadWrite.All",
      "DeviceManagementServiceConfig.ReadWrite.All",
    ];
    await put(grants, { roles });
    await put(`/tenants/${fabrikam!.tenant_guid}/intune`, { subscriptionState: "notLicensed" });
    try {
      await signIn(page);
      await page.getByRole("link", { name: /Fabrikam Inc \(demo\)/ }).click();
      await startRun(page, "Verify connection");
      await expect(page.getByTestId("run-status")).toHaveAttribute("data-outcome", "partially_succeeded", {
        timeout: 20_000,
      });
      await page.getByRole("link", { name: "Overview" }).click();
      const gap = page
        .getByTestId("permission-gaps")
        .locator('[data-permission="DeviceManagementConfiguration.ReadWrite.All"]');
      await expect(gap).toContainText("Needed by: Sync inventory, Create backup, Restore policies");
      await expect(page.getByTestId("permission-gaps").locator("li")).toHaveCount(1);
      await expect(page.getByTestId("intune-status")).toHaveText("No Intune licence");
    } finally {
      await emulator(grants, { method: "DELETE" });
      await put(`/tenants/${fabrikam!.tenant_guid}/intune`, { subscriptionState: "active" });
    }
  });

  test("another tenant's pages and runs are 404 for a non-member", async ({ page }) => {
    const outsider = await createOutsider();
    await signIn(page);
    for (const path of [
      `/t/${outsider.tenantId}`,
      `/t/${outsider.tenantId}/operations`,
      `/t/${outsider.tenantId}/operations/${outsider.runId}`,
    ]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    }
    // Nor through the user's own tenant.
    await page.goto("/tenants");
    await page.getByRole("link", { name: /Contoso Ltd \(demo\)/ }).click();
    await expect(page).toHaveURL(/\/t\/[0-9a-f-]{36}$/);
    const own = new URL(page.url()).pathname;
    expect((await page.goto(`${own}/operations/${outsider.runId}`))?.status()).toBe(404);
  });

  test("adding a tenant with bad input shows field errors and keeps the secret out of the page", async ({ page }) => {
    await signIn(page);
    await page.goto("/tenants/new");
    await page.getByLabel("Display name").fill(" ");
    await page.getByLabel("Tenant ID").fill("not-a-guid");
    await page.getByLabel("Application (client) ID").fill("8d3f1c2e-9f0a-4b7e-8a1d-2c3b4d5e6f70");
    await page.getByLabel("Client secret").fill("super-secret-value");
    await page.getByRole("button", { name: "Add tenant" }).click();
    await expect(page.getByText("Display name is required")).toBeVisible();
    await expect(page.getByText(/Tenant ID must be a GUID/)).toBeVisible();
    await expect(page.getByLabel("Client secret")).toHaveValue("");
    expect(await page.content()).not.toContain("super-secret-value");
  });

  test("sign out returns to the sign-in page", async ({ page }) => {
    await signIn(page);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto("/tenants");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Ftenants/);
  });

  test("monitoring pages and the bell make no Graph request while they render", async ({ page }) => {
    // Let the worker finish whatever earlier tests started, so every Graph request is the pages'.
    await expect
      .poll(() =>
        withDb(
          async (db) =>
            (await db.query("select count(*)::int n from operation_runs where status <> 'completed'")).rows[0].n,
        ),
      )
      .toBe(0);
    await signIn(page);
    await page.getByRole("link", { name: /Contoso Ltd \(demo\)/ }).click();
    await expect(page).toHaveURL(/\/t\/[0-9a-f-]{36}$/);
    const before = (await (await emulator("/requests")).json()) as { total: number };
    await page.reload();
    await page.getByRole("navigation", { name: "Tenant sections" }).getByRole("link", { name: "Operations" }).click();
    await expect(page.getByTestId("runs-table")).toBeVisible();
    await page.getByTestId("runs-table").locator("tbody tr a").first().click();
    await expect(page.getByTestId("run-detail")).toBeVisible();
    await page.getByTestId("bell").click();
    await expect(page.getByRole("dialog", { name: "Notifications" })).toBeVisible();
    for (const path of ["/tenants", "/operations", "/notifications", "/notifications?filter=unread"]) {
      await page.goto(path);
      await expect(page.locator("main h1").first()).toBeVisible();
    }
    const after = (await (await emulator("/requests")).json()) as { total: number };
    expect(after.total).toBe(before.total);
    expect(before.total).toBeGreaterThan(0); // the counter does count: earlier runs called Graph
  });
});
