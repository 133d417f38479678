import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { connectEmulatedTenant, emulator, expect, hydrated, signIn, startRun, test, withDb } from "./fixtures";

/**
 * Every page of the console, in light and dark colour scheme, at desktop width and on a phone
 * (390 px): axe finds no WCAG 2.1 A/AA violation, and on the phone no page scrolls sideways and the
 * bell and Sign out stay on screen.
 *
 * The pages show real content: the spec connects a tenant of its own (so the other specs' demo
 * tenants stay untouched), syncs its inventory and groups, takes a backup and restores it.
 */

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const TENANT = "Woodgrove Bank (accessibility)";
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

type Pages = { name: string; path: string }[];

/** Connects the emulator's Woodgrove tenant through the form, then creates what its pages show. */
async function createContent(page: Page): Promise<Pages> {
  await signIn(page);
  const { emulated: woodgrove, tenant } = await connectEmulatedTenant(page, { key: "woodgrove", displayName: TENANT });
  const done = async () =>
    expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "completed", { timeout: 90_000 });

  await startRun(page, "Verify connection");
  await done();
  await page.goto(`${tenant}/policies`);
  const run = await startRun(page, "Sync inventory");
  await done();
  await page.goto(`${tenant}/groups`);
  await startRun(page, "Sync groups");
  await done();

  // A backup of three assigned policies.
  await page.goto(`${tenant}/policies?assigned=yes`);
  const table = page.getByTestId("policies-table");
  for (let i = 0; i < 3; i++) await table.getByRole("checkbox").nth(i).check();
  await page.getByRole("button", { name: "Back up selected" }).click();
  await expect(page).toHaveURL(/\/operations\/[0-9a-f-]{36}$/);
  await done();
  await page.goto(`${tenant}/backups`);
  const backup = await page.getByTestId("backups-table").locator("tbody a").first().getAttribute("href");
  await page.goto(`${tenant}/policies`);
  const policy = await page.getByTestId("policies-table").locator("tbody a").first().getAttribute("href");

  // The restore wizard, step by step, then the restore itself.
  await page.goto(`${tenant}/restores/new`);
  const chooseBackup = page.url();
  await page.getByTestId("restore-backups").locator("a[href*='step=items']").first().click();
  await expect(page).toHaveURL(/step=items/);
  const items = page.url();
  for (const box of await page.getByRole("checkbox").all()) await box.check();
  await page.getByRole("button", { name: "Next: map groups" }).click();
  await expect(page).toHaveURL(/step=map/);
  const map = page.url();
  await page.getByRole("button", { name: "Next: preview" }).click();
  await expect(page).toHaveURL(/step=preview/);
  const preview = page.url();
  await startRun(page, "Start restore");
  await done();
  await page.getByTestId("run-results-link").click();
  await expect(page).toHaveURL(/\/restores\/[0-9a-f-]{36}$/);
  const restore = new URL(page.url()).pathname;

  // An alert channel (nothing listens at its URL: its test delivery shows a failed try).
  await page.goto(`${tenant}/alerts`);
  await page.getByLabel("Name").fill("Ops webhook");
  await page.getByLabel("Webhook URL").fill("http://localhost:9/hooks/alerts");
  await page.getByRole("button", { name: "Add channel" }).click();
  await expect(page.getByTestId("signing-secret")).toBeVisible();
  await page.getByTestId("alert-channels").getByRole("link", { name: "Ops webhook" }).click();
  await expect(page).toHaveURL(/\/alerts\/[0-9a-f-]{36}$/);
  const channel = new URL(page.url()).pathname;
  await page.getByTestId("send-test-alert").click();
  await expect(page.getByTestId("alert-delivery")).toHaveCount(1);

  // Drift: the backup becomes the baseline, one of its policies changes in Intune, detection finds it.
  await page.goto(`${tenant}/drift`);
  const baseline = await page.locator(`#baseline-set option:has-text("${TENANT}")`).first().getAttribute("value");
  await page.getByLabel("Baseline backup").selectOption(baseline!);
  await (await hydrated(page.getByRole("button", { name: "Use as baseline" }))).click();
  await expect(page.getByTestId("baseline-form").getByRole("status")).toContainText("Baseline set");
  const [item] = await withDb(
    async (db) =>
      (await db.query("select policy_id from backup_items where backup_set_id = $1 limit 1", [baseline])).rows,
  );
  await emulator(`/tenants/${woodgrove.tenantId}/policies/${item.policy_id}`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ body: { description: "Changed after the baseline" } }),
  });
  await startRun(page, "Detect drift");
  await done();
  await page.goto(`${tenant}/drift`);
  await expect(page.getByTestId("drift-diff").first()).toContainText("Changed after the baseline");

  const path = (url: string) => url.replace(/^https?:\/\/[^/]+/, "");
  return [
    { name: "fleet", path: "/" },
    { name: "tenants", path: "/tenants" },
    { name: "new tenant", path: "/tenants/new" },
    { name: "tenant overview", path: tenant },
    { name: "tenant operations", path: `${tenant}/operations` },
    { name: "all operations", path: "/operations" },
    { name: "run", path: run },
    { name: "notifications", path: "/notifications" },
    { name: "policies", path: `${tenant}/policies` },
    { name: "policy", path: policy! },
    { name: "backups", path: `${tenant}/backups` },
    { name: "backup", path: backup! },
    { name: "restores", path: `${tenant}/restores` },
    { name: "drift", path: `${tenant}/drift` },
    { name: "restore", path: restore },
    { name: "restore wizard: backup", path: path(chooseBackup) },
    { name: "restore wizard: items", path: path(items) },
    { name: "restore wizard: map groups", path: path(map) },
    { name: "restore wizard: preview", path: path(preview) },
    { name: "groups", path: `${tenant}/groups` },
    { name: "explorer: group search", path: `${tenant}/explorer?q=finance` },
    { name: "explorer: policy search", path: `${tenant}/explorer?pq=a` },
    { name: "members", path: `${tenant}/members` },
    { name: "alerts", path: `${tenant}/alerts` },
    { name: "alert channel", path: channel },

    { name: "schedules", path: `${tenant}/schedules` },
    { name: "tenant audit", path: `${tenant}/audit` },
    { name: "tenant settings", path: `${tenant}/settings` },
    { name: "audit", path: "/audit" },
    { name: "account", path: "/account" },
  ];
}

