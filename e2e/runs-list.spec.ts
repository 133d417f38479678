import { expect, signIn, test, withDb } from "./fixtures";

/** 60 finished runs in the demo tenant, a day apart in 2025, every fourth one failed. */
async function seedRuns() {
  return withDb(async (db) => {
    const { rows } = await db.query(
      `insert into operation_runs (tenant_id, type, status, outcome, run_identity_hash, initiator_user_id, initiator_name, created_at, started_at, completed_at)
       select t.id, 'tenant.verify', 'completed', case when g % 4 = 0 then 'failed' else 'succeeded' end::run_outcome,
              md5(random()::text), u.id, u.name, ts, ts + interval '1 second', ts + interval '2 seconds'
       from tenants t, users u, generate_series(1, 60) g, lateral (select timestamptz '2025-01-01' + g * interval '1 day' as ts) x
       where t.display_name = 'Contoso Ltd (demo)' and u.email = 'demo@tenantatlas.local'
       returning id, tenant_id, outcome`,
    );
    return rows as { id: string; tenant_id: string; outcome: string }[];
  });
}

test("filter, search and page through a seeded runs list; hide a column; all tenants", async ({ page }) => {
  const seeded = await seedRuns();
  const tenantId = seeded[0]!.tenant_id;
  await signIn(page);
  await page.goto(`/t/${tenantId}/operations?from=2025-01-01&to=2025-12-31`);
  const rows = page.getByTestId("runs-table").locator("tbody tr");
  await expect(rows).toHaveCount(25);
  await expect(page.getByTestId("status-chips").getByRole("link", { name: /Completed/ })).toContainText("60");

  // Page to the end: 25 + 25 + 10, nothing repeated.
  const seen = new Set<string>();
  for (const expected of [25, 25, 10]) {
    await expect(rows).toHaveCount(expected);
    const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-run-id")!));
    for (const id of ids) seen.add(id);
    const next = page.getByRole("link", { name: "Next page →" });
    if (expected === 10) {
      await expect(next).toHaveCount(0);
    } else {
      await next.click();
      await expect(rows.first()).not.toHaveAttribute("data-run-id", ids[0]!);
    }
  }
  expect(seen.size).toBe(60);

  // Filters combine and live in the URL.
  await page.getByRole("link", { name: "← First page" }).click();
  await page.getByLabel("Outcome").selectOption("failed");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/outcome=failed/);
  await expect(rows).toHaveCount(15);
  await page.reload();
  await expect(rows).toHaveCount(15);

  // Search by the start of a run id.
  const target = seeded.find((r) => r.outcome === "succeeded")!.id;
  await page.goto(`/t/${tenantId}/operations?q=${target.slice(0, 8)}`);
  await expect(page.locator(`tr[data-run-id="${target}"]`)).toBeVisible();
  await expect(rows).toHaveCount(1);

  // Hide a column; the choice is part of the URL.
  await page.getByText("Columns").click();
  await page.getByRole("checkbox", { name: "Started by" }).click();
  await expect(page).toHaveURL(/hide=initiator/);
  await expect(page.getByRole("columnheader", { name: "Started by" })).toHaveCount(0);

  // Across tenants: the tenant column names where each run belongs.
  await page.goto("/operations?from=2025-01-01&to=2025-12-31");
  await expect(rows).toHaveCount(25);
  await expect(page.getByRole("columnheader", { name: "Tenant" })).toBeVisible();
  await expect(rows.first()).toContainText("Contoso Ltd (demo)");
});

test("a long failures list is paged on the run page", async ({ page }) => {
  const run = await withDb(async (db) => {
    const { rows } = await db.query(
      `insert into operation_runs (tenant_id, type, status, outcome, run_identity_hash, initiator_name, failures, started_at, completed_at)
       select t.id, 'tenant.verify', 'completed', 'partially_succeeded', md5(random()::text), 'Seeder',
              (select jsonb_agg(jsonb_build_object('code', 'item_failed', 'message', 'Item ' || i || ' failed', 'item', 'policy-' || i) order by i)
               from generate_series(1, 45) i), now(), now()
       from tenants t where t.display_name = 'Contoso Ltd (demo)' returning id, tenant_id`,
    );
    return rows[0] as { id: string; tenant_id: string };
  });
  await signIn(page);
  await page.goto(`/t/${run.tenant_id}/operations/${run.id}`);
  const items = page.getByTestId("run-failures").locator("li");
  await expect(items).toHaveCount(20);
  await expect(items.first()).toContainText("Item 1 failed");
  await page.getByRole("navigation", { name: "Failure pages" }).getByRole("link", { name: "3" }).click();
  await expect(items).toHaveCount(5);
  await expect(items.first()).toContainText("Item 41 failed");
});
