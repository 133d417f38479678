import type { Page } from "@playwright/test";
import { expect, openDemoTenant, startRun, test, withDb } from "./fixtures";

/** Counts the page's refreshes: the RSC requests `router.refresh()` makes for the current URL. */
function countRefreshes(page: Page, pathname: string) {
  let refreshes = 0;
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (request.headers().rsc === "1" && !request.headers()["next-router-prefetch"] && url.pathname === pathname)
      refreshes += 1;
  });
  return () => refreshes;
}

/**
 * A running inventory sync at 0 of 10, written as a worker would write it. No job stands behind it: the
 * reaper leaves runs touched in the last 20 s alone, and this one is dated ahead so it stays for the test.
 */
function insertRunningSync(tenantId: string): Promise<string> {
  return withDb(async (db) => {
    const run = await db.query(
      `insert into operation_runs (tenant_id, type, status, started_at, updated_at, summary_counts, run_identity_hash, initiator_kind, initiator_name)
       values ($1, 'inventory.sync', 'running', now(), now() + interval '10 minutes', '{"total": 10, "processed": 0}',
               md5(random()::text), 'system', 'TenantAtlas') returning id`,
      [tenantId],
    );
    return run.rows[0].id as string;
  });
}

/** A run of `type` in the tenant moving queued → running → completed, written as a worker would. */
async function runThrough(tenantId: string, type: string) {
  await withDb(async (db) => {
    const run = await db.query(
      `insert into operation_runs (tenant_id, type, status, run_identity_hash, initiator_kind, initiator_name)
       values ($1, $2, 'queued', md5(random()::text), 'system', 'TenantAtlas') returning id`,
      [tenantId, type],
    );
    const id = run.rows[0].id as string;
    await db.query("update operation_runs set status = 'running', started_at = now() where id = $1", [id]);
    await db.query("update operation_runs set summary_counts = '{\"processed\": 1}' where id = $1", [id]);
    await db.query(
      "update operation_runs set status = 'completed', outcome = 'succeeded', completed_at = now() where id = $1",
      [id],
    );
  });
}

