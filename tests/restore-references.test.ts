import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupItems, backupSets, type PolicyFamily, policies, restoreItems } from "@/db/schema";
import { notificationTemplateName } from "@/emulator/intune-notifications";
import { restorePlan } from "@/lib/restores/plan";
import { previewSummary } from "@/lib/restores/wizard-view";
import { FAMILY_PATHS } from "@/workers/intune";
import { emulatorAdmin, openHarness } from "./support/harness";
import { graphAs, openRestorePair } from "./support/restore-pair";
import { claimEmulatedTenants } from "./support/tenants";

/**
 * Ids inside policies that name other objects of the source tenant (scope tags, compliance
 * scripts, notification templates): kept into the same tenant, refused per item into another,
 * decided when the plan is made. Source: Wide World Importers. Target: Graphic Design Institute.
 */
let h: Awaited<ReturnType<typeof openHarness>>;
const [wideworld, graphicdesign] = claimEmulatedTenants(import.meta.url, 2);
let run: Awaited<ReturnType<typeof openRestorePair>>["run"];
let sourceId: string;
let targetId: string;
const scriptId = crypto.randomUUID();
const templateId = crypto.randomUUID();
/** The backup: a configuration with scope tag 3, a compliance policy with a script, a plain catalog policy. */
let backup: { id: string; items: { id: string; name: string; family: PolicyFamily }[] };
/** A compliance policy whose scheduled actions notify with a template (as a backup with `$expand` holds it). */
let notifying: { id: string; itemId: string; name: string };

const restore = (tenantId: string, backupSetId: string, itemIds: string[]) =>
  run("restore.execute", tenantId, { backupSetId, itemIds, mapping: {}, unmapped: "skip" });

const createdPolicy = async (family: PolicyFamily, policyId: string, tenant: typeof wideworld) =>
  (await graphAs(tenant, `/beta${FAMILY_PATHS[family]}/${policyId}`)).body;

const patchSource = (policyId: string, body: Record<string, unknown>) =>
  emulatorAdmin(`/tenants/${wideworld.tenantId}/policies/${policyId}`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ body }),
  });

beforeAll(async () => {
  h = await openHarness();
  await h.startWorker();
  ({ sourceId, targetId, run } = await openRestorePair(h, {
    source: wideworld,
    target: graphicdesign,
    owner: "References owner",
  }));
  const inventory = await h.db.select().from(policies).where(eq(policies.tenantId, sourceId)).orderBy(policies.name);
  const configuration = inventory.find((p) => p.family === "device_configuration")!;
  const compliance = inventory.filter((p) => p.odataType === "#microsoft.graph.windows10CompliancePolicy");
  const catalog = inventory.find(
    (p) => p.family === "settings_catalog" && !JSON.stringify(p.content).includes("encryptedValueToken"),
  )!;
  // Set in Intune after the inventory: scope tag 3 (a tag of this tenant) and a compliance script.
  await patchSource(configuration.id, { roleScopeTagIds: ["0", "3"] });
  await patchSource(compliance[0]!.id, {
    roleScopeTagIds: ["0"],
    deviceCompliancePolicyScript: { deviceComplianceScriptId: scriptId, rulesContent: "e30=" },
  });
  const done = await run("backup_set.create", sourceId, {
    policyIds: [configuration.id, compliance[0]!.id, catalog.id],
  });
  expect(done.failures).toEqual([]);
  const [set] = await h.db.select().from(backupSets).where(eq(backupSets.runId, done.id));
  backup = {
    id: set!.id,
    items: await h.db
      .select({ id: backupItems.id, name: backupItems.name, family: backupItems.family })
      .from(backupItems)
      .where(eq(backupItems.backupSetId, set!.id)),
  };

  // The scheduled actions are a contained navigation Graph returns only with $expand: written here
  // as such a backup holds them, with a notification that uses a message template.
  const other = compliance[1]!;
  const [notifySet] = await h.db
    .insert(backupSets)
    .values({ tenantId: sourceId, name: "Compliance with notifications", selection: [other.id] })
    .returning({ id: backupSets.id });
  const content = {
    ...other.content,
    scheduledActionsForRule: [
      {
        ruleName: "PasswordRequired",
        scheduledActionConfigurations: [
          { actionType: "block", gracePeriodHours: 24, notificationTemplateId: "", notificationMessageCCList: [] },
          {
            actionType: "notification",
            gracePeriodHours: 0,
            notificationTemplateId: templateId,
            notificationMessageCCList: [],
          },
        ],
      },
    ],
  };
  const [item] = await h.db
    .insert(backupItems)
    .values({
      backupSetId: notifySet!.id,
      tenantId: sourceId,
      policyId: other.id,
      family: "compliance",
      name: other.name,
      content,
      contentHash: "test",
    })
    .returning({ id: backupItems.id });
  await h.db.update(backupSets).set({ itemCount: 1, completedAt: sql`now()` }).where(eq(backupSets.id, notifySet!.id));
  notifying = { id: notifySet!.id, itemId: item!.id, name: other.name };
}, 300_000);
afterAll(async () => {
  await h.close();
});

