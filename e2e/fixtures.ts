import { readFileSync } from "node:fs";
import path from "node:path";
import { test as base, expect, type Locator, type Page } from "@playwright/test";
import pg from "pg";
import { buildDirectory } from "../emulator/directory";
import { hashPassword } from "../lib/auth/password";
import { createHttpFetch } from "../lib/graph/transport";

export const DEMO = { email: "demo@tenantatlas.local", password: "e2e-demo-password" };

type Runtime = { url: string; databaseUrl: string; graphUrl: string; graphCaFile: string };

/** What `npm start` wrote about the running instance (database and emulator addresses). */
export function runtime(): Runtime {
  return JSON.parse(readFileSync(path.resolve(".data/e2e/runtime.json"), "utf8")) as Runtime;
}

export async function withDb<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: runtime().databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The emulator's test surface: faults and request counters. */
export async function emulator(pathname: string, init?: RequestInit) {
  const { graphUrl, graphCaFile } = runtime();
  return createHttpFetch(graphCaFile)(`${graphUrl}/_emulator${pathname}`, init);
}

/** Makes the emulator misbehave on a route (see emulator/faults.ts). */
export async function injectFault(rule: { route: string; status?: number; delayMs?: number; times?: number }) {
  await emulator("/faults", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(rule),
  });
}

/** A second operator with a tenant and a finished run that the demo user must never see. */
export async function createOutsider() {
  return withDb(async (db) => {
    const email = `outsider-${Date.now()}@example.test`;
    const user = await db.query(
      "insert into users (email, name, password_hash) values ($1, 'Outsider', $2) returning id",
      [email, await hashPassword("outsider-password")],
    );
    const tenant = await db.query(
      "insert into tenants (tenant_guid, display_name, client_id, client_secret_enc) values (gen_random_uuid(), 'Outsider tenant', gen_random_uuid(), 'v1.x.y.z') returning id",
    );
    await db.query("insert into tenant_memberships (user_id, tenant_id, role) values ($1, $2, 'owner')", [
      user.rows[0].id,
      tenant.rows[0].id,
    ]);
    const run = await db.query(
      `insert into operation_runs (tenant_id, type, status, outcome, run_identity_hash, initiator_user_id, initiator_name, started_at, completed_at)
       values ($1, 'tenant.verify', 'completed', 'succeeded', md5(random()::text), $2, 'Outsider', now(), now()) returning id`,
      [tenant.rows[0].id, user.rows[0].id],
    );
    return { email, tenantId: tenant.rows[0].id as string, runId: run.rows[0].id as string };
  });
}

export async function signIn(page: Page, email = DEMO.email, password = DEMO.password) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/tenants$/);
}

/** Signs in as the demo operator and opens the demo tenant's overview; returns that tenant's id. */
export async function openDemoTenant(page: Page): Promise<string> {
  await signIn(page);
  await page.getByRole("link", { name: /Contoso Ltd \(demo\)/ }).click();
  await expect(page).toHaveURL(/\/t\/[0-9a-f-]{36}$/);
  return new URL(page.url()).pathname.split("/")[2]!;
}

/**
 * Connects one of the emulator's tenants through the Add tenant form (the secret is sealed as in
 * production) under `displayName`; returns the emulated tenant and the console tenant's path.
 */
export async function connectEmulatedTenant(page: Page, { key, displayName }: { key: string; displayName: string }) {
  const emulated = buildDirectory(Number(process.env.EMULATOR_SEED ?? 1)).find((t) => t.key === key)!;
  await page.goto("/tenants/new");
  await page.getByLabel("Display name").fill(displayName);
  await page.getByLabel("Tenant ID").fill(emulated.tenantId);
  await page.getByLabel("Application (client) ID").fill(emulated.apps[0]!.clientId);
  await page.getByLabel("Client secret").fill(emulated.apps[0]!.clientSecret);
  await page.getByRole("button", { name: "Add tenant" }).click();
  await expect(page).toHaveURL(/\/t\/[0-9a-f-]{36}$/);
  return { emulated, tenant: new URL(page.url()).pathname };
}

/** Clicks a start surface and waits until the browser is on the run it started; returns its path. */
export async function startRun(page: Page, button: string): Promise<string> {
  await page.getByRole("button", { name: button }).click();
  await expect(page).toHaveURL(/\/t\/[0-9a-f-]{36}\/operations\/[0-9a-f-]{36}$/);
  return new URL(page.url()).pathname;
}

/**
 * Waits until React has hydrated the element (its props are attached), so a click is handled by the
 * client component rather than racing the page's start-up.
 */
export async function hydrated(locator: Locator) {
  await expect
    .poll(() => locator.evaluate((el) => Object.keys(el).some((key) => key.startsWith("__reactProps"))))
    .toBe(true);
  return locator;
}

export const test = base;
export { expect };
