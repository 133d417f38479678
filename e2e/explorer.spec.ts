import { buildDirectory } from "../emulator/directory";
import { emulator, expect, signIn, startRun, test } from "./fixtures";

const nestingbay = buildDirectory(Number(process.env.EMULATOR_SEED ?? 1)).find((t) => t.key === "nestingbay")!;

test("the explorer shows a policy assigned to Nesting A on Nesting C, through Nesting B, and exports it", async ({
  page,
}) => {
  test.setTimeout(240_000);
  // One policy of the tenant is assigned to the outermost group: A ⊃ B ⊃ C in the emulator's directory.
  const groups = (await (await emulator(`/tenants/${nestingbay.tenantId}/groups`)).json()) as {
    id: string;
    displayName: string;
  }[];
  const a = groups.find((g) => g.displayName === "Nesting A")!;
  const [policy] = (await (await emulator(`/tenants/${nestingbay.tenantId}/policies`)).json()) as {
    id: string;
    name: string;
  }[];
  await emulator(`/tenants/${nestingbay.tenantId}/policies/${policy!.id}`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      assignments: [
        { id: "e2e-nested", target: { "@odata.type": "#microsoft.graph.groupAssignmentTarget", groupId: a.id } },
      ],
    }),
  });

  await signIn(page);
  await page.goto("/tenants/new");
  await page.getByLabel("Display name").fill("Nesting Bay (explorer)");
  await page.getByLabel("Tenant ID").fill(nestingbay.tenantId);
  await page.getByLabel("Application (client) ID").fill(nestingbay.apps[0]!.clientId);
  await page.getByLabel("Client secret").fill(nestingbay.apps[0]!.clientSecret);
  await page.getByRole("button", { name: "Add tenant" }).click();
  await expect(page).toHaveURL(/\/t\/[0-9a-f-]{36}$/);
  const tenant = new URL(page.url()).pathname;
  const done = async () =>
    expect(page.getByTestId("run-status")).toHaveAttribute("data-outcome", "succeeded", { timeout: 120_000 });
  await page.goto(`${tenant}/groups`);
  await startRun(page, "Sync groups");
  await done();
  await page.goto(`${tenant}/policies`);
  await startRun(page, "Sync inventory");
  await done();

  await page.goto(tenant);
  await page.getByRole("navigation", { name: "Tenant sections" }).getByRole("link", { name: "Explorer" }).click();
  await page.getByLabel("Find a group").fill("nesting c");
  await page.getByRole("button", { name: "Search groups" }).click();
  await page.getByTestId("group-matches").getByRole("link", { name: "Nesting C" }).click();
  await expect(page).toHaveURL(/\/explorer\?group=[0-9a-f-]{36}$/);

  const row = page.getByTestId("group-assignments").locator("tbody tr", { hasText: policy!.name });
  await expect(row).toHaveAttribute("data-reach", "nested");
  await expect(row.getByTestId("nested-path")).toHaveText(/Nested\s*through Nesting B → Nesting A/);
  // The URL is the view: opened afresh it shows the same.
  await page.goto(page.url());
  await expect(
    page.getByTestId("group-assignments").locator("tbody tr", { hasText: policy!.name }).getByTestId("nested-path"),
  ).toContainText("through Nesting B → Nesting A");

  const csv = await page.request.get(
    await page.getByRole("link", { name: "Export CSV" }).getAttribute("href").then(String),
  );
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect(await csv.text()).toContain(`,include,through Nesting B → Nesting A,${a.id},Nesting A,`);

  // The policy's side: its group, by name.
  await row.getByRole("link", { name: policy!.name }).click();
  await expect(page).toHaveURL(/\/explorer\?policy=[0-9a-f-]{36}$/);
  await expect(page.getByTestId("policy-targets")).toContainText("Nesting A");
});