type Violation = Awaited<ReturnType<AxeBuilder["analyze"]>>["violations"][number];

/** One line per violating node: what a developer needs to find and fix it. */
function describe(violations: Violation[]): string {
  return violations
    .flatMap((v) =>
      v.nodes.map(
        (n) =>
          `  ${v.id} (${n.impact ?? v.impact}) ${n.target.join(" ")}\n    ${(n.failureSummary ?? v.help).replaceAll("\n", "\n    ")}`,
      ),
    )
    .join("\n");
}

/** Axe and (on a phone) the layout checks for the page as it is now, in the colour scheme it shows. */
async function audit(page: Page, name: string): Promise<string[]> {
  const problems: string[] = [];
  // Legacy mode runs axe in the page itself: the default opens (and closes) a second tab per audit to
  // merge frame results, and these pages have no frames. Same rules, same tags, same findings.
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).setLegacyMode().analyze();
  if (violations.length) {
    const nodes = violations.reduce((n, v) => n + v.nodes.length, 0);
    problems.push(`${name}: ${violations.length} rule(s), ${nodes} node(s)\n${describe(violations)}`);
  }
  const width = page.viewportSize()!.width;
  if (width <= PHONE.width) {
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    if (scroll > client) problems.push(`${name}: the page scrolls sideways (${scroll} px content in ${client} px)`);
  }
  return problems;
}

const SCHEMES = ["light", "dark"] as const;
const VIEWPORTS = [
  ["desktop", DESKTOP],
  ["390 px", PHONE],
] as const;
type Viewport = (typeof VIEWPORTS)[number];

/**
 * The page as loaded, audited in light and then in dark: the scheme is switched in place (the CSS
 * follows prefers-color-scheme), and colour transitions are let finish first, so axe sees the
 * colours a page loaded in that scheme shows. Halves the navigations of loading it once per scheme.
 */
async function auditBothSchemes(page: Page, name: string, width: string): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme });
    await page.waitForFunction(() =>
      document.getAnimations().every((a) => !(a instanceof CSSTransition) || a.playState !== "running"),
    );
    found.push(...(await audit(page, `[${colorScheme}, ${width}] ${name}`)));
  }
  return found;
}

/** Every page (and the top bar's pop-ups) at one viewport, each in both colour schemes. */
async function auditAll(page: Page, pages: Pages, [width, viewport]: Viewport): Promise<string[]> {
  const found: string[] = [];
  await page.goto("/sign-in");
  await expect(page.getByLabel("Email")).toBeVisible();
  found.push(...(await auditBothSchemes(page, "sign-in", width)));

  await signIn(page);
  for (const { name, path } of pages) {
    await page.goto(path);
    await expect(page.locator("main")).toBeVisible();
    found.push(...(await auditBothSchemes(page, name, width)));
    if (viewport !== PHONE) continue;
    for (const [label, control] of [
      ["the bell", page.getByTestId("bell")],
      ["Sign out", page.getByRole("button", { name: "Sign out", exact: true })],
    ] as const) {
      const box = (await control.isVisible()) ? await control.boundingBox() : null;
      if (!box || box.x < 0 || box.x + box.width > viewport.width)
        found.push(`[${width}] ${name}: ${label} is off screen`);
    }
  }
  // The top bar's pop-ups, open: the bell's panel, and on a phone the section menu.
  await page.goto("/tenants");
  await page.getByTestId("bell").click();
  await expect(page.getByRole("dialog", { name: "Notifications" })).toBeVisible();
  found.push(...(await auditBothSchemes(page, "bell panel", width)));
  await page.keyboard.press("Escape");
  if (viewport === PHONE) {
    await page.getByRole("button", { name: "Menu" }).click();
    await expect(
      page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Operations" }),
    ).toBeVisible();
    found.push(...(await auditBothSchemes(page, "section menu", width)));
  }
  return found;
}

test("every page passes axe (WCAG 2.1 A/AA) in light and dark, at desktop width and at 390 px", async ({
  page,
  browser,
}) => {
  test.setTimeout(900_000);
  const pages = await test.step("create the content the pages show", () => createContent(page));
  const { baseURL, ignoreHTTPSErrors } = test.info().project.use;
  // The two widths at once, each in a browser context of its own (its own session, viewport and
  // colour scheme): axe is CPU-bound, and the CI machine has 2 cores.
  const found = await Promise.all(
    VIEWPORTS.map((viewport) =>
      test.step(viewport[0], async () => {
        const context = await browser.newContext({ baseURL, ignoreHTTPSErrors, viewport: viewport[1] });
        try {
          return await auditAll(await context.newPage(), pages, viewport);
        } finally {
          await context.close();
        }
      }),
    ),
  );
  const problems = found.flat();
  expect(problems, problems.join("\n")).toEqual([]);
});
