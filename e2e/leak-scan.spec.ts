import { createHash, randomUUID } from "node:crypto";
import { createOutsider, DEMO, expect, hydrated, signIn, test, withDb } from "./fixtures";

/**
 * Secrets never leave where they live: the client secret (sealed in tenants), passwords and their
 * hashes (users), invite tokens (shown once to the inviter, stored hashed) and Microsoft tokens
 * (the session cookie) appear in no audit event, no audit page or CSV export, no members or invite
 * page. And another tenant's events never appear in this user's log.
 */

const JWT = /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The secrets of `text` it contains (by name), so a failure says which one leaked. */
function leaked(text: string, secrets: Record<string, string>): string[] {
  const found = Object.entries(secrets)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
  return JWT.test(text) ? [...found, "a JWT"] : found;
}

test("secrets appear in no audit event, audit page, CSV export, members or invite page; nor do other tenants' events", async ({
  page,
  browser,
}) => {
  const clientSecret = `leak-scan-secret-${randomUUID()}`;
  const colleaguePassword = `leak-scan-password-${randomUUID()}`;
  const colleagueEmail = `leak-colleague-${Date.now()}@example.test`;

  // Another tenant's event, with a marker that must never reach this user.
  const outsider = await createOutsider();
  const marker = `outsider-event-${randomUUID()}`;
  await withDb((db) =>
    db.query(
      `insert into audit_events (actor_kind, actor_name, tenant_id, action, target_label, outcome, details)
       values ('user', $1, $2, 'member.invite', $1, 'success', jsonb_build_object('email', $1::text))`,
      [marker, outsider.tenantId],
    ),
  );

  // A tenant registered through the form, with a secret the scan knows.
  await signIn(page);
  await page.goto("/tenants/new");
  await page.getByLabel("Display name").fill("Leak scan tenant");
  await page.getByLabel("Tenant ID").fill(randomUUID());
  await page.getByLabel("Application (client) ID").fill(randomUUID());
  await page.getByLabel("Client secret").fill(clientSecret);
  await page.getByRole("button", { name: "Add tenant" }).click();
  await expect(page).toHaveURL(/\/t\/[0-9a-f-]{36}$/);
  const tenantId = new URL(page.url()).pathname.split("/")[2]!;

  // Two invites: one the colleague accepts, one left open (its page is scanned while usable).
  await page.goto(`/t/${tenantId}/members`);
  const inviteTokens: string[] = [];
  for (const email of [colleagueEmail, `leak-open-${Date.now()}@example.test`]) {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Role", { exact: true }).selectOption("viewer");
    await (await hydrated(page.getByRole("button", { name: "Create invite link" }))).click();
    await expect(page.getByRole("list", { name: "Open invites" })).toContainText(email);
    inviteTokens.push(new URL(await page.getByTestId("invite-link").inputValue()).pathname.split("/")[2]!);
  }
  const [acceptedToken, openToken] = inviteTokens as [string, string];

  const colleagueContext = await browser.newContext();
  const colleague = await colleagueContext.newPage();
  await colleague.goto(`/invite/${acceptedToken}`);
  await colleague.getByLabel("Your name").fill("Leak Colleague");
  await colleague.getByLabel("Password", { exact: true }).fill(colleaguePassword);
  await colleague.getByLabel("Repeat the password").fill(colleaguePassword);
  await (await hydrated(colleague.getByRole("button", { name: "Create account and join" }))).click();
  await expect(colleague).toHaveURL(new RegExp(`/t/${tenantId}$`));

  const hashes = await withDb(
    async (db) =>
      (
        await db.query("select email, password_hash from users where lower(email) in ($1, $2)", [
          DEMO.email,
          colleagueEmail,
        ])
      ).rows as { email: string; password_hash: string }[],
  );
  expect(hashes.every((row) => row.password_hash)).toBe(true);
  const secrets: Record<string, string> = {
    "the client secret": clientSecret,
    "the demo password": DEMO.password,
    "the colleague's password": colleaguePassword,
    ...Object.fromEntries(hashes.map((row) => [`${row.email}'s password hash`, row.password_hash])),
    "the accepted invite token": acceptedToken,
    "the accepted invite token's hash": sha256(acceptedToken),
    "the open invite token": openToken,
    "the open invite token's hash": sha256(openToken),
  };

  const events = await withDb(
    async (db) => (await db.query("select row_to_json(a)::text as row from audit_events a")).rows as { row: string }[],
  );
  const ownEvents = events.filter((e) => e.row.includes(tenantId));
  // The scan has something to scan: the tenant's creation, both invites and the join.
  expect(ownEvents.length).toBeGreaterThanOrEqual(4);
  expect(events.flatMap((e) => leaked(e.row, secrets).map((what) => `${what} in ${e.row}`))).toEqual([]);

  // Each page read, with the secrets it must not contain. An invite page carries its own token in
  // its address (and so in its payload): that one token is its to show.
  const seen: { where: string; text: string; forbidden: Record<string, string> }[] = [];
  const read = async (who: "owner" | "colleague" | "signed out", path: string, own?: string) => {
    const context = who === "owner" ? page.request : who === "colleague" ? colleague.request : anonymous.request;
    const response = await context.get(path);
    expect(response.status(), path).toBe(200);
    const forbidden = Object.fromEntries(Object.entries(secrets).filter(([, value]) => value !== own));
    seen.push({ where: `${path} (${who})`, text: await response.text(), forbidden });
  };
  const anonymous = await browser.newContext({ baseURL: new URL(page.url()).origin });
  for (const path of [
    "/audit",
    "/audit/export",
    `/t/${tenantId}/audit`,
    `/t/${tenantId}/audit/export`,
    `/t/${tenantId}/members`,
  ])
    await read("owner", path);
  await read("colleague", `/t/${tenantId}/members`);
  await read("colleague", `/invite/${acceptedToken}`, acceptedToken);
  await read("signed out", `/invite/${openToken}`, openToken);
  expect(seen.at(-1)!.text).toContain("Leak scan tenant");

  const problems = [
    ...seen.flatMap(({ where, text, forbidden }) => leaked(text, forbidden).map((what) => `${what} in ${where}`)),
    ...seen.filter(({ text }) => text.includes(marker)).map(({ where }) => `another tenant's event in ${where}`),
  ];
  expect(problems).toEqual([]);
  // The audit pages did show this tenant's events (the scan is not of empty pages).
  expect(seen.find((s) => s.where === `/t/${tenantId}/audit/export (owner)`)!.text).toContain("invite.create");
  await colleagueContext.close();
  await anonymous.close();
});
