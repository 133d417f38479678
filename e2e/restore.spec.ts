import { emulator, expect, signIn, startRun, test, withDb } from "./fixtures";

type Counter = { total: number };
const graphRequests = async () => ((await (await emulator("/requests")).json()) as Counter).total;
const idle = () =>
  expect
    .poll(
      () =>
        withDb(
          async (db) =>
            (await db.query("select count(*)::int n from operation_runs where status <> 'completed'")).rows[0].n,
        ),
      { timeout: 60_000 },
    )
    .toBe(0);

/**
 * A backup of Contoso holding three policies (one per family) that are assigned to groups, sealed
 * as a backup run leaves it. Built from the synced inventory, so the test needs no policy picking.
 */
async function contosoBackup() {
  return withDb(async (db) => {
    const { rows: chosen } = await db.query(`
      select distinct on (p.family) p.id, p.tenant_id, p.family, p.name, p.content, p.content_hash
        from policies p join tenants t on t.id = p.tenant_id
       where t.display_name = 'Contoso Ltd (demo)' and not p.deleted
         and p.family in ('device_configuration', 'compliance', 'settings_catalog')
         and exists (select 1 from jsonb_array_elements(p.content->'assignments') a where a->'target' ? 'groupId')
       order by p.family, p.name`);
    expect(chosen).toHaveLength(3);
    const set = await db.query(
      "insert into backup_sets (tenant_id, name, selection) values ($1, 'Contoso baseline for Fabrikam', $2) returning id",
      [chosen[0].tenant_id, JSON.stringify(chosen.map((p) => p.id))],
    );
    for (const p of chosen) {
      await db.query(
        "insert into backup_items (backup_set_id, tenant_id, policy_id, family, name, content, content_hash) values ($1, $2, $3, $4, $5, $6, $7)",
        [set.rows[0].id, p.tenant_id, p.id, p.family, p.name, p.content, p.content_hash],
      );
    }
    await db.query("update backup_sets set item_count = 3, completed_at = now() where id = $1", [set.rows[0].id]);
    return chosen.map((p) => p.name as string);
  });
}

