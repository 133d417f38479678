import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { verifySignature } from "../lib/alerts/signature";
import { expect, hydrated, signIn, test } from "./fixtures";

/**
 * An owner adds a signed webhook channel, sees its secret once, sends a test alert that a real
 * receiver verifies, and finds neither the secret nor the URL's path in any page afterwards.
 */
test("an owner adds a channel, sends a test alert the receiver verifies, and the secret is never shown again", async ({
  page,
}) => {
  const received: { signature: string; body: string }[] = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({
        signature: String(req.headers["x-tenantatlas-signature"]),
        body: Buffer.concat(chunks).toString(),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const pathToken = `hook-${randomUUID()}`;
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/${pathToken}`;

  await signIn(page);
  await page.goto("/tenants/new");
  await page.getByLabel("Display name").fill("Signal Hill Telecom (alerts)");
  await page.getByLabel("Tenant ID").fill(randomUUID());
  await page.getByLabel("Application (client) ID").fill(randomUUID());
  await page.getByLabel("Client secret").fill("unused-secret");
  await page.getByRole("button", { name: "Add tenant" }).click();
  await expect(page).toHaveURL(/\/t\/[0-9a-f-]{36}$/);
  const tenant = new URL(page.url()).pathname;

  await page.getByRole("link", { name: "Alerts" }).click();
  await expect(page).toHaveURL(`${tenant}/alerts`);
  // Not https and not localhost: refused with the reason, nothing added.
  await page.getByLabel("Name").fill("Ops webhook");
  await page.getByLabel("Webhook URL").fill("http://hooks.example.com/alerts");
  await (await hydrated(page.getByRole("button", { name: "Add channel" }))).click();
  await expect(page.getByText(/http:\/\/ is allowed only for localhost/).first()).toBeVisible();
  await page.getByLabel("Webhook URL").fill(url);
  await page.getByRole("button", { name: "Add channel" }).click();
  const secret = await page.getByTestId("signing-secret").inputValue();
  expect(secret).toMatch(/^tas_[0-9a-f]{64}$/);

  await page.getByTestId("alert-channels").getByRole("link", { name: "Ops webhook" }).click();
  await expect(page).toHaveURL(/\/alerts\/[0-9a-f-]{36}$/);
  await (await hydrated(page.getByTestId("send-test-alert"))).click();
  await expect(page.getByText("Test alert queued")).toBeVisible();
  await expect.poll(() => received.length, { timeout: 60_000 }).toBe(1);
  expect(verifySignature(secret, { header: received[0]!.signature, body: received[0]!.body })).toBe(true);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("alert-delivery")).toHaveAttribute("data-status", "delivered", { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByTestId("alert-tries")).toContainText("HTTP 204");

  for (const path of [page.url(), `${tenant}/alerts`]) {
    await page.goto(path);
    const html = await page.content();
    expect(html).not.toContain(secret);
    expect(html).not.toContain(pathToken);
  }
  receiver.close();
});