const itemOf = (family: PolicyFamily) => backup.items.find((i) => i.family === family)!;
/** Scope tags are carried by name (lib/restores/reference-mapping.ts): tag 3 is not in any cache here. */
const SCOPE_TAG_LEFT_OUT = "Left out (no namesake in this tenant's scope tag cache): scope tag 3.";
const SCRIPT = () =>
  `Not restored: it uses compliance script ${scriptId} of the source tenant; compliance scripts are not mapped yet.`;

describe("cross-tenant references", () => {
  it("are refused per item when the plan is made, so the wizard's preview shows them before the start", async () => {
    const inputs = {
      backupSetId: backup.id,
      itemIds: backup.items.map((i) => i.id),
      mapping: {},
      unmapped: "skip" as const,
    };
    const across = await restorePlan(h.db, { targetTenantId: targetId, sourceTenantId: sourceId, inputs });
    expect(Object.fromEntries(across.items.map((i) => [i.family, i.refusal]))).toEqual({
      device_configuration: undefined,
      compliance: SCRIPT(),
      settings_catalog: undefined,
    });
    expect(across.items.find((i) => i.family === "device_configuration")!.scopeTagsLeftOut).toEqual(["scope tag 3"]);
    expect(previewSummary(across).text).toMatch(
      /^2 policies will be created in this tenant · .* · 1 scope tag\(s\) left out · 1 policy refused/,
    );
    const same = await restorePlan(h.db, { targetTenantId: sourceId, sourceTenantId: sourceId, inputs });
    expect(same.items.map((i) => i.refusal)).toEqual([undefined, undefined, undefined]);
  });

  it("into another tenant: items naming unmapped source objects are refused, a scope tag without a namesake left out, the rest restored", async () => {
    const done = await restore(
      targetId,
      backup.id,
      backup.items.map((i) => i.id),
    );
    expect(done).toMatchObject({ outcome: "partially_succeeded", summaryCounts: { restored: 2, failed: 1 } });
    expect(done.failures).toEqual([{ code: "not_restorable", item: itemOf("compliance").name, message: SCRIPT() }]);
    const results = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    expect(results.find((r) => r.name === itemOf("compliance").name)).toMatchObject({
      status: "failed",
      createdPolicyId: null,
    });
    const configuration = results.find((r) => r.name === itemOf("device_configuration").name)!;
    expect(configuration).toMatchObject({ status: "restored" });
    expect(configuration.message).toContain(SCOPE_TAG_LEFT_OUT);
    // Never the source's number, which in the target may be another tag.
    expect(
      (await createdPolicy("device_configuration", configuration.createdPolicyId!, graphicdesign)).roleScopeTagIds,
    ).toEqual(["0"]);
    expect(results.find((r) => r.name === itemOf("settings_catalog").name)).toMatchObject({ status: "restored" });
  });

  it("into the same tenant: every reference is kept", async () => {
    const done = await restore(
      sourceId,
      backup.id,
      backup.items.map((i) => i.id),
    );
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { restored: 3 } });
    const results = await h.db.select().from(restoreItems).where(eq(restoreItems.runId, done.id));
    const created = (family: PolicyFamily) =>
      createdPolicy(family, results.find((r) => r.name === itemOf(family).name)!.createdPolicyId!, wideworld);
    expect((await created("device_configuration")).roleScopeTagIds).toEqual(["0", "3"]);
    expect((await created("compliance")).deviceCompliancePolicyScript).toEqual({
      deviceComplianceScriptId: scriptId,
      rulesContent: "e30=",
    });
  });

  it("a compliance notification's message template is refused into another tenant and kept into the same one", async () => {
    const across = await restore(targetId, notifying.id, [notifying.itemId]);
    expect(across).toMatchObject({ outcome: "partially_succeeded", summaryCounts: { restored: 0, failed: 1 } });
    expect(across.failures).toEqual([
      {
        code: "not_restorable",
        item: notifying.name,
        message: `Not restored: it uses notification message template ${templateId}, which the source tenant's inventory does not name; sync that tenant's inventory and plan the restore again.`,
      },
    ]);
    const same = await restore(sourceId, notifying.id, [notifying.itemId]);
    expect(same).toMatchObject({ outcome: "succeeded", summaryCounts: { restored: 1 } });
    const inTarget = await h.db
      .select()
      .from(restoreItems)
      .where(and(eq(restoreItems.runId, across.id), eq(restoreItems.status, "restored")));
    expect(inTarget).toEqual([]);
  });
});