test("restore three Contoso policies into Fabrikam with groups mapped from Fabrikam's cache only", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page);
  // The source: Contoso's inventory and group names (for the mapping's source names).
  await page.getByRole("link", { name: /Contoso Ltd \(demo\)/ }).click();
  await expect(page).toHaveURL(/\/t\/[0-9a-f-]{36}$/);
  const contoso = new URL(page.url()).pathname;
  for (const [section, button] of [
    ["policies", "Sync inventory"],
    ["groups", "Sync groups"],
  ] as const) {
    await page.goto(`${contoso}/${section}`);
    await startRun(page, button);
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "completed", { timeout: 60_000 });
  }
  const names = await contosoBackup();

  await page.goto("/tenants");
  await page.getByRole("link", { name: /Fabrikam Inc \(demo\)/ }).click();
  await expect(page).toHaveURL(/\/t\/[0-9a-f-]{36}$/);
  const fabrikam = new URL(page.url()).pathname;
  await page.getByRole("navigation", { name: "Tenant sections" }).getByRole("link", { name: "Restores" }).click();
  await page.getByRole("link", { name: "New restore" }).click();
  await page.getByRole("link", { name: /^Choose Contoso baseline for Fabrikam/ }).click();
  for (const name of names) await page.getByRole("checkbox", { name }).check();
  await page.getByRole("button", { name: "Next: map groups" }).click();

  // Empty cache: the helper says so and offers the sync, which starts without leaving the wizard.
  const help = page.getByTestId("directory-cache-help");
  await expect(help).toHaveAttribute("data-state", "empty");
  await expect(help).toContainText("directory cache only");
  await expect(help).toContainText("The directory cache is empty");
  const wizardUrl = page.url();
  await help.getByRole("button", { name: "Sync groups" }).click();
  await expect(help.getByRole("link", { name: "View its run" })).toBeVisible();
  expect(page.url()).toBe(wizardUrl);
  await idle();
  await page.reload();
  await expect(help).toHaveAttribute("data-state", "fresh");
  await expect(help).toContainText(/2,\d{3} groups cached/);

  // From here to the start, nothing may call Graph: mapping, searching the cache, preview.
  const before = await graphRequests();
  const rows = page.getByTestId("mapping-row");
  const count = await rows.count();
  expect(count).toBeGreaterThan(0);
  // Every source group got its same-named Fabrikam group as a suggestion.
  for (let i = 0; i < count; i++)
    await expect(
      rows
        .nth(i)
        .getByRole("list", { name: /chosen/ })
        .getByRole("listitem"),
    ).toHaveCount(1);
  // Re-map the first one by searching the cache.
  const first = rows.nth(0);
  const sourceName = (await first.locator("p.font-medium").textContent())!;
  await first.getByRole("button", { name: /^Remove / }).click();
  const picker = first.getByRole("searchbox", { name: `Target for ${sourceName}` });
  await picker.fill(sourceName.split(" ").slice(0, 2).join(" "));
  const options = first.getByRole("listbox").getByRole("option");
  await expect(options.first()).toBeVisible();
  await options.filter({ hasText: sourceName }).first().getByRole("button").click();
  await expect(first.getByRole("list", { name: /chosen/ })).toContainText(sourceName);
  // Unmap the last one and choose to skip its assignments.
  let skippedSource: string | undefined;
  if (count > 1) {
    const last = rows.nth(count - 1);
    skippedSource = (await last.locator("p.font-medium").textContent())!;
    await last.getByRole("button", { name: /^Remove / }).click();
  }
  await page.getByRole("radio", { name: /Skip their assignments/ }).check();
  await page.getByRole("button", { name: "Next: preview" }).click();

  const preview = page.getByTestId("restore-preview");
  await expect(preview.getByTestId("preview-item")).toHaveCount(3);
  for (const name of names) await expect(preview).toContainText(`Create ${name}`);
  if (skippedSource) await expect(preview).toContainText(`${skippedSource} — no target: skipped`);
  await expect(page.getByTestId("restore-preview-summary")).toContainText(
    skippedSource ? /[1-9]\d* skipped/ : /0 skipped/,
  );

  // "Block" instead: the preview says the start is blocked, and the start button is disabled.
  if (skippedSource) {
    await page.goto(page.url().replace("unmapped=skip", "unmapped=block"));
    await expect(page.getByRole("button", { name: "Start restore" })).toBeDisabled();
    await expect(preview).toContainText("no target: blocks the start");
    await page.goBack();
  }
  // A tampered mapping (a group that is not in the cache) is refused by the preview.
  const tampered = new URL(page.url());
  const [firstPair, ...otherPairs] = tampered.searchParams.getAll("map");
  tampered.searchParams.delete("map");
  for (const pair of [`${firstPair!.split(":")[0]}:${crypto.randomUUID()}`, ...otherPairs])
    tampered.searchParams.append("map", pair);
  await page.goto(tampered.toString());
  await expect(page.getByRole("alert").filter({ hasText: "is not in this tenant's directory cache" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Start restore" })).toHaveCount(0);
  await page.goBack();
  // Stale cache: the helper says so, still with the sync at hand.
  await withDb((db) =>
    db.query("update tenant_directory_state set groups_synced_at = now() - interval '2 days' where tenant_id = $1", [
      fabrikam.split("/")[2],
    ]),
  );
  await page.goto(page.url().replace("step=preview", "step=map"));
  await expect(help).toHaveAttribute("data-state", "stale");
  await expect(help).toContainText("more than a day ago");
  await expect(help.getByRole("button", { name: "Sync groups" })).toBeVisible();
  await page.goBack();
  expect(await graphRequests()).toBe(before);

  // A start whose hidden fields were tampered with is refused and starts nothing.
  const runsBefore = await withDb(
    async (db) =>
      (await db.query("select count(*)::int n from operation_runs where type = 'restore.execute'")).rows[0].n,
  );
  await page
    .locator('form input[type=hidden][name="item"]')
    .first()
    .evaluate((input: HTMLInputElement) => (input.value = crypto.randomUUID()));
  await page.getByRole("button", { name: "Start restore" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Some chosen items are not in this backup." })).toBeVisible();
  expect(
    await withDb(
      async (db) =>
        (await db.query("select count(*)::int n from operation_runs where type = 'restore.execute'")).rows[0].n,
    ),
  ).toBe(runsBefore);

  // The real start.
  await page.reload();
  await startRun(page, "Start restore");
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-outcome", "succeeded", { timeout: 60_000 });
  await page.getByTestId("run-results-link").click();
  const results = page.getByTestId("restore-items");
  await expect(results.locator("tbody tr[data-status=restored]")).toHaveCount(3);
  for (const name of names) await expect(results).toContainText(name);

  // Fabrikam now has the three policies, with the mapped Fabrikam groups as targets.
  const created = await withDb(
    async (db) =>
      (
        await db.query("select created_policy_id, name from restore_items where tenant_id = $1", [
          fabrikam.split("/")[2],
        ])
      ).rows,
  );
  const fabrikamGuid = await withDb(
    async (db) =>
      (await db.query("select tenant_guid from tenants where id = $1", [fabrikam.split("/")[2]])).rows[0]
        .tenant_guid as string,
  );
  const inTarget = (await (await emulator(`/tenants/${fabrikamGuid}/policies`)).json()) as {
    id: string;
    name: string;
  }[];
  for (const row of created) expect(inTarget.find((p) => p.id === row.created_policy_id)?.name).toBe(row.name);
  await page.goto(`${fabrikam}/restores`);
  await expect(page.getByTestId("restores-table")).toContainText("Contoso baseline for Fabrikam");
});

test("a viewer cannot restore: the wizard says which role it needs", async ({ page }) => {
  const email = `viewer-${Date.now()}@example.test`;
  const tenantId = await withDb(async (db) => {
    const { hashPassword } = await import("../lib/auth/password");
    const user = await db.query(
      "insert into users (email, name, password_hash) values ($1, 'Viewer', $2) returning id",
      [email, await hashPassword("viewer-password")],
    );
    const tenant = await db.query("select id from tenants where display_name = 'Fabrikam Inc (demo)'");
    await db.query("insert into tenant_memberships (user_id, tenant_id, role) values ($1, $2, 'viewer')", [
      user.rows[0].id,
      tenant.rows[0].id,
    ]);
    return tenant.rows[0].id as string;
  });
  await signIn(page, email, "viewer-password");
  await page.goto(`/t/${tenantId}/restores`);
  await expect(page.getByRole("link", { name: "New restore" })).toHaveCount(0);
  await page.goto(`/t/${tenantId}/restores/new`);
  await expect(page.getByRole("alert").filter({ hasText: "Restoring needs the operator role" })).toContainText(
    "you are a viewer",
  );
});
