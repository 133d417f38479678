import { createOutsider, expect, signIn, test, withDb } from "./fixtures";

test.describe("sign-in redirects stay on the console", () => {
  // A browser resolves both to //evil.example: a signed-in user following such a link must stay here.
  for (const hostile of ["%2F%5Cevil.example", "%2F%09%2Fevil.example"]) {
    test(`callbackUrl=${hostile} lands on the console, not on another site`, async ({ page }) => {
      await signIn(page);
      const outside: string[] = [];
      page.on("request", (request) => {
        if (new URL(request.url()).hostname.endsWith("evil.example")) outside.push(request.url());
      });
      await page.goto(`/sign-in?callbackUrl=${hostile}`).catch(() => {});
      await expect(page).toHaveURL(/^http:\/\/localhost:\d+\/tenants$/);
      expect(outside).toEqual([]);
    });
  }
});

test("a session split into cookie chunks is still a session (no loop between /tenants and sign-in)", async ({
  page,
  context,
}) => {
  await signIn(page);
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === "next-auth.session-token");
  expect(session).toBeDefined();
  // What next-auth writes for a session too large for one cookie, as a Microsoft sign-in's is.
  const half = Math.ceil(session!.value.length / 2);
  await context.clearCookies({ name: "next-auth.session-token" });
  await context.addCookies(
    [session!.value.slice(0, half), session!.value.slice(half)].map((value, i) => ({
      ...session!,
      name: `next-auth.session-token.${i}`,
      value,
    })),
  );
  await page.goto("/tenants");
  await expect(page).toHaveURL(/\/tenants$/);
  await expect(page.getByRole("heading", { name: "Tenants" })).toBeVisible();
});

test("ten wrong passwords lock the account for a while, and the form says for how long", async ({ page }) => {
  const { email } = await createOutsider();
  await page.goto("/sign-in");
  // The form's own message (Next.js has an empty route announcer with the same role).
  const alert = page.locator("form").getByRole("alert");
  for (let i = 0; i < 10; i++) {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(`wrong-${i}`);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(alert).toHaveText("The email or password is not right.");
  }
  // The right password now waits out the lock like any other.
  await page.getByLabel("Password").fill("outsider-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(alert).toHaveText("Too many failed sign-ins. Try again in 15 minutes.");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("a Microsoft sign-in whose email matches a password account does not get into that account", async ({ page }) => {
  // Megan's identity may be linked to the demo operator by the RBAC tests: start from no link.
  await withDb((db) =>
    db.query(
      "delete from user_identities where user_id = (select id from users where lower(email) = 'demo@tenantatlas.local')",
    ),
  );
  const email = "megan@contoso.onmicrosoft.com";
  await withDb(async (db) => {
    await db.query("delete from users where lower(email) = $1", [email]);
    await db.query("insert into users (email, name) values ($1, 'Password Megan')", [email]);
  });
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await page.getByRole("button", { name: /Megan Bowen/ }).click();
  await expect(page).toHaveURL(/\/sign-in\?error=microsoft_email_taken/);
  await expect(page.getByTestId("sign-in-refused")).toContainText("A console account with this email already exists");
  const session = await (await page.request.get("/api/auth/session")).json();
  expect(session).toEqual({});
});

test("no page can be framed, and every page carries a nonce-based script policy", async ({ page, baseURL }) => {
  const response = await page.goto("/sign-in");
  const policy = response!.headers()["content-security-policy"] ?? "";
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(policy).not.toContain("unsafe-inline' 'strict");
  expect(response!.headers()["x-content-type-options"]).toBe("nosniff");
  // The page still works under its policy: the form hydrates and signs in.
  await signIn(page);

  // A page elsewhere that frames the sign-in page gets nothing.
  await page.goto("about:blank");
  const framed = page.waitForRequest((r) => r.url() === `${baseURL}/sign-in`);
  // setContent waits for the load event, which waits for the frame (loaded or refused).
  await page.setContent(`<iframe src="${baseURL}/sign-in" width="600" height="400"></iframe>`);
  await framed;
  await expect(page.frameLocator("iframe").getByLabel("Email")).toHaveCount(0);
});
