import { expect, test } from "./fixtures";

const JWT = /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/;

test("sign in with Microsoft through the emulated identity platform; the delegated token never reaches the browser", async ({
  page,
}) => {
  const seen: string[] = [];
  page.on("response", async (response) => {
    if (
      new URL(response.url()).port === new URL(page.url() || "http://localhost:3210").port &&
      /text|json/.test(response.headers()["content-type"] ?? "")
    ) {
      seen.push(await response.text().catch(() => ""));
    }
  });
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.getByRole("button", { name: /Adele Vance/ }).click();
  await expect(page).toHaveURL(/\/tenants$/);
  await expect(page.getByTestId("signed-in-user")).toHaveText("Adele Vance");
  await expect(page.getByRole("link", { name: /Contoso Ltd \(demo\)/ })).toBeVisible();

  const session = await (await page.request.get("/api/auth/session")).json();
  expect(session).toMatchObject({ microsoft: true, user: { name: "Adele Vance" } });
  expect(JSON.stringify(session)).not.toMatch(JWT);
  await page.getByRole("link", { name: /Contoso Ltd \(demo\)/ }).click();
  await expect(page.getByTestId("tenant-name")).toBeVisible();
  // Nothing the console sent to this browser carries a token.
  expect(seen.length).toBeGreaterThan(0);
  for (const body of [...seen, await page.content()]) expect(body).not.toMatch(JWT);
});
