import { createHash, randomBytes } from "node:crypto";
import type { Browser } from "@playwright/test";
import { hashPassword } from "../lib/auth/password";
import { expect, hydrated, signIn, test, withDb } from "./fixtures";

const PASSWORD = "account-spec-password";

/** A password account of this spec's own (other specs sign in as the demo operator). */
async function ownAccount() {
  const email = `account-${Date.now()}@example.test`;
  const tenantId = await withDb(async (db) => {
    const user = await db.query(
      "insert into users (email, name, password_hash) values ($1, 'Acme Account', $2) returning id",
      [email, await hashPassword(PASSWORD)],
    );
    // A tenant, so that the tenants page has something to show after sign-in.
    const tenant = await db.query(
      "insert into tenants (tenant_guid, display_name, client_id, client_secret_enc) values (gen_random_uuid(), 'Account tenant', gen_random_uuid(), 'v1.x.y.z') returning id",
    );
    await db.query("insert into tenant_memberships (user_id, tenant_id, role) values ($1, $2, 'owner')", [
      user.rows[0].id,
      tenant.rows[0].id,
    ]);
    return tenant.rows[0].id as string;
  });
  return { email, tenantId };
}

async function signedIn(browser: Browser, email: string, password = PASSWORD) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email, password);
  return { context, page };
}

test("“sign out other sessions” in one browser sends the other to sign-in, and keeps this one", async ({ browser }) => {
  const { email } = await ownAccount();
  const one = await signedIn(browser, email);
  const other = await signedIn(browser, email);

  await one.page.getByTestId("signed-in-user").click();
  await expect(one.page).toHaveURL(/\/account$/);
  await expect(one.page.getByTestId("identity-password")).toContainText(email);
  await (await hydrated(one.page.getByRole("button", { name: "Sign out other sessions" }))).click();
  await expect(one.page.getByRole("status")).toHaveText("Every other session is signed out.");

  await other.page.goto("/tenants");
  await expect(other.page).toHaveURL(/\/sign-in/);
  await expect(other.page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();

  // This session was re-issued with the new epoch: it carries on.
  await one.page.goto("/tenants");
  await expect(one.page).toHaveURL(/\/tenants$/);
  await expect(one.page.getByTestId("signed-in-user")).toHaveText("Acme Account");
  await one.context.close();
  await other.context.close();
});

test("changing the password needs the current one, then signs out the other sessions", async ({ browser }) => {
  const { email } = await ownAccount();
  const one = await signedIn(browser, email);
  const other = await signedIn(browser, email);
  await one.page.goto("/account");
  const form = one.page.getByRole("form", { name: "Change password" });
  await form.getByLabel("Current password").fill("not the password");
  await form.getByLabel("New password", { exact: true }).fill("a new password for acme");
  await form.getByLabel("Repeat the new password").fill("a new password for acme");
  await (await hydrated(form.getByRole("button", { name: "Change password" }))).click();
  await expect(form.getByRole("alert")).toHaveText("The current password is not right.");
  // Nothing changed: the other session still works.
  await other.page.goto("/tenants");
  await expect(other.page).toHaveURL(/\/tenants$/);

  await form.getByLabel("Current password").fill(PASSWORD);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByRole("status")).toHaveText("Password changed. Your other sessions are signed out.");
  await other.page.goto("/tenants");
  await expect(other.page).toHaveURL(/\/sign-in/);
  await one.page.goto("/tenants");
  await expect(one.page).toHaveURL(/\/tenants$/);

  const fresh = await signedIn(browser, email, "a new password for acme");
  await expect(fresh.page.getByTestId("signed-in-user")).toHaveText("Acme Account");
  for (const c of [one, other, fresh]) await c.context.close();
});

test("linking a Microsoft account takes the password first, is announced in the bell, and can be undone", async ({
  page,
}) => {
  const { email } = await ownAccount();
  await signIn(page, email, PASSWORD);
  await page.goto("/account");
  const link = page.getByTestId("link-microsoft");
  await link.getByLabel("Your console password").fill("wrong password");
  await (await hydrated(link.getByRole("button", { name: "Link a Microsoft account" }))).click();
  await expect(link.getByText("The current password is not right.")).toBeVisible();

  await link.getByLabel("Your console password").fill(PASSWORD);
  await link.getByRole("button", { name: "Link a Microsoft account" }).click();
  await page.getByRole("button", { name: /Megan Bowen/ }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("signed-in-user")).toHaveText("Acme Account");
  const identity = page.getByTestId("identity-microsoft");
  await expect(identity).toContainText("megan@contoso.onmicrosoft.com");
  await page.getByRole("button", { name: /Notifications/ }).click();
  await expect(page.getByTestId("bell-item").first()).toContainText("Microsoft account linked");
  await page.keyboard.press("Escape");

  // Other specs link Megan to the demo operator: leave her unlinked again.
  await (await hydrated(identity.getByRole("button", { name: /^Unlink/ }))).click();
  await expect(page.getByTestId("identity-microsoft")).toHaveCount(0);
  const events = await withDb(
    async (db) =>
      (
        await db.query(
          "select action, outcome from audit_events where actor_user_id = (select id from users where email = $1) and action like 'identity.%' order by occurred_at",
          [email],
        )
      ).rows,
  );
  expect(events).toEqual([
    { action: "identity.link", outcome: "refused" },
    { action: "identity.link", outcome: "success" },
    { action: "identity.unlink", outcome: "success" },
  ]);
});

test("a person without an account signs in with Microsoft from an invite link and joins, with the invite's email", async ({
  page,
}) => {
  const { email: ownerEmail, tenantId } = await ownAccount();
  const invited = `invited-${Date.now()}@example.test`;
  const token = randomBytes(32).toString("base64url");
  await withDb((db) =>
    db.query(
      `insert into tenant_invites (tenant_id, email, role, token_hash, invited_by, expires_at)
       select $1, $2, 'viewer', $3, id, now() + interval '1 day' from users where email = $4`,
      [tenantId, invited, createHash("sha256").update(token).digest("hex"), ownerEmail],
    ),
  );
  await page.goto(`/invite/${token}`);
  await (await hydrated(page.getByRole("button", { name: "Sign in with Microsoft" }))).click();
  await page.getByRole("button", { name: /Megan Bowen/ }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${tenantId}$`));
  await expect(page.getByTestId("signed-in-user")).toHaveText("Megan Bowen");
  const account = await withDb(
    async (db) =>
      (
        await db.query(
          `select u.email, m.role, i.accepted_at is not null as accepted from users u
           join tenant_memberships m on m.user_id = u.id and m.tenant_id = $1
           join tenant_invites i on i.accepted_by = u.id
           where u.id = (select user_id from user_identities where username = 'megan@contoso.onmicrosoft.com')`,
          [tenantId],
        )
      ).rows,
  );
  // The invite fixed the email (not the Microsoft username claim) and the membership came with it.
  expect(account).toEqual([{ email: invited, role: "viewer", accepted: true }]);
  // Other specs link Megan to the demo operator: remove this account and its identity again.
  await withDb((db) => db.query("delete from users where email = $1", [invited]));
});
