import type { Context, Hono } from "hono";
import type { EmulatorEnv, EmulatorState } from "./app";
import { seededGuid } from "./directory";
import { graphError } from "./graph-errors";
import type { EmulatedGroup } from "./groups";
import type { EmulatedPolicy } from "./intune";
import { assignmentsFor } from "./intune-assignments";

/**
 * Device enrollment configurations (beta `deviceEnrollmentConfigurations`), as Microsoft documents
 * them (sources in docs/graph-fidelity.md, "Object types"):
 * - ids are `<guid>_<Kind>`, the kind being the configuration type Pascal-cased (`…_Limit`,
 *   `…_SinglePlatformRestriction`, `…_Windows10EnrollmentCompletionPageConfiguration`), a default's
 *   `<guid>_Default<Kind>` — as tenants' exports show them (Microsoft365DSC examples, IntuneManagement's
 *   Save-EMDefaultPolicy splitting the id at `_`);
 * - every tenant has a default of each kind, priority 0, "All users and all devices", created at
 *   0001-01-01, version 0: Intune provides them, they "can be edited" and not deleted (Learn: Create
 *   device platform restrictions, Create device limit restrictions, "Default policy"); they apply to
 *   everyone, so they take no assignments (IntuneManagement skips assigning them:
 *   Start-PreImportAssignmentsEnrollmentRestrictions);
 * - `priority` ranks the others from 1 and is set by the bound `setPriority` action (CSDL: setPriority
 *   bound to deviceEnrollmentConfiguration, parameter `priority`); tools leave it out of every update
 *   (IntuneManagement: PropertiesToRemoveForUpdate = priority) and call setPriority after a create.
 * What Graph answers to a create of a default, a DELETE or an assign of one, a PATCH carrying
 * `priority`, and where a created configuration lands, is not published: the emulator refuses the
 * first four with 400 (texts its own) and ranks a created one last among its kind.
 */
const TYPE = "#microsoft.graph.";
const ESP = `${TYPE}windows10EnrollmentCompletionPageConfiguration`;
const LIMIT = `${TYPE}deviceEnrollmentLimitConfiguration`;
const PLATFORM = `${TYPE}deviceEnrollmentPlatformRestrictionConfiguration`;
const PLATFORMS_LEGACY = `${TYPE}deviceEnrollmentPlatformRestrictionsConfiguration`;
const HELLO = `${TYPE}deviceEnrollmentWindowsHelloForBusinessConfiguration`;
const RESTORE = `${TYPE}windowsRestoreDeviceEnrollmentConfiguration`;

/** The configuration type Graph reports for each derived type (the id's kind is this, Pascal-cased). */
const CONFIGURATION_TYPE: Record<string, string> = {
  [ESP]: "windows10EnrollmentCompletionPageConfiguration",
  [LIMIT]: "limit",
  [PLATFORM]: "singlePlatformRestriction",
  [PLATFORMS_LEGACY]: "platformRestrictions",
  [HELLO]: "windowsHelloForBusiness",
  [RESTORE]: "windowsRestore",
  [`${TYPE}deviceComanagementAuthorityConfiguration`]: "deviceComanagementAuthorityConfiguration",
  [`${TYPE}deviceEnrollmentNotificationConfiguration`]: "enrollmentNotificationsConfiguration",
};
const pascal = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** A created configuration's id: a new GUID and its kind. */
export function enrollmentId(body: Record<string, unknown>): string {
  const kind = CONFIGURATION_TYPE[String(body["@odata.type"])] ?? "Unknown";
  return `${crypto.randomUUID()}_${pascal(kind)}`;
}

export const isDefault = (policy: EmulatedPolicy) => policy.body.priority === 0;

/** The configurations one priority sequence ranks: same type (and, for single-platform restrictions, platform). */
const rankKey = (body: Record<string, unknown>) => `${String(body["@odata.type"])}:${String(body.platformType ?? "")}`;