test.describe("live updates (LISTEN/NOTIFY → Server-Sent Events)", () => {
  test("the bell and the runs list update while a run completes in another tab, without a reload", async ({
    page,
    context,
  }) => {
    const tenantPath = `/t/${await openDemoTenant(page)}`;
    // At least one finished run, so the list is showing rows when the next one arrives.
    await startRun(page, "Verify connection");
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-outcome", "succeeded");
    await page.goto(`${tenantPath}/operations`);
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    // Start from an empty bell so the two notifications of the next run are all there is.
    await page.getByTestId("bell").click();
    const markAll = page.getByRole("button", { name: "Mark all read" });
    if (await markAll.isEnabled()) await markAll.click();
    await expect(page.getByTestId("bell-unread")).toHaveCount(0);
    const rowsBefore = await page.getByTestId("runs-table").locator("tbody tr").count();
    expect(rowsBefore).toBeGreaterThan(0);

    // Somebody (the same user, in another tab) starts a run.
    const other = await context.newPage();
    await other.goto(tenantPath);
    const runId = (await startRun(other, "Verify connection")).split("/").pop()!;
    await expect(other.getByTestId("run-status")).toHaveAttribute("data-outcome", "succeeded");

    // The first tab hears about it: two more unread notifications, and the new run is held
    // behind a button instead of pushing the rows down.
    await expect(page.getByTestId("bell-unread")).toHaveText("2");
    // The bell's panel stayed open: it reads its entries again as the page is refreshed.
    const newest = page.getByRole("dialog", { name: "Notifications" }).getByTestId("bell-item").first();
    await expect(newest).toContainText("Verify connection succeeded");
    await expect(newest.getByRole("link", { name: "View run" })).toHaveAttribute("href", new RegExp(`${runId}$`));
    await page.keyboard.press("Escape");
    await expect(page.getByTestId("new-runs")).toHaveText("1 new run — show");
    await expect(page.getByTestId("runs-table").locator("tbody tr")).toHaveCount(Math.min(rowsBefore, 25));
    await page.getByTestId("new-runs").click();
    const row = page.locator(`tr[data-run-id="${runId}"]`);
    await expect(row).toBeVisible();
    await expect(row.getByTestId("run-status")).toHaveAttribute("data-outcome", "succeeded");
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
  });

  test("a page refreshes only for runs it shows: the policies page ignores a connection check and follows a sync", async ({
    page,
  }) => {
    const tenantId = await openDemoTenant(page);
    await page.goto(`/t/${tenantId}/policies`);
    const opened = page.waitForRequest((r) => r.url().includes("/api/live?"));
    await page.reload();
    // The policies page shows inventory syncs (and the directory names it prints), not connection checks.
    const types = new URL((await opened).url()).searchParams.get("types")!.split(",");
    expect(types).toContain("inventory.sync");
    expect(types).not.toContain("tenant.verify");
    const refreshes = countRefreshes(page, `/t/${tenantId}/policies`);

    // A run the page does not show (another type, announced four times) changes nothing here.
    await runThrough(tenantId, "tenant.verify");
    await page.waitForTimeout(3_000);
    expect(refreshes()).toBe(0);

    // An inventory sync is what the page shows: it refreshes, without a reload.
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    await runThrough(tenantId, "inventory.sync");
    await expect.poll(refreshes, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
  });

  test("a run page follows its run's progress in place: the counts move with no refresh until something else changes", async ({
    page,
  }) => {
    const tenantId = await openDemoTenant(page);
    const runId = await insertRunningSync(tenantId);
    const write = (statement: string, ...values: unknown[]) =>
      withDb((db) => db.query(`update operation_runs set ${statement} where id = $1`, [runId, ...values]));
    const runPath = `/t/${tenantId}/operations/${runId}`;
    const refreshes = countRefreshes(page, runPath);
    const opened = page.waitForRequest((r) => r.url().includes("/api/live?"));
    await page.goto(runPath);
    expect(new URL((await opened).url()).searchParams.get("scope")).toBe("run");
    // A run page catches up once when its stream is ready (a change may have come before it).
    await expect.poll(refreshes).toBe(1);
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    const processed = page.locator('[data-count="processed"]');
    const bar = page.getByRole("progressbar", { name: "Progress" });
    await expect(processed).toHaveText("0");

    // Progress: the counts and the bar move, and the page is not rendered again.
    for (const n of [2, 5, 7]) {
      await write(`summary_counts = summary_counts || jsonb_build_object('processed', $2::int)`, n);
      await expect(processed).toHaveText(String(n));
      await expect(bar).toHaveAttribute("aria-valuenow", String(n));
    }
    await write(`summary_counts = summary_counts || '{"unchanged": 3}'`);
    await expect(page.locator('[data-count="unchanged"]')).toHaveText("3");
    await page.waitForTimeout(1_500); // a throttled refresh would have happened by now
    expect(refreshes()).toBe(1);

    // A failure is listed by the server: that progress refreshes the page.
    await write(
      `failures = failures || '[{"code": "graph_error", "message": "Forbidden by the tenant"}]', summary_counts = summary_counts || '{"processed": 8}'`,
    );
    await expect(page.getByTestId("run-failures")).toContainText("Forbidden by the tenant");
    await expect(processed).toHaveText("8");
    expect(refreshes()).toBe(2);
    // Over the new render, progress is in place again.
    await write(`summary_counts = summary_counts || '{"processed": 9}'`);
    await expect(processed).toHaveText("9");
    await page.waitForTimeout(1_500);
    expect(refreshes()).toBe(2);

    // The run ends (with counts the stream never carried): the refresh's counts win over the live ones.
    await write(
      `status = 'completed', outcome = 'partially_succeeded', completed_at = now(), summary_counts = '{"total": 10, "processed": 10, "unchanged": 4}'`,
    );
    await expect(page.getByTestId("run-status").first()).toHaveAttribute("data-outcome", "partially_succeeded");
    await expect(processed).toHaveText("10");
    await expect(page.locator('[data-count="unchanged"]')).toHaveText("4");
    expect(refreshes()).toBe(3);
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
  });

  test("a refresh that read the run before its latest progress does not put the older counts back", async ({
    page,
  }) => {
    const tenantId = await openDemoTenant(page);
    const runId = await insertRunningSync(tenantId);
    const runPath = `/t/${tenantId}/operations/${runId}`;
    // The page's catch-up refresh is rendered by the server at once (it reads processed = 0), but its
    // answer reaches the browser only after a progress write has been shown in place.
    let read!: () => void;
    const refreshRead = new Promise<void>((resolve) => (read = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // Only the refresh the open stream asks for is held (not a poll from before it was open).
    let streamOpen = false;
    page.on("response", (response) => {
      if (new URL(response.url()).pathname === "/api/live") streamOpen = true;
    });
    await page.route(`**${runPath}*`, async (route) => {
      const request = route.request();
      if (!streamOpen || request.headers().rsc !== "1" || request.headers()["next-router-prefetch"])
        return route.continue();
      const response = await route.fetch();
      read();
      await released;
      await route.fulfill({ response });
    });
    await page.goto(runPath);
    await refreshRead;
    await withDb((db) =>
      db.query(`update operation_runs set summary_counts = summary_counts || '{"processed": 3}' where id = $1`, [
        runId,
      ]),
    );
    const processed = page.locator('[data-count="processed"]');
    await expect(processed).toHaveText("3");
    const counts = page.getByTestId("run-counts");
    const renderedBefore = await counts.getAttribute("data-rendered-at");
    release();
    // The held render has landed (it read the run later than the first render did)…
    await expect(counts).not.toHaveAttribute("data-rendered-at", renderedBefore!);
    // …and the counts announced after it read the run still show.
    await expect(processed).toHaveText("3");
  });

  test("the stream comes back by itself after answers that are not an event stream (a 503 while the database is down)", async ({
    page,
  }) => {
    // The first two openings get what /api/live answers while PostgreSQL is unreachable.
    let openings = 0;
    await page.route("**/api/live?*", async (route) => {
      openings += 1;
      if (openings <= 2)
        await route.fulfill({ status: 503, contentType: "text/plain", body: "Live updates are unavailable." });
      else await route.continue();
    });
    await openDemoTenant(page);
    // A browser's EventSource never retries after a non-200 answer: only the page can reopen it.
    await expect.poll(() => openings, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    // And the reopened stream delivers: a run finishing in another tab rings this tab's bell.
    await page.getByTestId("bell").click();
    const markAll = page.getByRole("button", { name: "Mark all read" });
    if (await markAll.isEnabled()) await markAll.click();
    await page.keyboard.press("Escape");
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    const other = await page.context().newPage();
    await other.goto(new URL(page.url()).pathname);
    await startRun(other, "Verify connection");
    await expect(other.getByTestId("run-status")).toHaveAttribute("data-outcome", "succeeded");
    await expect(page.getByTestId("bell-unread")).toHaveText("2");
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
  });

  test("the event stream refuses anyone not signed in", async ({ request }) => {
    const response = await request.get("/api/live");
    expect(response.status()).toBe(401);
  });
});
