import { connectEmulatedTenant, emulator, expect, hydrated, signIn, startRun, test, withDb } from "./fixtures";

/**
 * Drift as an owner works it, in a tenant of its own (the emulator's Baseline Works): a backup of
 * three policies becomes the baseline; in Intune one of them changes and another is deleted; the
 * drift page shows both. Revert puts the changed one back in place, Accept takes the deletion into
 * the baseline, and the next detection finds nothing of the three.
 */
const TENANT = "Baseline Works (drift e2e)";

test("an owner reverts a changed policy and accepts a deleted one; the next detection is clean for both", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const completed = (outcome = "succeeded") =>
    expect(page.getByTestId("run-status")).toHaveAttribute("data-outcome", outcome, { timeout: 120_000 });

  await signIn(page);
  const { emulated: works, tenant } = await connectEmulatedTenant(page, { key: "baselineworks", displayName: TENANT });
  await page.goto(`${tenant}/policies`);
  await startRun(page, "Sync inventory");
  await completed();
  await page.goto(`${tenant}/groups`);
  await startRun(page, "Sync groups");
  await completed();

  // The baseline: a backup of three assigned policies.
  await page.goto(`${tenant}/policies?assigned=yes`);
  const table = page.getByTestId("policies-table");
  for (let i = 0; i < 3; i++) await (await hydrated(table.getByRole("checkbox").nth(i))).check();
  await page.getByRole("button", { name: "Back up selected" }).click();
  await expect(page).toHaveURL(/\/operations\/[0-9a-f-]{36}$/);
  await completed();
  await page.goto(`${tenant}/drift`);
  const set = await page.locator(`#baseline-set option:has-text("${TENANT}")`).first().getAttribute("value");
  await page.getByLabel("Baseline backup").selectOption(set!);
  await (await hydrated(page.getByRole("button", { name: "Use as baseline" }))).click();
  await expect(page.getByTestId("baseline-form").getByRole("status")).toContainText("Baseline set");

  // In Intune: one policy changes, another is deleted.
  const [changed, deleted] = await withDb(
    async (db) =>
      (await db.query("select policy_id, name from backup_items where backup_set_id = $1 order by name limit 2", [set]))
        .rows as { policy_id: string; name: string }[],
  );
  const admin = (path: string, init: RequestInit) =>
    emulator(`/tenants/${works.tenantId}/policies/${path}`, {
      ...init,
      headers: { "content-type": "application/json" },
    });
  await admin(changed!.policy_id, {
    method: "PATCH",
    body: JSON.stringify({ body: { description: "Changed after the baseline" } }),
  });
  await admin(deleted!.policy_id, { method: "DELETE" });

  await page.goto(`${tenant}/drift`);
  await startRun(page, "Detect drift");
  await completed();
  await page.goto(`${tenant}/drift`);
  const changedCard = page.getByTestId("drift-changed").filter({ hasText: changed!.name });
  await expect(changedCard.getByTestId("drift-diff")).toContainText("Changed after the baseline");
  await expect(page.getByTestId("drift-missing")).toContainText(deleted!.name);
  // The rest of the tenant is "new" (the baseline holds three policies): the list shows its start.
  await expect(page.getByTestId("drift-new").getByRole("listitem")).toHaveCount(25);
  await page.getByTestId("drift-truncated").getByRole("link", { name: "Show every finding" }).click();
  // Everything the inventory holds but the three baseline policies. (Not the emulator's whole list: it
  // also holds kinds no type takes, a retired enrollment restriction and Windows restore, which
  // inventory and drift both pass over.)
  const inventoried = await withDb(async (db) => {
    const { rows } = await db.query("select count(*)::int as n from policies where tenant_id = $1 and not deleted", [
      tenant.split("/")[2],
    ]);
    return rows[0].n as number;
  });
  await expect(page.getByTestId("drift-new").getByRole("listitem")).toHaveCount(inventoried - 3);

  // Revert the change: a run, and Intune has the baseline's description again (same policy).
  await (await hydrated(page.getByRole("button", { name: `Revert ${changed!.name}` }))).click();
  await expect(page).toHaveURL(/\/operations\/[0-9a-f-]{36}$/);
  await completed();
  const policy = (await (await emulator(`/tenants/${works.tenantId}/policies`)).json()) as {
    id: string;
  }[];
  expect(policy.map((p) => p.id)).toContain(changed!.policy_id);

  // Accept the deletion: the baseline no longer holds that policy.
  await page.goto(`${tenant}/drift`);
  await (await hydrated(page.getByRole("button", { name: `Accept ${deleted!.name}` }))).click();
  await expect(page).toHaveURL(/\/operations\/[0-9a-f-]{36}$/);
  await completed();

  // The findings stay listed until the next detection, but acting twice is refused in words.
  await page.goto(`${tenant}/drift`);
  await (await hydrated(page.getByRole("button", { name: `Revert ${changed!.name}` }))).click();
  await expect(page.getByTestId("drift-changed").filter({ hasText: changed!.name }).getByRole("alert")).toContainText(
    "already reverted",
  );

  await startRun(page, "Detect drift");
  await completed();
  await page.goto(`${tenant}/drift`);
  await expect(page.getByTestId("drift-summary")).toContainText("0 changed · 0 missing");
  await expect(page.getByTestId("drift-changed")).toHaveCount(0);
});
