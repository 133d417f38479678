import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { DEMO, emulator, expect, signIn, startRun, test, withDb } from "./fixtures";

const JWT = /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/;
type Counter = { callers: Record<string, { app: number; user: number }> };
const callers = async (route: string) =>
  ((await (await emulator("/requests")).json()) as Counter).callers[route] ?? { app: 0, user: 0 };

async function openContoso(page: Page) {
  await page.goto("/tenants");
  await page.getByRole("link", { name: /Contoso Ltd \(demo\)/ }).click();
  await expect(page).toHaveURL(/\/t\/[0-9a-f-]{36}$/);
}

/** Roles are chosen from the database: sync them once (from the card) if this tenant has none yet. */
async function ensureRolesSynced(page: Page) {
  const card = page.getByTestId("intune-roles");
  if (await card.getByText("No role definitions cached yet").isVisible()) {
    await startRun(page, "Sync Intune roles");
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-outcome", "succeeded", { timeout: 30_000 });
    await page.getByTestId("run-results-link").click();
    await expect(page).toHaveURL(/#intune-roles$/);
  }
}

test("a password session sees the group search disabled with the reason; signing in with Microsoft from there links the identity and enables it", async ({
  page,
}) => {
  await signIn(page);
  await openContoso(page);
  await ensureRolesSynced(page);
  const wizard = page.getByTestId("rbac-wizard");
  await wizard.getByRole("radio", { name: /Help Desk Operator/ }).check();
  await wizard.getByRole("button", { name: "Next" }).click();
  const disabled = wizard.getByTestId("group-search-disabled").first();
  await expect(disabled).toBeVisible();
  await expect(disabled).toContainText("you signed in with a password");
  await expect(disabled.getByRole("searchbox")).toBeDisabled();
  await expect(disabled.getByRole("button", { name: "Sign in with Microsoft" })).toBeVisible();
  await expect(wizard.getByRole("searchbox", { name: "Member groups" })).toHaveCount(0);

  // Signing in with Microsoft from here links that identity to this account: still the demo
  // operator, now with a delegated token, and the search works.
  // Linking takes the console password again first.
  await disabled.getByLabel("Your console password").fill(DEMO.password);
  await disabled.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await page.getByRole("button", { name: /Megan Bowen/ }).click();
  await expect(page).toHaveURL(/\/t\/[0-9a-f-]{36}#intune-roles$/);
  await expect(page.getByTestId("signed-in-user")).toHaveText("Demo Operator");
  await wizard.getByRole("radio", { name: /Help Desk Operator/ }).check();
  await wizard.getByRole("button", { name: "Next" }).click();
  await wizard.getByRole("searchbox", { name: "Member groups" }).fill("Finance");
  await expect(
    wizard.getByRole("listbox", { name: "Member groups: results" }).getByRole("option").first(),
  ).toContainText("Finance");
  const linked = await withDb(async (db) =>
    (
      await db.query(
        "select u.email from user_identities i join users u on u.id = i.user_id where i.provider = 'azure-ad'",
      )
    ).rows.map((r) => r.email),
  );
  expect(linked).toContain("demo@tenantatlas.local");

  // That Microsoft account belongs to Contoso: in Fabrikam the search is off, and says why.
  await page.goto("/tenants");
  await page.getByRole("link", { name: /Fabrikam Inc \(demo\)/ }).click();
  await expect(page).toHaveURL(/\/t\/[0-9a-f-]{36}$/);
  await ensureRolesSynced(page);
  await wizard.getByRole("radio", { name: /Help Desk Operator/ }).check();
  await wizard.getByRole("button", { name: "Next" }).click();
  await expect(wizard.getByTestId("group-search-disabled").first()).toContainText(
    "your Microsoft sign-in belongs to another tenant",
  );
  await expect(wizard.getByRole("searchbox", { name: "Member groups" })).toHaveCount(0);
});

test("signed in with Microsoft, an owner finds groups live with their own token and assigns an Intune role", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(120_000);
  // Short-lived delegated tokens: every search has to refresh, and the rotated refresh token must be kept.
  await emulator("/settings", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ userTokenSeconds: 30 }),
  });
  const seen: string[] = [];
  page.on("response", async (response) => {
    if (
      new URL(response.url()).port === new URL(baseURL!).port &&
      /text|json|x-component/.test(response.headers()["content-type"] ?? "")
    )
      seen.push(await response.text().catch(() => ""));
  });
  // Giving an Intune role is an owner's decision: the demo seeds Adele as Contoso's operator.
  await withDb((db) =>
    db.query(
      `update tenant_memberships set role = 'owner' where user_id = (select id from users where name = 'Adele Vance')`,
    ),
  );
  try {
    await page.goto("/sign-in");
    await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
    await page.getByRole("button", { name: /Adele Vance/ }).click();
    await expect(page).toHaveURL(/\/tenants$/);
    await openContoso(page);
    await ensureRolesSynced(page);

    const wizard = page.getByTestId("rbac-wizard");
    await expect(wizard.getByTestId("group-search-disabled")).toHaveCount(0);
    await wizard.getByRole("radio", { name: /Help Desk Operator/ }).check();
    await wizard.getByRole("button", { name: "Next" }).click();

    const search = "GET /v1.0/groups";
    const before = await callers(search);
    const pick = async (picker: string, query: string) => {
      await wizard.getByRole("searchbox", { name: picker }).fill(query);
      const option = wizard
        .getByRole("listbox", { name: `${picker}: results` })
        .getByRole("option")
        .first();
      await expect(option).toContainText(query);
      const name = await option.getByRole("button").evaluate((button) => button.firstChild!.textContent!);
      await option.getByRole("button").click();
      await expect(wizard.getByRole("list", { name: `${picker}: chosen` })).toContainText(query);
      return name;
    };
    const finance = await pick("Member groups", "Finance Users");
    const hr = await pick("Member groups", "HR Pilot");
    await wizard.getByRole("button", { name: "Next" }).click();
    const devices = await pick("Scope groups", "IT Devices");
    const after = await callers(search);
    // Every search went to Graph as the user, none as the app.
    expect(after.user - before.user).toBeGreaterThanOrEqual(3);
    expect(after.app).toBe(before.app);

    await wizard.getByRole("button", { name: "Next" }).click();
    await wizard.getByLabel("Assignment name").fill("Finance and HR helpdesk");
    const posts = await callers("POST /beta/deviceManagement/roleAssignments");
    await startRun(page, "Assign role");
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-outcome", "succeeded", { timeout: 30_000 });
    expect((await callers("POST /beta/deviceManagement/roleAssignments")).app).toBe(posts.app + 1);

    await page.getByTestId("run-results-link").click();
    const row = page.getByTestId("role-assignments").locator("tr", { hasText: "Finance and HR helpdesk" });
    await expect(row).toContainText("Help Desk Operator");
    for (const name of [finance, hr, devices]) await expect(row).toContainText(name);
  } finally {
    await emulator("/settings", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userTokenSeconds: 3600 }),
    });
  }

  // The delegated token went nowhere but the session cookie: not to the browser…
  expect(seen.length).toBeGreaterThan(0);
  for (const body of [...seen, await page.content()]) expect(body).not.toMatch(JWT);
  // …not into any text or JSON column of the database…
  const hits = await withDb(async (db) => {
    const { rows: columns } = await db.query(`
      select table_schema, table_name, column_name from information_schema.columns
       where table_schema not in ('pg_catalog', 'information_schema') and data_type in ('text', 'character varying', 'json', 'jsonb')`);
    const found: string[] = [];
    for (const c of columns) {
      const { rows } = await db.query(
        `select count(*)::int n from "${c.table_schema}"."${c.table_name}" where "${c.column_name}"::text ~ 'eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}\\.'`,
      );
      if (rows[0].n > 0) found.push(`${c.table_schema}.${c.table_name}.${c.column_name}`);
    }
    return { found, scanned: columns.length };
  });
  expect(hits.scanned).toBeGreaterThan(20);
  expect(hits.found).toEqual([]);
  // …and not into the server's output.
  const log = readFileSync(path.resolve(".data/e2e/console.log"), "utf8");
  expect(log.length).toBeGreaterThan(0);
  expect(log).not.toMatch(JWT);
});
