import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { policies, policyAssignmentTargets, policyVersions } from "@/db/schema";
import type { TenantReferences } from "@/emulator/references";
import { startOperation } from "@/lib/operations/start";
import { actor, emulatedTenantFixture, emulatorAdmin, openHarness, waitForCompletion } from "./support/harness";
import { claimEmulatedTenant } from "./support/tenants";

let h: Awaited<ReturnType<typeof openHarness>>;
const wingtip = claimEmulatedTenant(import.meta.url);
let tenantId: string;
let owner: { id: string; name: string };

beforeAll(async () => {
  h = await openHarness();
  await h.startWorker();
  ({ owner, tenantId } = await emulatedTenantFixture(h.db, wingtip, "Inventory owner"));
});
afterAll(async () => {
  await emulatorAdmin("/faults", { method: "DELETE" });
  await h.close();
});

type EmulatedPolicy = { family: string; id: string; name: string; odataType?: string; templateFamily?: string };

/** The console type of an emulated object, by Graph's facts: derived type, template family. */
const ENDPOINT_SECURITY: Record<string, string> = {
  endpointSecurityAntivirus: "endpoint_security_antivirus",
  endpointSecurityFirewall: "endpoint_security_firewall",
  endpointSecurityDiskEncryption: "endpoint_security_disk_encryption",
  endpointSecurityEndpointDetectionAndResponse: "endpoint_security_edr",
  endpointSecurityAttackSurfaceReduction: "endpoint_security_asr",
  endpointSecurityAccountProtection: "endpoint_security_account_protection",
};
/** Enrollment configurations by derived type; the multi-platform kind only as the default, Windows restore not at all. */
const ENROLLMENT: Record<string, string> = {
  "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration": "enrollment_status_page",
  "#microsoft.graph.deviceEnrollmentLimitConfiguration": "enrollment_limit",
  "#microsoft.graph.deviceEnrollmentPlatformRestrictionConfiguration": "enrollment_platform_restriction",
  "#microsoft.graph.deviceEnrollmentWindowsHelloForBusinessConfiguration": "windows_hello_for_business",
};
function kindOf(p: EmulatedPolicy): string | undefined {
  if (p.family === "deviceEnrollmentConfigurations")
    return p.id.endsWith("_DefaultPlatformRestrictions") ? "enrollment_platform_restriction" : ENROLLMENT[p.odataType!];
  if (p.odataType === "#microsoft.graph.windowsUpdateForBusinessConfiguration") return "update_ring";
  return ENDPOINT_SECURITY[p.templateFamily ?? ""] ?? p.family;
}
/** What the console inventories of what the emulator holds. */
const inventoried = (truth: EmulatedPolicy[]) => truth.filter((p) => kindOf(p) !== undefined);
type Inventoried = { id: string; name: string; kind: string };
/** Every object a sync should store: the policies it takes, the filters and the custom scope tags (not Microsoft's Default). */
async function truthNow(): Promise<Inventoried[]> {
  const made = inventoried((await (await admin("")).json()) as EmulatedPolicy[]);
  const refs = (await (await emulatorAdmin(`/tenants/${wingtip.tenantId}/references`)).json()) as TenantReferences;
  return [
    ...made.map((p) => ({ id: p.id, name: p.name, kind: kindOf(p)! })),
    ...refs.filters.map((f) => ({ id: f.id, name: f.displayName, kind: "assignmentFilters" })),
    ...refs.scopeTags
      .filter((t) => !t.isBuiltIn)
      .map((t) => ({ id: t.id, name: t.displayName, kind: "roleScopeTags" })),
  ];
}
const admin = (path: string, init?: RequestInit) => emulatorAdmin(`/tenants/${wingtip.tenantId}/policies${path}`, init);
const json = (body: unknown) => ({ headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

async function sync() {
  const { run } = await startOperation(h.deps, { actor: actor(owner), tenantId, type: "inventory.sync", inputs: {} });
  // A generous bound: a sync of every type reads ~1,000 pages, and this machine is shared.
  return waitForCompletion(h.db, run.id, 300_000);
}
const versionCount = async () =>
  (
    await h.db
      .select({ n: sql<number>`count(*)::int` })
      .from(policyVersions)
      .where(eq(policyVersions.tenantId, tenantId))
  )[0]!.n;

describe("inventory.sync", () => {
  it("stores every object of every type across page boundaries, with settings, script content and assignments", async () => {
    const done = await sync();
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({
      outcome: "succeeded",
      summaryCounts: { total: 530, processed: 530, created: 530, updated: 0, unchanged: 0, deleted: 0, failed: 0 },
    });
    const truth = await truthNow();
    const stored = await h.db.select().from(policies).where(eq(policies.tenantId, tenantId));
    expect(stored.map((p) => `${p.id} ${p.name}`).sort()).toEqual(truth.map((p) => `${p.id} ${p.name}`).sort());
    expect(await versionCount()).toBe(530);

    const byFamily = (f: string) => stored.filter((p) => p.family === f).length;
    // Update rings live among device configurations, endpoint security among catalog policies: each under its own type.
    expect([byFamily("device_configuration"), byFamily("compliance"), byFamily("settings_catalog")]).toEqual([
      110, 80, 100,
    ]);
    expect(byFamily("update_ring")).toBe(10);
    // Filters and custom scope tags are objects of their own; Microsoft's Default tag ("0") is not inventoried.
    expect([byFamily("assignment_filter"), byFamily("scope_tag")]).toEqual([5, 4]);
    expect(stored.some((p) => p.family === "scope_tag" && p.id === "0")).toBe(false);
    const filter = stored.find((p) => p.family === "assignment_filter")!;
    expect(filter.content).toMatchObject({ rule: expect.any(String), platform: expect.any(String), assignments: [] });
    expect(filter.assigned).toBe(false);
    expect(Object.values(ENDPOINT_SECURITY).map(byFamily)).toEqual([4, 4, 3, 3, 3, 3]);
    const ring = stored.find((p) => p.family === "update_ring")!;
    expect(ring).toMatchObject({
      platform: "Windows",
      odataType: "#microsoft.graph.windowsUpdateForBusinessConfiguration",
    });
    const firewall = stored.find((p) => p.family === "endpoint_security_firewall")!;
    expect(firewall.content.settings).toHaveLength(firewall.content.settingCount as number);
    expect(firewall.content.templateReference).toMatchObject({ templateFamily: "endpointSecurityFirewall" });
    // The explorer's projection names them by their own type too.
    const explored = await h.db.execute(
      sql`select distinct family from policy_assignment_targets where tenant_id = ${tenantId} and (family = 'update_ring' or family like 'endpoint_security_%')`,
    );
    expect(explored.rows.map((r) => r.family)).toContain("update_ring");
    expect(explored.rows.length).toBeGreaterThan(1);
    expect([byFamily("powershell_script"), byFamily("shell_script"), byFamily("remediation")]).toEqual([30, 14, 26]);
    expect([
      byFamily("feature_update_profile"),
      byFamily("quality_update_profile"),
      byFamily("driver_update_profile"),
    ]).toEqual([12, 8, 6]);
    // Autopilot profiles, Entra joined and hybrid joined, with their group assignments.
    const autopilot = stored.filter((p) => p.family === "autopilot_profile");
    expect(autopilot).toHaveLength(8);
    expect(new Set(autopilot.map((p) => p.content["@odata.type"]))).toEqual(
      new Set([
        "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile",
        "#microsoft.graph.activeDirectoryWindowsAutopilotDeploymentProfile",
      ]),
    );
    expect(autopilot.filter((p) => p.assigned).length).toBeGreaterThan(2);
    const features = stored.filter((p) => p.family === "feature_update_profile");
    expect(features.every((p) => p.platform === "Windows" && typeof p.content.featureUpdateVersion === "string")).toBe(
      true,
    );
    expect([
      byFamily("ios_app_protection"),
      byFamily("android_app_protection"),
      byFamily("windows_app_protection"),
      byFamily("managed_app_configuration"),
    ]).toEqual([12, 12, 4, 8]);
    // App protection: T_ ids (not GUIDs), the protected apps read with $expand, the platform from the type.
    const protections = stored.filter((p) => p.family.endsWith("_app_protection"));
    expect(protections.every((p) => p.id.startsWith("T_") && p.name === p.content.displayName)).toBe(true);
    expect(protections.every((p) => (p.content.apps as unknown[]).length > 0)).toBe(true);
    expect(new Set(protections.map((p) => p.platform))).toEqual(new Set(["iOS", "Android", "Windows"]));
    // An endpoint-security intent keeps every setting past the 10-a-page boundary, each by its definition id.
    const intents = stored.filter((p) => p.family === "endpoint_security_intent");
    expect(intents).toHaveLength(8);
    const firstIntent = intents.find((p) => p.name.endsWith("intent 001"))!;
    const intentSettings = firstIntent.content.settings as { definitionId: string; valueJson: string }[];
    expect(intentSettings).toHaveLength(14);
    expect(new Set(intentSettings.map((s) => s.definitionId)).size).toBe(14);
    expect(intents.every((p) => typeof p.content.templateId === "string")).toBe(true);
    expect(intents.filter((p) => p.assigned).length).toBeGreaterThan(2);
    // An administrative template keeps every value past the 10-a-page boundary, each with its definition and presentation values.
    const templates = stored.filter((p) => p.family === "administrative_template");
    expect(templates).toHaveLength(14);
    const first = templates.find((p) => p.name === "Administrative template 001")!;
    const values = first.content.definitionValues as {
      definition: { id: string; policyType: string };
      presentationValues: { presentation: { id: string } }[];
    }[];
    expect(values).toHaveLength(12);
    expect(new Set(values.map((v) => v.definition.id)).size).toBe(12);
    expect(values.flatMap((v) => v.presentationValues).every((pv) => typeof pv.presentation.id === "string")).toBe(
      true,
    );
    expect(values.some((v) => v.presentationValues.length > 0)).toBe(true);
    expect(templates.some((p) => JSON.stringify(p.content).includes('"admxIngested"'))).toBe(true);
    // The explorer's projection holds their assignments like any other type's.
    const projected = await h.db
      .select({ policyId: policyAssignmentTargets.policyId })
      .from(policyAssignmentTargets)
      .where(
        and(
          eq(policyAssignmentTargets.tenantId, tenantId),
          eq(policyAssignmentTargets.family, "administrative_template"),
        ),
      );
    const assignedTemplates = templates.filter((p) => p.assigned);
    expect(assignedTemplates.length).toBeGreaterThan(0);
    expect(new Set(projected.map((r) => r.policyId))).toEqual(new Set(assignedTemplates.map((p) => p.id)));
    // Script content, which the list leaves null, is read by id; a remediation's schedule stays in its assignments.
    const scripts = stored.filter((p) => p.family === "powershell_script" || p.family === "shell_script");
    expect(scripts.every((p) => typeof p.content.scriptContent === "string" && p.content.scriptContent)).toBe(true);
    const remediations = stored.filter((p) => p.family === "remediation");
    expect(remediations.every((p) => typeof p.content.detectionScriptContent === "string")).toBe(true);
    const scheduled = remediations.flatMap((p) => p.content.assignments as Record<string, unknown>[]);
    expect(scheduled.length).toBeGreaterThan(0);
    expect(scheduled.every((a) => a.runSchedule && typeof a.runRemediationScript === "boolean")).toBe(true);
    // A settings catalog policy keeps all its settings, past the 25-a-page boundary, nested children included.
    const catalog = stored.find((p) => p.family === "settings_catalog" && (p.content.settingCount as number) === 30)!;
    expect((catalog.content.settings as unknown[]).length).toBe(30);
    expect(JSON.stringify(catalog.content.settings)).toContain("child_25");
    expect(stored.filter((p) => p.assigned).length).toBeGreaterThan(100);
    // Enrollment configurations: <guid>_<Kind> ids, each kind's default (priority 0) with the ones an admin ranked.
    const enrollment = ["enrollment_status_page", "enrollment_limit", "enrollment_platform_restriction"];
    expect([...enrollment, "windows_hello_for_business"].map(byFamily)).toEqual([4, 4, 6, 1]);
    for (const family of enrollment)
      expect(
        stored
          .filter((p) => p.family === family)
          .map((p) => p.content.priority)
          .filter((n) => n === 0),
      ).toHaveLength(1);
    const restrictions = stored.filter((p) => p.family === "enrollment_platform_restriction");
    expect(restrictions.every((p) => /_(DefaultPlatformRestrictions|SinglePlatformRestriction)$/.test(p.id))).toBe(
      true,
    );
    expect(new Set(restrictions.map((p) => p.platform))).toEqual(
      new Set(["Windows", "iOS", "Android", "macOS", "Other"]),
    );
    expect(stored.some((p) => p.family.startsWith("enrollment_") && p.assigned)).toBe(true);
    // App configuration for managed apps belongs to no one platform.
    expect(new Set(stored.map((p) => p.platform))).toEqual(new Set(["Windows", "iOS", "Android", "macOS", "Other"]));
    const configurations = stored.filter((p) => p.family === "managed_app_configuration");
    expect(configurations.every((p) => p.id.startsWith("A_") && (p.content.customSettings as unknown[]).length)).toBe(
      true,
    );
    // App configuration for managed devices: past the 10-a-page boundary, the platform from the type,
    // its settings (items, XML or a JSON payload) and the ids of the tenant's own apps as Graph lists them.
    const deviceConfigurations = stored.filter((p) => p.family === "managed_device_app_configuration");
    expect(deviceConfigurations).toHaveLength(12);
    expect(new Set(deviceConfigurations.map((p) => p.platform))).toEqual(new Set(["iOS", "Android"]));
    expect(
      deviceConfigurations.every(
        (p) =>
          (p.content.targetedMobileApps as string[]).length === 1 &&
          ((p.content.settings as unknown[] | undefined)?.length ||
            p.content.encodedSettingXml ||
            p.content.payloadJson),
      ),
    ).toBe(true);
    expect(deviceConfigurations.filter((p) => p.assigned).length).toBeGreaterThan(0);
    // A compliance policy keeps its scheduled actions, which Graph returns only when expanded.
    const actions = stored
      .filter((p) => p.family === "compliance")
      .map((p) =>
        (p.content.scheduledActionsForRule as { scheduledActionConfigurations: { actionType: string }[] }[]).flatMap(
          (r) => r.scheduledActionConfigurations,
        ),
      );
    expect(actions).toHaveLength(80);
    expect(actions.every((a) => a.filter((x) => x.actionType === "block").length === 1)).toBe(true);
    expect(actions.flat().some((a) => a.actionType === "notification")).toBe(true);
    // Notification message templates: past the 10-a-page boundary, not assigned (no assignments read),
    // the first with its 12 localized messages past the 10-a-page boundary of its own navigation.
    const notices = stored.filter((p) => p.family === "notification_message_template");
    expect(notices).toHaveLength(12);
    expect(notices.every((p) => !p.assigned && (p.content.assignments as unknown[]).length === 0)).toBe(true);
    const firstNotice = notices.find((p) => p.name === "Non-compliance: first notice")!;
    const messages = firstNotice.content.localizedNotificationMessages as { locale: string; isDefault: boolean }[];
    expect(messages).toHaveLength(12);
    expect(new Set(messages.map((m) => m.locale)).size).toBe(12);
    expect(messages.filter((m) => m.isDefault).map((m) => m.locale)).toEqual(["en-us"]);
    expect(notices.every((p) => (p.content.localizedNotificationMessages as unknown[]).length >= 1)).toBe(true);
    // Every notification of a compliance policy names one of this tenant's own templates.
    const noticeIds = new Set(notices.map((p) => p.id));
    const notified = actions.flat().filter((a) => a.actionType === "notification") as unknown as {
      notificationTemplateId: string;
    }[];
    expect(notified.every((a) => noticeIds.has(a.notificationTemplateId))).toBe(true);
    expect(JSON.stringify(stored.map((p) => p.content))).not.toContain("@odata.context");
  }, 320_000); // a first sync of every object of every type, on a shared machine

  it("creates no versions and reports everything unchanged on a second sync", async () => {
    const before = await versionCount();
    const done = await sync();
    expect(done.summaryCounts).toMatchObject({ processed: 530, created: 0, updated: 0, unchanged: 530, deleted: 0 });
    expect(await versionCount()).toBe(before);
  }, 320_000);

  it("moves rows recorded under the collection's own type to their finer type, without a new version", async () => {
    // As a console before update rings and endpoint security had types recorded them (intents have a collection of their own).
    await h.db.execute(
      sql`update policies set family = 'device_configuration' where tenant_id = ${tenantId} and family = 'update_ring'`,
    );
    await h.db.execute(
      sql`update policies set family = 'settings_catalog' where tenant_id = ${tenantId} and family::text like 'endpoint_security_%' and family <> 'endpoint_security_intent'`,
    );
    await h.db.execute(
      sql`update policy_assignment_targets set family = case family when 'update_ring' then 'device_configuration' else 'settings_catalog' end
          where tenant_id = ${tenantId} and (family = 'update_ring' or (family like 'endpoint_security_%' and family <> 'endpoint_security_intent'))`,
    );
    const before = await versionCount();
    const done = await sync();
    expect(done.summaryCounts).toMatchObject({ processed: 530, created: 0, updated: 0, unchanged: 530 });
    expect(await versionCount()).toBe(before);
    const families = await h.db.execute(
      sql`select family, count(*)::int as n from policies where tenant_id = ${tenantId} and (family = 'update_ring' or (family::text like 'endpoint_security_%' and family <> 'endpoint_security_intent')) group by family`,
    );
    expect(families.rows.map((r) => Number(r.n)).reduce((a, b) => a + b, 0)).toBe(30);
    const stale = await h.db.execute(
      sql`select count(*)::int as n from policy_assignment_targets t join policies p on p.tenant_id = t.tenant_id and p.id = t.policy_id where t.tenant_id = ${tenantId} and t.family <> p.family::text`,
    );
    expect(stale.rows[0]!.n).toBe(0);
  }, 320_000);

  it("appends a version for a changed policy, marks a vanished one deleted, and names a policy Graph refuses", async () => {
    const [changed, gone, broken] = ((await (await admin("")).json()) as EmulatedPolicy[]).filter(
      (p) => p.family === "deviceConfigurations",
    );
    await admin(`/${changed!.id}`, { method: "PATCH", ...json({ body: { passwordMinimumLength: 14 } }) });
    await admin(`/${gone!.id}`, { method: "DELETE" });
    await admin(`/${broken!.id}`, { method: "PATCH", ...json({ brokenAssignments: true }) });

    const done = await sync();
    expect(done.outcome).toBe("partially_succeeded");
    expect(done.summaryCounts).toMatchObject({
      total: 529,
      processed: 529,
      created: 0,
      updated: 1,
      unchanged: 527,
      deleted: 1,
      failed: 1,
    });
    expect(done.failures).toEqual([expect.objectContaining({ code: "graph_Forbidden", item: broken!.name })]);

    const [after] = await h.db
      .select()
      .from(policies)
      .where(and(eq(policies.tenantId, tenantId), eq(policies.id, changed!.id)));
    expect(after).toMatchObject({ versions: 2, deleted: false });
    expect(after!.content.passwordMinimumLength).toBe(14);
    const versions = await h.db
      .select()
      .from(policyVersions)
      .where(eq(policyVersions.policyId, changed!.id))
      .orderBy(policyVersions.version);
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[0]!.content.passwordMinimumLength).not.toBe(14);
    const [deleted] = await h.db
      .select()
      .from(policies)
      .where(and(eq(policies.tenantId, tenantId), eq(policies.id, gone!.id)));
    expect(deleted!.deleted).toBe(true);
    const [kept] = await h.db
      .select()
      .from(policies)
      .where(and(eq(policies.tenantId, tenantId), eq(policies.id, broken!.id)));
    expect(kept).toMatchObject({ deleted: false, versions: 1 });
    await admin(`/${broken!.id}`, { method: "PATCH", ...json({ brokenAssignments: false }) });
  }, 320_000);

  it("finishes with exact counts while Graph throttles and fails a fifth of the requests", async () => {
    await emulatorAdmin("/faults", { method: "DELETE" });
    for (const fault of [
      { status: 429, retryAfter: { seconds: 0 } },
      { status: 429, retryAfter: { date: 0 } },
      { status: 429, retryAfter: "absent" },
      { status: 503, retryAfter: { seconds: 0 } },
      { status: 504 },
    ]) {
      await emulatorAdmin("/faults", { method: "POST", ...json({ route: "GET /beta/*", rate: 0.04, ...fault }) });
    }
    const before = await versionCount();
    try {
      const done = await sync();
      expect(done.failures).toEqual([]);
      expect(done).toMatchObject({
        outcome: "succeeded",
        summaryCounts: { processed: 529, created: 0, updated: 0, unchanged: 529, deleted: 0, failed: 0 },
      });
    } finally {
      await emulatorAdmin("/faults", { method: "DELETE" });
    }
    expect(await versionCount()).toBe(before);
    const dupes = await h.db.execute(
      sql`select policy_id from policy_versions where tenant_id = ${tenantId} group by policy_id, version having count(*) > 1`,
    );
    expect(dupes.rows).toEqual([]);
    // Every type came through whole: per type, exactly what Intune holds.
    const truth = await truthNow();
    const perType = await h.db.execute(
      sql`select family, count(*)::int as n from policies where tenant_id = ${tenantId} and not deleted group by family order by family`,
    );
    const expected = new Map<string, number>();
    for (const p of truth) expected.set(p.kind, (expected.get(p.kind) ?? 0) + 1);
    expect(perType.rows.map((r) => Number(r.n)).reduce((a, b) => a + b, 0)).toBe(truth.length);
    expect(perType.rows).toHaveLength(31);
    // Each collection's own type, by its Graph name; the types inside them, by their console key.
    const collectionOf: Record<string, string> = {
      device_configuration: "deviceConfigurations",
      compliance: "deviceCompliancePolicies",
      settings_catalog: "configurationPolicies",
      powershell_script: "deviceManagementScripts",
      shell_script: "deviceShellScripts",
      remediation: "deviceHealthScripts",
      feature_update_profile: "windowsFeatureUpdateProfiles",
      quality_update_profile: "windowsQualityUpdateProfiles",
      driver_update_profile: "windowsDriverUpdateProfiles",
      autopilot_profile: "windowsAutopilotDeploymentProfiles",
      ios_app_protection: "iosManagedAppProtections",
      android_app_protection: "androidManagedAppProtections",
      windows_app_protection: "windowsManagedAppProtections",
      managed_app_configuration: "targetedManagedAppConfigurations",
      managed_device_app_configuration: "mobileAppConfigurations",
      administrative_template: "groupPolicyConfigurations",
      endpoint_security_intent: "intents",
      assignment_filter: "assignmentFilters",
      scope_tag: "roleScopeTags",
      notification_message_template: "notificationMessageTemplates",
    };
    expect(
      Object.fromEntries(perType.rows.map((r) => [collectionOf[String(r.family)] ?? r.family, Number(r.n)])),
    ).toEqual(Object.fromEntries(expected));
  }, 320_000); // throttling sleeps (Retry-After, backoff) add up; a job retry would add its delay too

  it("syncs every other type when the app lacks DeviceManagementScripts, naming it, and deletes no script", async () => {
    const permissions = `/tenants/${wingtip.tenantId}/apps/${wingtip.apps[0]!.clientId}/permissions`;
    const roles = [
      "Organization.Read.All",
      "GroupMember.Read.All",
      "DeviceManagementConfiguration.ReadWrite.All",
      "DeviceManagementServiceConfig.Read.All",
      "DeviceManagementApps.ReadWrite.All",
    ];
    await emulatorAdmin(permissions, { method: "PUT", ...json({ roles }) });
    const liveScripts = async () =>
      (
        await h.db.execute(
          sql`select count(*)::int as n from policies where tenant_id = ${tenantId} and not deleted and family in ('powershell_script', 'shell_script', 'remediation')`,
        )
      ).rows[0]!.n as number;
    const before = await liveScripts();
    expect(before).toBe(70);
    const [others] = (
      await h.db.execute(
        sql`select count(*)::int as n, count(*) filter (where family = 'device_configuration')::int as configurations from policies where tenant_id = ${tenantId} and not deleted`,
      )
    ).rows as { n: number; configurations: number }[];
    try {
      const done = await sync();
      expect(done.outcome).toBe("partially_succeeded");
      expect(done.failures).toHaveLength(3);
      for (const failure of done.failures) {
        expect(failure.code).toBe("type_forbidden");
        expect(failure.message).toContain(
          "DeviceManagementScripts.Read.All (or DeviceManagementScripts.ReadWrite.All)",
        );
      }
      expect(done.failures.map((f) => f.item).sort()).toEqual(
        ["Windows PowerShell script", "macOS shell script", "Remediation"].sort(),
      );
      // Every other type is read as usual: device configurations among them.
      const read = others!.n - before;
      expect(done.summaryCounts).toMatchObject({ processed: read, unchanged: read, deleted: 0, failed: 0 });
      const configurations = await h.db.execute(
        sql`select count(*)::int as n from policies where tenant_id = ${tenantId} and not deleted and family = 'device_configuration' and last_seen_run_id = ${done.id}`,
      );
      expect(configurations.rows[0]!.n).toBe(others!.configurations);
      expect(others!.configurations).toBeGreaterThan(100);
      expect(await liveScripts()).toBe(before);
    } finally {
      await emulatorAdmin(permissions, { method: "DELETE" });
    }
  }, 320_000);

  it("syncs every other type when the app lacks DeviceManagementServiceConfig, naming Autopilot profiles, enrollment configurations and notification templates, and deletes none", async () => {
    const permissions = `/tenants/${wingtip.tenantId}/apps/${wingtip.apps[0]!.clientId}/permissions`;
    const roles = [
      "Organization.Read.All",
      "GroupMember.Read.All",
      "DeviceManagementConfiguration.Read.All",
      "DeviceManagementScripts.Read.All",
      "DeviceManagementApps.Read.All",
    ];
    await emulatorAdmin(permissions, { method: "PUT", ...json({ roles }) });
    const live = async (family: string) =>
      (
        await h.db.execute(
          sql`select count(*)::int as n from policies where tenant_id = ${tenantId} and not deleted and family = ${family}`,
        )
      ).rows[0]!.n as number;
    const profiles = await live("autopilot_profile");
    expect(profiles).toBe(8);
    const scripts = await live("powershell_script");
    try {
      const done = await sync();
      expect(done.outcome).toBe("partially_succeeded");
      // Enrollment configurations share one collection, refused once and named per type.
      expect(done.failures.map((f) => [f.code, f.item])).toEqual(
        [
          "Autopilot deployment profile",
          "Enrollment status page",
          "Enrollment device limit restriction",
          "Enrollment platform restriction",
          "Windows Hello for Business (enrollment)",
          "Notification message template",
        ].map((item) => ["type_forbidden", item]),
      );
      expect(await live("enrollment_limit")).toBe(4);
      expect(await live("notification_message_template")).toBe(12);
      expect(done.failures[0]!.message).toContain(
        "DeviceManagementServiceConfig.Read.All (or DeviceManagementServiceConfig.ReadWrite.All)",
      );
      expect(done.summaryCounts).toMatchObject({ deleted: 0, failed: 0 });
      expect(await live("autopilot_profile")).toBe(profiles);
      // Scripts (another permission) were read in the same run.
      const seen = await h.db.execute(
        sql`select count(*)::int as n from policies where tenant_id = ${tenantId} and family = 'powershell_script' and last_seen_run_id = ${done.id}`,
      );
      expect(seen.rows[0]!.n).toBe(scripts);
    } finally {
      await emulatorAdmin(permissions, { method: "DELETE" });
    }
  }, 320_000);

  it("syncs every other type when the app lacks DeviceManagementApps, naming the app protection and configuration types, and deletes none; app configuration for managed devices is read with DeviceManagementConfiguration", async () => {
    const permissions = `/tenants/${wingtip.tenantId}/apps/${wingtip.apps[0]!.clientId}/permissions`;
    const roles = [
      "Organization.Read.All",
      "GroupMember.Read.All",
      "DeviceManagementConfiguration.ReadWrite.All",
      "DeviceManagementScripts.ReadWrite.All",
      "DeviceManagementServiceConfig.Read.All",
    ];
    await emulatorAdmin(permissions, { method: "PUT", ...json({ roles }) });
    const count = async (where: ReturnType<typeof sql>) =>
      (
        await h.db.execute(
          sql`select count(*)::int as n from policies where tenant_id = ${tenantId} and not deleted and ${where}`,
        )
      ).rows[0]!.n as number;
    const protections = sql`family in ('ios_app_protection', 'android_app_protection', 'windows_app_protection', 'managed_app_configuration')`;
    const before = await count(protections);
    expect(before).toBe(36);
    const others = await count(sql`true`);
    try {
      const done = await sync();
      expect(done.outcome).toBe("partially_succeeded");
      expect(done.failures.map((f) => f.code)).toEqual(Array(4).fill("type_forbidden"));
      for (const failure of done.failures)
        expect(failure.message).toContain("DeviceManagementApps.Read.All (or DeviceManagementApps.ReadWrite.All)");
      expect(done.failures.map((f) => f.item).sort()).toEqual(
        [
          "iOS app protection",
          "Android app protection",
          "Windows app protection",
          "App configuration (managed apps)",
        ].sort(),
      );
      const read = others - before;
      expect(done.summaryCounts).toMatchObject({ processed: read, unchanged: read, deleted: 0, failed: 0 });
      expect(await count(protections)).toBe(before);
      // Its list accepts either family of permissions (intune-apps-iosmobileappconfiguration-list): read, not refused.
      expect(await count(sql`family = 'managed_device_app_configuration'`)).toBe(12);
    } finally {
      await emulatorAdmin(permissions, { method: "DELETE" });
    }
  }, 320_000);

  it("records no version when Intune refreshes a driver profile's reports between two syncs", async () => {
    const [driver] = ((await (await admin("")).json()) as EmulatedPolicy[]).filter(
      (p) => p.family === "windowsDriverUpdateProfiles",
    );
    const before = await versionCount();
    await admin(`/${driver!.id}`, { method: "PATCH", ...json({ refreshed: { newUpdates: 7, deviceReporting: 42 } }) });
    const done = await sync();
    expect(done.failures).toEqual([]);
    expect(done.summaryCounts).toMatchObject({ updated: 0, created: 0, deleted: 0, failed: 0 });
    expect(await versionCount()).toBe(before);
    const [stored] = await h.db
      .select()
      .from(policies)
      .where(and(eq(policies.tenantId, tenantId), eq(policies.id, driver!.id)));
    expect(stored).toMatchObject({ versions: 1, deleted: false });
  }, 320_000);
});