/** Why a create would be refused beyond the metadata's rules: a default cannot be created. */
export function enrollmentCreateProblem(body: Record<string, unknown>) {
  if (body.priority === 0 || String(body.deviceEnrollmentConfigurationType ?? "").startsWith("default"))
    return { code: "BadRequest", message: "Default enrollment configurations cannot be created." };
  return undefined;
}

/** What Graph sets on a created configuration: its kind, version 1 and the last rank of its kind. */
export function createdEnrollmentFields(all: Iterable<EmulatedPolicy>, body: Record<string, unknown>) {
  const ranked = [...all].filter(
    (p) => p.family === "deviceEnrollmentConfigurations" && !isDefault(p) && rankKey(p.body) === rankKey(body),
  );
  return {
    deviceEnrollmentConfigurationType: CONFIGURATION_TYPE[String(body["@odata.type"])] ?? "unknown",
    priority: ranked.length + 1,
    version: 1,
  };
}

/** Why `/assign` on this configuration would be refused (a default applies to everyone). */
export const enrollmentAssignProblem = (policy: EmulatedPolicy) =>
  policy.family === "deviceEnrollmentConfigurations" && isDefault(policy)
    ? "A default enrollment configuration applies to all users and devices and cannot be assigned."
    : undefined;

/** setPriority and DELETE, which no other collection the emulator serves has. */
export function registerEnrollmentRoutes(app: Hono<EmulatorEnv>, state: EmulatorState) {
  const find = (c: Context<EmulatorEnv>) => {
    const policy = state.policies.get(c.get("tenant").tenantId)!.get(c.req.param("id")!);
    return policy?.family === "deviceEnrollmentConfigurations" ? policy : undefined;
  };
  const notFound = (c: Context<EmulatorEnv>) =>
    graphError(c, 404, "ResourceNotFound", `{"_version": 3, "Message": "Resource not found"}`);
  for (const version of ["v1.0", "beta"] as const) {
    const base = `/${version}/deviceManagement/deviceEnrollmentConfigurations/:id`;
    app.post(`${base}/setPriority`, async (c) => {
      const policy = find(c);
      if (!policy) return notFound(c);
      const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
      const unknown = Object.keys(body ?? {}).find((key) => key !== "priority");
      if (unknown)
        return graphError(
          c,
          400,
          "BadRequest",
          `The parameter '${unknown}' in the request payload is not a valid parameter for the operation 'setPriority'.`,
        );
      const priority = body?.priority;
      if (!Number.isInteger(priority) || (priority as number) < 1)
        return graphError(c, 400, "BadRequest", "The 'priority' parameter must be a whole number from 1.");
      if (isDefault(policy))
        return graphError(
          c,
          400,
          "BadRequest",
          "The priority of a default enrollment configuration cannot be changed.",
        );
      rank(state.policies.get(c.get("tenant").tenantId)!.values(), policy, priority as number);
      return c.body(null, 204);
    });
    app.delete(base, (c) => {
      const policy = find(c);
      if (!policy) return notFound(c);
      if (isDefault(policy))
        return graphError(c, 400, "BadRequest", "A default enrollment configuration cannot be deleted.");
      const policies = state.policies.get(c.get("tenant").tenantId)!;
      policies.delete(policy.body.id);
      rank(policies.values(), undefined, 0);
      return c.body(null, 204);
    });
  }
}

/** Ranks each sequence 1…n again, keeping its order; `moved` goes to `priority` (last, when that is past the end). */
function rank(all: Iterable<EmulatedPolicy>, moved: EmulatedPolicy | undefined, priority: number) {
  const sequences = new Map<string, EmulatedPolicy[]>();
  for (const p of all) {
    if (p.family !== "deviceEnrollmentConfigurations" || isDefault(p)) continue;
    sequences.set(rankKey(p.body), [...(sequences.get(rankKey(p.body)) ?? []), p]);
  }
  for (const sequence of sequences.values()) {
    sequence.sort((a, b) => Number(a.body.priority) - Number(b.body.priority));
    if (moved && sequence.includes(moved)) {
      sequence.splice(sequence.indexOf(moved), 1);
      sequence.splice(Math.min(priority - 1, sequence.length), 0, moved);
    }
    sequence.forEach((p, i) => {
      p.body.priority = i + 1;
    });
  }
}

