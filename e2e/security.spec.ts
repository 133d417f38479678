import { expect, signIn, test } from "./fixtures";

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
