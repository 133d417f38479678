import { buildDirectory } from "../emulator/directory";
import { expect, test, withDb } from "./fixtures";

const JWT = /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/;
const contoso = buildDirectory(Number(process.env.EMULATOR_SEED ?? 1)).find((t) => t.key === "contoso")!;
const person = (name: string) => contoso.users.find((u) => u.displayName === name)!;

/** The audit events a Microsoft identity (by object id) caused since `since`. */
async function eventsOf(objectId: string, since: Date) {
  return withDb(async (db) => {
    const { rows } = await db.query(
      `select action, outcome, actor_user_id, details, row_to_json(a)::text as raw from audit_events a
       where details->>'objectId' = $1 and occurred_at >= $2 order by occurred_at`,
      [objectId, since],
    );
    return rows as { action: string; outcome: string; actor_user_id: string | null; details: object; raw: string }[];
  });
}

async function signInWithMicrosoft(page: import("@playwright/test").Page, name: string) {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await page.getByRole("button", { name: new RegExp(name) }).click();
}

test("a Microsoft sign-in records auth.sign_in with the identity's tid and oid, and no token", async ({ page }) => {
  const adele = person("Adele Vance");
  const since = await withDb(async (db) => (await db.query("select now() as t")).rows[0].t as Date);
  await signInWithMicrosoft(page, adele.displayName);
  await expect(page).toHaveURL(/\/tenants$/);

  const events = await eventsOf(adele.id, since);
  expect(events.map((e) => [e.action, e.outcome])).toEqual([["auth.sign_in", "success"]]);
  const [event] = events;
  expect(event!.details).toEqual({
    method: "microsoft",
    entraTenantId: contoso.tenantId,
    objectId: adele.id,
    created: expect.any(Boolean),
  });
  expect(event!.actor_user_id).not.toBeNull();
  expect(event!.raw).not.toMatch(JWT);
  expect(event!.raw).not.toContain("access_token");
});

test("a refused Microsoft sign-in records auth.sign_in_failed with its reason, and no token", async ({ page }) => {
  const megan = person("Megan Bowen");
  const email = megan.userPrincipalName;
  // A password account owns Megan's email, and her identity is linked to nobody: the console must refuse.
  await withDb(async (db) => {
    await db.query("delete from user_identities where tenant_guid = $1 and subject = $2", [contoso.tenantId, megan.id]);
    await db.query("delete from users where lower(email) = $1", [email]);
    await db.query("insert into users (email, name) values ($1, 'Password Megan')", [email]);
  });
  try {
    const since = await withDb(async (db) => (await db.query("select now() as t")).rows[0].t as Date);
    await signInWithMicrosoft(page, megan.displayName);
    await expect(page).toHaveURL(/\/sign-in\?error=microsoft_email_taken/);

    const events = await eventsOf(megan.id, since);
    expect(events.map((e) => [e.action, e.outcome, e.actor_user_id])).toEqual([
      ["auth.sign_in_failed", "refused", null],
    ]);
    expect(events[0]!.details).toEqual({
      method: "microsoft",
      entraTenantId: contoso.tenantId,
      objectId: megan.id,
      reason: "email_taken",
    });
    expect(events[0]!.raw).not.toMatch(JWT);
    expect(events[0]!.raw).not.toContain(email);
  } finally {
    await withDb((db) => db.query("delete from users where lower(email) = $1 and password_hash is null", [email]));
  }
});
