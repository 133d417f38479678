import { readFileSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { expect, signIn, test, withDb } from "./fixtures";

/**
 * Requests no browser of ours sends — oversized, malformed, forged — answered with a 4xx and a
 * sentence, never a 500, by the real built server (`next start` under `npm start`).
 */

/** The id the build gave a server action (ids change with every build). */
function actionId(exportedName: string): string {
  const manifest = JSON.parse(readFileSync(path.resolve(".next/server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { exportedName?: string }>;
  };
  const id = Object.entries(manifest.node).find(([, entry]) => entry.exportedName === exportedName)?.[0];
  if (!id) throw new Error(`no server action named ${exportedName} in this build`);
  return id;
}

const MB = 1024 * 1024;
const multipart = (boundary: string, value: string) =>
  `--${boundary}\r\nContent-Disposition: form-data; name="1"\r\n\r\n${value}\r\n--${boundary}--\r\n`;

let tenantPath: string;
let request: APIRequestContext;

test.beforeEach(async ({ page }) => {
  await signIn(page);
  const tenantId = await withDb(async (db) => {
    const row = await db.query(
      "select t.id from tenants t join tenant_memberships m on m.tenant_id = t.id join users u on u.id = m.user_id where u.email = 'demo@tenantatlas.local' order by t.display_name limit 1",
    );
    return row.rows[0].id as string;
  });
  tenantPath = `/t/${tenantId}`;
  request = page.request;
});

async function post(url: string, { headers, data }: { headers: Record<string, string>; data: string | Buffer }) {
  // As bytes: Playwright would JSON-encode a string sent as application/json.
  const response = await request.post(url, { headers, data: Buffer.from(data), maxRedirects: 0 });
  return { status: response.status(), text: await response.text() };
}

const action = (contentType: string) => ({
  "next-action": actionId("startOperationAction"),
  "content-type": contentType,
});

test("a server action body over 1 MB is refused with 413, whatever its encoding", async () => {
  const big = "a".repeat(2 * MB);
  const asText = await post(tenantPath, { headers: action("text/plain;charset=UTF-8"), data: JSON.stringify([big]) });
  expect(asText).toEqual({ status: 413, text: "The request body is larger than 1 MB." });
  const asForm = await post(tenantPath, {
    headers: action("multipart/form-data; boundary=xyz"),
    data: multipart("xyz", big),
  });
  expect(asForm.status).toBe(413);
  // Far over the proxy's own 10 MB buffer too, and posted as a plain form without an action id.
  const huge = await post(tenantPath, {
    headers: { "content-type": "multipart/form-data; boundary=xyz" },
    data: multipart("xyz", "a".repeat(12 * MB)),
  });
  expect(huge.status).toBe(413);
});

test("a malformed server action payload is refused with 400 and says why", async () => {
  const notJson = await post(tenantPath, { headers: action("text/plain;charset=UTF-8"), data: "{{{not json" });
  expect(notJson).toEqual({ status: 400, text: "The request body is not valid JSON." });
  const garbageForm = await post(tenantPath, {
    headers: action("multipart/form-data; boundary=xyz"),
    data: "garbage without a boundary",
  });
  expect(garbageForm).toEqual({ status: 400, text: "The form data in this request could not be read." });
  const plainGarbageForm = await post(tenantPath, {
    headers: { "content-type": "multipart/form-data; boundary=xyz" },
    data: "garbage without a boundary",
  });
  expect(plainGarbageForm.status).toBe(400);
  const wrongType = await post(tenantPath, { headers: action("application/x-www-form-urlencoded"), data: "a=1" });
  expect(wrongType.status).toBe(400);
  // Ids: one that cannot be an action's, and one that is no action of this build.
  const badId = await post(tenantPath, {
    headers: { "next-action": "zzz", "content-type": "text/plain;charset=UTF-8" },
    data: "[]",
  });
  expect(badId.status).toBe(400);
  const unknownId = await post(tenantPath, {
    headers: { "next-action": `7f${"0".repeat(40)}`, "content-type": "text/plain;charset=UTF-8" },
    data: "[]",
  });
  expect(unknownId.status).toBe(409);
});

test("a forged action call with an object where the form should be gets the action's own refusal", async () => {
  const forged = await post(tenantPath, {
    headers: { ...action("text/plain;charset=UTF-8"), accept: "text/x-component" },
    data: JSON.stringify([{ a: 1 }, null, { has: 1 }]),
  });
  expect(forged.status).toBe(200);
  expect(forged.text).toContain("This operation cannot be started here.");
});

test("route handlers refuse malformed input with a 4xx", async () => {
  const authJson = await post("/api/auth/callback/credentials", {
    headers: { "content-type": "application/json" },
    data: "{{{",
  });
  expect(authJson).toEqual({ status: 400, text: "The request body is not valid JSON." });
  const authHuge = await post("/api/auth/callback/credentials", {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    data: `email=${"a".repeat(2 * MB)}`,
  });
  expect(authHuge.status).toBe(413);
  // The audit CSV reads its filters leniently: nonsense in them is ignored, not a failure.
  const csv = await request.get("/audit/export?from=%ZZ&to=99999-99-99&cursor=garbage&action=DROP%20TABLE");
  expect(csv.status()).toBe(200);
  expect((await csv.text()).split("\n")[0]).toMatch(/^time,actor_kind,actor/);
  const tenantCsv = await request.get(`${tenantPath}/audit/export?cursor=${"x".repeat(4000)}`);
  expect(tenantCsv.status()).toBe(200);
});