export type EnrollmentCounts = { deviceEnrollmentConfigurations: number };
export const DEFAULT_ENROLLMENT_COUNTS: EnrollmentCounts = { deviceEnrollmentConfigurations: 12 };

const restriction = (blocked: boolean, personal: boolean) => ({
  platformBlocked: blocked,
  personalDeviceEnrollmentBlocked: personal,
  osMinimumVersion: null,
  osMaximumVersion: null,
  blockedManufacturers: [],
  blockedSkus: [],
});
const ALL = "All users and all devices";
const DEFAULT_CREATED = "0001-01-01T00:00:00Z";
const ESP_SETTINGS = (n: number) => ({
  showInstallationProgress: n % 2 === 0,
  blockDeviceSetupRetryByUser: n % 3 === 0,
  allowDeviceResetOnInstallFailure: n % 2 === 1,
  allowLogCollectionOnInstallFailure: true,
  customErrorMessage: n === 0 ? "" : "Setup could not be completed. Please contact your support person.",
  installProgressTimeoutInMinutes: 60 + 15 * n,
  allowDeviceUseOnInstallFailure: n % 4 === 1,
  selectedMobileAppIds: [],
  trackInstallProgressForAutopilotOnly: n % 2 === 1,
  disableUserStatusTrackingAfterFirstUser: false,
  allowNonBlockingAppInstallation: false,
  installQualityUpdates: n % 2 === 0,
});

/**
 * The defaults every tenant has (shapes as a tenant returns them: the multi-platform restriction kind
 * for platforms, Windows restore a tenant-level setting the console does not inventory).
 */
function defaults(prefix: string, lastModified: string): Record<string, unknown>[] {
  const common = (odataType: string, description: string, kind: string) => ({
    "@odata.type": odataType,
    id: `${prefix}_Default${kind}`,
    displayName: ALL,
    description,
    priority: 0,
    createdDateTime: DEFAULT_CREATED,
    lastModifiedDateTime: lastModified,
    version: 0,
    roleScopeTagIds: [],
    deviceEnrollmentConfigurationType: CONFIGURATION_TYPE[odataType],
  });
  const lowest = "applied with the lowest priority to all users regardless of group membership.";
  return [
    {
      ...common(
        ESP,
        `This is the default enrollment status screen configuration ${lowest}`,
        "Windows10EnrollmentCompletionPageConfiguration",
      ),
      ...ESP_SETTINGS(0),
    },
    { ...common(LIMIT, `This is the default Device Limit Restriction ${lowest}`, "Limit"), limit: 5 },
    {
      ...common(PLATFORMS_LEGACY, `This is the default Device Type Restriction ${lowest}`, "PlatformRestrictions"),
      iosRestriction: restriction(false, false),
      windowsRestriction: restriction(false, false),
      windowsHomeSkuRestriction: restriction(false, false),
      windowsMobileRestriction: restriction(true, false),
      androidRestriction: restriction(false, false),
      androidForWorkRestriction: restriction(false, false),
      macRestriction: restriction(false, false),
      macOSRestriction: restriction(false, false),
      tvosRestriction: null,
      visionOSRestriction: null,
    },
    {
      ...common(
        HELLO,
        `This is the default Windows Hello for Business configuration ${lowest}`,
        "WindowsHelloForBusiness",
      ),
      state: "notConfigured",
      pinMinimumLength: 6,
      pinMaximumLength: 127,
      pinUppercaseCharactersUsage: "disallowed",
      pinLowercaseCharactersUsage: "disallowed",
      pinSpecialCharactersUsage: "disallowed",
      pinExpirationInDays: 0,
      pinPreviousBlockCount: 0,
      remotePassportEnabled: true,
      securityDeviceRequired: false,
      unlockWithBiometricsEnabled: true,
      enhancedBiometricsState: "notConfigured",
      enhancedSignInSecurity: 0,
      securityKeyForSignIn: "notConfigured",
    },
    {
      ...common(RESTORE, `This is the default Windows Restore configuration ${lowest}`, "WindowsRestore"),
      id: `${prefix}_WindowsRestore`,
      state: "notConfigured",
    },
  ];
}