describe("notification message templates across tenants", () => {
  type Action = { actionType: string; notificationTemplateId: string; notificationMessageCCList: string[] };
  const actionsOf = (content: Record<string, unknown>) =>
    (content.scheduledActionsForRule as { scheduledActionConfigurations: Action[] }[]).flatMap(
      (r) => r.scheduledActionConfigurations,
    );
  const inventoryOf = (tenantId: string) => h.db.select().from(policies).where(eq(policies.tenantId, tenantId));
  const backupOf = async (policyIds: string[]) => {
    const done = await run("backup_set.create", sourceId, { policyIds });
    expect(done.failures).toEqual([]);
    const [set] = await h.db.select().from(backupSets).where(eq(backupSets.runId, done.id));
    const items = await h.db.select().from(backupItems).where(eq(backupItems.backupSetId, set!.id));
    return { id: set!.id, itemIds: items.map((i) => i.id) };
  };
  const syncTarget = async () => expect((await run("inventory.sync", targetId)).outcome).toBe("succeeded");
  const resultsOf = (runId: string) => h.db.select().from(restoreItems).where(eq(restoreItems.runId, runId));
  let policy: { id: string; name: string };
  let template: { id: string; name: string };
  let backup: { id: string; itemIds: string[] };

  beforeAll(async () => {
    // A compliance policy whose notification (CC'ing no one) uses one of the source's own templates.
    const source = await inventoryOf(sourceId);
    const notifying = source.find(
      (p) =>
        p.family === "compliance" &&
        actionsOf(p.content).some((a) => a.actionType === "notification" && a.notificationMessageCCList.length === 0),
    )!;
    const templateId = actionsOf(notifying.content).find(
      (a) => a.actionType === "notification",
    )!.notificationTemplateId;
    const used = source.find((p) => p.family === "notification_message_template" && p.id === templateId)!;
    policy = { id: notifying.id, name: notifying.name };
    template = { id: used.id, name: used.name };
    backup = await backupOf([policy.id]);
    await syncTarget();
  }, 300_000);

  it("a notification's template is the target's template of the same name, never the source's id", async () => {
    const target = (await inventoryOf(targetId)).find(
      (p) => p.family === "notification_message_template" && p.name === template.name,
    )!;
    expect(target.id).not.toBe(template.id);
    const done = await restore(targetId, backup.id, backup.itemIds);
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { restored: 1 } });
    const [result] = await resultsOf(done.id);
    const created = await graphAs(
      graphicdesign,
      `/beta${FAMILY_PATHS.compliance}/${result!.createdPolicyId}?$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)`,
    );
    const notification = actionsOf(created.body).find((a) => a.actionType === "notification")!;
    expect(notification.notificationTemplateId).toBe(target.id);
  });

  it("without a template of that name in the target, the policy is refused naming it; restoring the template (with its messages) first lets it through", async () => {
    const namesake = (await inventoryOf(targetId)).find(
      (p) => p.family === "notification_message_template" && p.name === template.name,
    )!;
    await emulatorAdmin(`/tenants/${graphicdesign.tenantId}/policies/${namesake.id}`, { method: "DELETE" });
    await syncTarget();
    const refused = await restore(targetId, backup.id, backup.itemIds);
    expect(refused).toMatchObject({ outcome: "partially_succeeded", summaryCounts: { restored: 0, failed: 1 } });
    expect(refused.failures).toEqual([
      {
        code: "not_restorable",
        item: policy.name,
        message: `Not restored: it uses notification message template “${template.name}” of the source tenant, and this tenant's inventory holds no template of that name; create or restore it here, sync the inventory, then restore the policy.`,
      },
    ]);
    expect(await resultsOf(refused.id)).toMatchObject([{ status: "failed", createdPolicyId: null }]);

    // The template itself, restored into the target with every localized message.
    const sourceMessages = (
      await graphAs(
        wideworld,
        `/beta${FAMILY_PATHS.notification_message_template}/${template.id}/localizedNotificationMessages`,
      )
    ).body.value as Record<string, unknown>[];
    const templateBackup = await backupOf([template.id]);
    const restored = await restore(targetId, templateBackup.id, templateBackup.itemIds);
    expect(restored.failures).toEqual([]);
    expect(restored).toMatchObject({ outcome: "succeeded", summaryCounts: { restored: 1 } });
    const [made] = await resultsOf(restored.id);
    const path = `/beta${FAMILY_PATHS.notification_message_template}/${made!.createdPolicyId}`;
    expect((await graphAs(graphicdesign, path)).body).toMatchObject({ displayName: template.name });
    const messages = (await graphAs(graphicdesign, `${path}/localizedNotificationMessages`)).body.value as Record<
      string,
      unknown
    >[];
    const text = (m: Record<string, unknown>) => [m.locale, m.subject, m.messageTemplate, m.isDefault];
    expect(messages.map(text).sort()).toEqual(sourceMessages.map(text).sort());
    expect(messages.length).toBeGreaterThan(0);

    await syncTarget();
    const mapped = await restore(targetId, backup.id, backup.itemIds);
    expect(mapped.failures).toEqual([]);
    const [result] = await resultsOf(mapped.id);
    const created = await graphAs(
      graphicdesign,
      `/beta${FAMILY_PATHS.compliance}/${result!.createdPolicyId}?$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)`,
    );
    expect(actionsOf(created.body).find((a) => a.actionType === "notification")!.notificationTemplateId).toBe(
      made!.createdPolicyId,
    );
  }, 300_000);

  it("a template restored into its own tenant is a new template with every message", async () => {
    // The emulator's first template has every locale (12 messages, past a page); chosen by name, not
    // by whichever template the notifying policy found first in the table happens to use.
    const full = (await inventoryOf(sourceId)).find(
      (p) => p.family === "notification_message_template" && p.name === notificationTemplateName(0),
    )!;
    const templateBackup = await backupOf([full.id]);
    const done = await restore(sourceId, templateBackup.id, templateBackup.itemIds);
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({ outcome: "succeeded", summaryCounts: { restored: 1 } });
    const [made] = await resultsOf(done.id);
    expect(made!.createdPolicyId).not.toBe(full.id);
    const messagesOf = async (id: string) => {
      const all: Record<string, unknown>[] = [];
      let url: string | undefined =
        `/beta${FAMILY_PATHS.notification_message_template}/${id}/localizedNotificationMessages`;
      while (url) {
        const page: Record<string, unknown> = (await graphAs(wideworld, url)).body;
        all.push(...(page.value as Record<string, unknown>[]));
        url = (page["@odata.nextLink"] as string | undefined)?.replace(/^https:\/\/[^/]+/, "");
      }
      return all.map((m) => [m.locale, m.subject, m.messageTemplate, m.isDefault].join(" | ")).sort();
    };
    const copied = await messagesOf(made!.createdPolicyId!);
    expect(copied).toEqual(await messagesOf(full.id));
    expect(copied.length).toBeGreaterThan(10);
  }, 300_000);

  it("a template whose messages failed after its create is finished by the retried attempt: one template, each message once", async () => {
    const templatesNamed = async () =>
      (
        (await (await emulatorAdmin(`/tenants/${graphicdesign.tenantId}/policies`)).json()) as { name: string }[]
      ).filter((p) => p.name === template.name).length;
    const before = await templatesNamed();
    const templateBackup = await backupOf([template.id]);
    // The first message's create answers 503 (a create is not resent by the client: it may have happened):
    // the first job attempt ends between the template's create and its messages.
    await emulatorAdmin("/faults", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        route: "POST /beta/deviceManagement/notificationMessageTemplates/{id}/localizedNotificationMessages",
        status: 503,
        retryAfter: { seconds: 0 },
        times: 1,
      }),
    });
    const done = await restore(targetId, templateBackup.id, templateBackup.itemIds).finally(() =>
      emulatorAdmin("/faults", { method: "DELETE" }),
    );
    expect(done).toMatchObject({ outcome: "succeeded", attempt: 2, summaryCounts: { restored: 1, failed: 0 } });
    expect(await templatesNamed()).toBe(before + 1);
    const [made] = await resultsOf(done.id);
    const path = `/beta${FAMILY_PATHS.notification_message_template}/${made!.createdPolicyId}/localizedNotificationMessages`;
    const locales: string[] = [];
    for (let url: string | undefined = path; url; ) {
      const page = (await graphAs(graphicdesign, url.replace(/^https:\/\/[^/]+/, ""))).body;
      locales.push(...(page.value as { locale: string }[]).map((m) => m.locale));
      url = page["@odata.nextLink"] as string | undefined;
    }
    const source = (await inventoryOf(sourceId)).find((p) => p.id === template.id)!;
    const backedUp = (source.content.localizedNotificationMessages as { locale: string }[]).map((m) => m.locale);
    expect(locales.sort()).toEqual(backedUp.sort());
  }, 300_000);
});
