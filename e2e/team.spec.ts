import { DEMO, expect, hydrated, signIn, test, withDb } from "./fixtures";

/** A tenant of its own for this spec, owned by the demo operator alone. */
async function ownTenant() {
  return withDb(async (db) => {
    const tenant = await db.query(
      "insert into tenants (tenant_guid, display_name, client_id, client_secret_enc) values (gen_random_uuid(), 'Team tenant', gen_random_uuid(), 'v1.x.y.z') returning id",
    );
    const tenantId = tenant.rows[0].id as string;
    await db.query(
      "insert into tenant_memberships (user_id, tenant_id, role) select id, $1, 'owner' from users where lower(email) = $2",
      [tenantId, DEMO.email],
    );
    return tenantId;
  });
}

test("an owner invites a colleague, who joins; the owner changes the role, removes them, and cannot leave as the last owner", async ({
  page,
  browser,
}) => {
  const tenantId = await ownTenant();
  const email = `colleague-${Date.now()}@example.test`;
  await signIn(page);
  await page.goto(`/t/${tenantId}/members`);

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption("operator");
  await (await hydrated(page.getByRole("button", { name: "Create invite link" }))).click();
  const link = await page.getByTestId("invite-link").inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await expect(page.getByRole("list", { name: "Open invites" })).toContainText(email);

  // The colleague, in a browser of their own, makes an account from the link.
  const colleagueContext = await browser.newContext();
  const colleague = await colleagueContext.newPage();
  await colleague.goto(link);
  await expect(colleague.getByTestId("invite-summary")).toContainText("Team tenant");
  await expect(colleague.getByLabel("Email")).toHaveValue(email);
  await colleague.getByLabel("Your name").fill("Casey Colleague");
  await colleague.getByLabel("Password", { exact: true }).fill("a colleague's password");
  await colleague.getByLabel("Repeat the password").fill("a colleague's password");
  await (await hydrated(colleague.getByRole("button", { name: "Create account and join" }))).click();
  await expect(colleague).toHaveURL(new RegExp(`/t/${tenantId}$`));
  await expect(colleague.getByText("Tenant · operator", { exact: false })).toBeVisible();

  // The link worked once.
  await colleague.goto(link);
  await expect(colleague.getByTestId("invite-unusable")).toContainText("used already");

  // The owner makes them a viewer.
  await page.reload();
  const role = page.getByLabel("Role of Casey Colleague");
  await expect(role).toHaveValue("operator");
  await (await hydrated(role)).selectOption("viewer");
  await expect
    .poll(() =>
      withDb(async (db) => {
        const row = await db.query(
          "select m.role from tenant_memberships m join users u on u.id = m.user_id where m.tenant_id = $1 and u.email = $2",
          [tenantId, email],
        );
        return row.rows[0]?.role;
      }),
    )
    .toBe("viewer");
  await colleague.goto(`/t/${tenantId}/members`);
  await expect(colleague.locator(`[data-email="${email}"]`).getByTestId("member-role")).toHaveText("viewer");

  // …then removes them: the tenant is gone for them, and their open page's live stream (which carried
  // the tenant's run changes) ends at once and is opened again, authorized anew.
  const isStream = (url: string) => new URL(url).pathname === "/api/live";
  let streamOpenings = 0;
  colleague.on("request", (request) => {
    if (isStream(request.url())) streamOpenings += 1;
  });
  const streamOpen = colleague.waitForResponse((response) => isStream(response.url()));
  await colleague.reload();
  await streamOpen;
  const openedBefore = streamOpenings;
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Remove Casey Colleague" }).click();
  await expect(page.locator(`[data-email="${email}"]`)).toHaveCount(0);
  await expect.poll(() => streamOpenings, { timeout: 10_000 }).toBeGreaterThan(openedBefore);
  const gone = await colleague.goto(`/t/${tenantId}`);
  expect(gone?.status()).toBe(404);

  // The last owner cannot leave.
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Leave tenant" }).click();
  await expect(page.getByText("You are the last owner.")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("tenant-name")).toHaveText("Team tenant");
  await colleagueContext.close();
});