const PLATFORM_TYPES = ["windows", "ios", "android", "mac"] as const;

/**
 * One tenant's enrollment configurations: the five defaults, then `count` an admin made — enrollment
 * status pages, device limits, single-platform restrictions, and one retired multi-platform
 * restriction (made before Intune moved to one platform a policy; the console does not read it).
 */
export function seedEnrollmentConfigurations(
  seed: number,
  { tenantKey, groups, counts }: { tenantKey: string; groups: EmulatedGroup[]; counts: Partial<EnrollmentCounts> },
): EmulatedPolicy[] {
  const { deviceEnrollmentConfigurations: count } = { ...DEFAULT_ENROLLMENT_COUNTS, ...counts };
  const day = (i: number) => new Date(Date.UTC(2024, 5, 1) + i * 86_400_000).toISOString();
  const out: EmulatedPolicy[] = defaults(seededGuid(seed, `enrollment:${tenantKey}`), day(0)).map((body) => ({
    family: "deviceEnrollmentConfigurations",
    body: body as EmulatedPolicy["body"],
    settings: [],
    assignments: [],
  }));
  const ranks = new Map<string, number>();
  let platforms = 0;
  for (let i = 0; i < count; i++) {
    const made = (odataType: string, name: string, fields: Record<string, unknown>) => {
      const body = { "@odata.type": odataType, ...fields };
      const priority = (ranks.get(rankKey(body)) ?? 0) + 1;
      ranks.set(rankKey(body), priority);
      const kind = pascal(CONFIGURATION_TYPE[odataType]!);
      return {
        ...body,
        id: `${seededGuid(seed, `enrollment:${tenantKey}:${i}`)}_${kind}`,
        displayName: name,
        description: i % 3 === 0 ? "" : "Made by the device team",
        priority,
        createdDateTime: day(i + 1),
        lastModifiedDateTime: day(i + 20),
        version: 1 + (i % 3),
        roleScopeTagIds: ["0"],
        deviceEnrollmentConfigurationType: CONFIGURATION_TYPE[odataType],
      };
    };
    const n = String(i + 1).padStart(2, "0");
    const slot = i % 4;
    const body =
      i === count - 1 && count >= 4
        ? made(PLATFORMS_LEGACY, `Legacy restrictions ${n}`, {
            iosRestriction: restriction(false, true),
            windowsRestriction: restriction(false, true),
            androidRestriction: restriction(true, false),
          })
        : slot === 0
          ? made(ESP, `Enrollment status page ${n}`, ESP_SETTINGS(i + 1))
          : slot === 1
            ? made(LIMIT, `Device limit ${n}`, { limit: 3 + (i % 10) })
            : made(PLATFORM, `Platform restriction ${n}`, {
                platformType: PLATFORM_TYPES[platforms++ % PLATFORM_TYPES.length],
                platformRestriction: restriction(false, i % 2 === 0),
              });
    out.push({
      family: "deviceEnrollmentConfigurations",
      body: body as EmulatedPolicy["body"],
      settings: [],
      // Enrollment configurations are assigned to user groups (included or excluded) or all users.
      assignments: assignmentsFor(seed, `${tenantKey}:enrollment`, i, groups).filter(
        (a) => a.target["@odata.type"] !== "#microsoft.graph.allDevicesAssignmentTarget",
      ),
    });
  }
  return out;
}
