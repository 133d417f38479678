import { DEMO, expect, hydrated, signIn, test, withDb } from "./fixtures";

/** A tenant of its own for this spec, owned by the demo operator alone. */
async function ownTenant() {
  return withDb(async (db) => {
    const tenant = await db.query(
      "insert into tenants (tenant_guid, display_name, client_id, client_secret_enc) values (gen_random_uuid(), 'Schedules tenant', gen_random_uuid(), 'v1.x.y.z') returning id",
    );
    const tenantId = tenant.rows[0].id as string;
    await db.query(
      "insert into tenant_memberships (user_id, tenant_id, role) select id, $1, 'owner' from users where lower(email) = $2",
      [tenantId, DEMO.email],
    );
    return tenantId;
  });
}

test("an operator creates a schedule, is told what is wrong with a bad cron, runs it now and opens the run", async ({
  page,
}) => {
  const tenantId = await ownTenant();
  await signIn(page);
  await page.goto(`/t/${tenantId}/schedules`);
  const form = page.getByRole("form", { name: "Create schedule" });

  await form.getByLabel("Name").fill("Every morning");
  await form.getByLabel("Operation").selectOption({ label: "Sync inventory" });
  await (await hydrated(form.getByLabel("Repeats"))).selectOption("cron");
  await form.getByLabel("Cron expression").fill("61 * * * *");
  await form.getByRole("button", { name: "Create schedule" }).click();
  await expect(form.getByText("That is not a valid cron expression.")).toBeVisible();

  await form.getByLabel("Repeats").selectOption("daily");
  await form.getByLabel("At (HH:MM, 24-hour)").fill("06:30");
  await form.getByLabel("Time zone").fill("Europe/Berlin");
  await form.getByRole("button", { name: "Create schedule" }).click();

  const schedule = page.getByTestId("schedule").filter({ hasText: "Every morning" });
  await expect(schedule).toContainText("Daily at 06:30 (Europe/Berlin)");
  await expect(schedule.getByTestId("schedule-next")).not.toHaveText("None while paused");

  await (await hydrated(schedule.getByRole("button", { name: "Run Every morning now" }))).click();
  await schedule.getByTestId("run-now-link").click();
  await expect(page).toHaveURL(new RegExp(`/t/${tenantId}/operations/`));
  await expect(page.getByTestId("run-initiator").first()).toHaveAttribute("data-kind", "user");
});

test("a schedule due every minute fires by itself: its run is the schedule's", async ({ page }) => {
  test.setTimeout(180_000);
  // The tenant's secret cannot be opened: the scheduled sync fails (after its retries), which is
  // not what this test watches — only that the schedule started it by itself.
  const tenantId = await ownTenant();
  await signIn(page);
  await page.goto(`/t/${tenantId}/schedules`);
  const form = page.getByRole("form", { name: "Create schedule" });
  await form.getByLabel("Name").fill("Every minute");
  await form.getByLabel("Operation").selectOption({ label: "Sync inventory" });
  await (await hydrated(form.getByLabel("Repeats"))).selectOption("cron");
  await form.getByLabel("Cron expression").fill("* * * * *");
  await form.getByRole("button", { name: "Create schedule" }).click();
  const schedule = page.getByTestId("schedule").filter({ hasText: "Every minute" });
  await expect(schedule).toBeVisible();

  // Its next minute plus the worker's cron pass (SCHEDULE_CHECK_SECONDS in playwright.config.ts).
  const lastRun = schedule.getByTestId("schedule-last-run").getByRole("link");
  await expect(async () => {
    await page.reload();
    await expect(lastRun).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 150_000, intervals: [3_000] });
  // Paused at once, so it does not go on firing for the rest of the suite.
  await (await hydrated(schedule.getByRole("button", { name: "Pause Every minute" }))).click();
  await expect(schedule.getByTestId("schedule-next")).toHaveText("None while paused");

  await lastRun.click();
  await expect(page).toHaveURL(new RegExp(`/t/${tenantId}/operations/`));
  await expect(page.getByTestId("run-initiator").first()).toHaveAttribute("data-kind", "schedule");
});
