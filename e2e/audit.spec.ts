import { createOutsider, expect, signIn, startRun, test, withDb } from "./fixtures";

test("the audit log: a run start on the tenant's page and /audit, the sign-in; another tenant's events never shown", async ({
  page,
}) => {
  const outsider = await createOutsider();
  const marker = `outsider-secret-${Date.now()}`;
  await withDb((db) =>
    db.query(
      `insert into audit_events (actor_kind, actor_user_id, actor_name, tenant_id, action, target_label, outcome)
       values ('user', null, $1, $2, 'run.start', $1, 'success')`,
      [marker, outsider.tenantId],
    ),
  );

  await signIn(page);
  await page.getByRole("link", { name: /Contoso Ltd \(demo\)/ }).click();
  await startRun(page, "Verify connection");
  await page.getByRole("link", { name: "Audit", exact: true }).last().click();
  await expect(page).toHaveURL(/\/t\/[^/]+\/audit$/);
  const table = page.getByTestId("audit-table");
  await expect(table.getByText("run.start").first()).toBeVisible();
  await page.screenshot({ path: "test-results/audit-tenant.png", fullPage: true });

  await page.goto("/audit");
  await expect(page.getByTestId("audit-table").getByText("auth.sign_in").first()).toBeVisible();
  await page.screenshot({ path: "test-results/audit-all.png", fullPage: true });
  expect(await page.content()).not.toContain(marker);

  const csv = await page.request.get("/audit/export?action=run");
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const text = await csv.text();
  expect(text).toContain("run.start");
  expect(text).not.toContain(marker);
  expect(text).not.toContain("auth.sign_in");
});
