import { randomUUID } from "node:crypto";

/**
 * Who may do what: one row per server action and per console route, checked against the code by
 * tests/support/access-table.test.ts (a missing or stale row fails) and exercised for real, role by
 * role, by e2e/access-control.spec.ts.
 *
 * - "public": anyone, signed in or not.
 * - "signed-in": any signed-in user, on their own things (no tenant role needed).
 * - "self": only the user the target belongs to (the fixture's owner); for everyone else the call
 *   is a no-op.
 * - "viewer" | "operator" | "owner": a member of the tenant with at least that role; non-members
 *   get "not found", members below it "forbidden".
 * - "bearer": no session opens it (a scraper's token does).
 *
 * A new action is one row: `"lib/x/actions.ts#doAction": { access: "owner", args: (fx) => [...] }`,
 * its arguments as the browser would send them (a call the table's role would see succeed, so a
 * refusal is not just bad input). A new route is `"/t/[tenantId]/x": { access: "viewer" }`; a new
 * URL parameter also needs its value in fillPattern (e2e/access-control.spec.ts).
 */
export type Access = "public" | "signed-in" | "self" | "viewer" | "operator" | "owner" | "bearer";

/** What the e2e spec sets up: a tenant with one member per role, and things in it to act on. */
export type AccessFixture = {
  tenantId: string;
  /** A finished tenant.verify run. */
  runId: string;
  /** A queued run nobody works on (the fixture's tenant has no worker-visible job). */
  activeRunId: string;
  restoreRunId: string;
  backupId: string;
  policyId: string;
  /** An open invite's link token (for the invite page). */
  inviteToken: string;
  /** The owner's unread notification. */
  notificationId: string;
  /** A fresh viewer member to change or remove (so an allowed call does not eat the fixture). */
  extraMember: () => Promise<string>;
  /** A fresh open invite's id. */
  openInvite: () => Promise<string>;
  /** An alert channel (webhook to localhost, nothing listening) to read. */
  alertChannelId: string;
  /** A fresh alert channel's id, for calls that change or delete one. */
  alertChannel: () => Promise<string>;

  /** A paused schedule of inventory.sync. */
  scheduleId: string;
  /** A fresh paused schedule's id (to delete). */
  extraSchedule: () => Promise<string>;
};

/** `endsSessions`: an allowed call signs the caller's other sessions out (the spec signs in again). */
export type ActionRow = {
  access: Access;
  args: (fx: AccessFixture) => unknown[] | Promise<unknown[]>;
  endsSessions?: boolean;
};
/** `proof`: text only a permitted reader's page contains (for pages that answer 200 with a refusal). */
export type RouteRow = { access: Access; proof?: string };

/** A form as the browser posts it; repeated fields as arrays. */
export function form(values: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(values)) {
    for (const v of Array.isArray(value) ? value : [value]) data.append(name, v);
  }
  return data;
}

const freshEmail = () => `access-${randomUUID()}@example.test`;

export const ACTION_ACCESS: Record<string, ActionRow> = {
  // Allowed calls that change nothing: a new password too short, an identity not chosen.
  "lib/account/actions.ts#changePasswordAction": {
    access: "signed-in",
    args: () => [{ currentPassword: "not the password", newPassword: "short" }],
  },
  "lib/account/actions.ts#signOutOtherSessionsAction": { access: "signed-in", args: () => [], endsSessions: true },
  "lib/account/actions.ts#unlinkIdentityAction": {
    access: "signed-in",
    args: () => [{ tenantGuid: "", objectId: "" }],
  },
  // Allowed calls that change nothing: a URL refused after the role check.
  "lib/alerts/actions.ts#createAlertChannelAction": {
    access: "owner",
    args: (fx) => [
      {
        tenantId: fx.tenantId,
        name: "Access test",
        kind: "webhook",
        url: "http://example.com/not-https",
        rules: {
          runFailed: true,
          runPartiallySucceeded: false,
          operationTypes: [],
          driftDetected: false,
          scheduleOverdue: false,
        },
      },
    ],
  },
  "lib/alerts/actions.ts#deleteAlertChannelAction": {
    access: "owner",
    args: async (fx) => [{ tenantId: fx.tenantId, channelId: await fx.alertChannel() }],
  },
  "lib/alerts/actions.ts#rotateAlertSecretAction": {
    access: "owner",
    args: async (fx) => [{ tenantId: fx.tenantId, channelId: await fx.alertChannel() }],
  },
  "lib/alerts/actions.ts#sendTestAlertAction": {
    access: "owner",
    args: async (fx) => [{ tenantId: fx.tenantId, channelId: await fx.alertChannel() }],
  },
  "lib/alerts/actions.ts#updateAlertChannelAction": {
    access: "owner",
    args: async (fx) => [
      {
        tenantId: fx.tenantId,
        channelId: await fx.alertChannel(),
        name: "Access test (renamed)",
        enabled: false,
        rules: {
          runFailed: true,
          runPartiallySucceeded: false,
          operationTypes: [],
          driftDetected: false,
          scheduleOverdue: false,
        },
      },
    ],
  },
  "lib/auth/link-actions.ts#beginMicrosoftInviteSignInAction": {
    access: "public",
    args: (fx) => [{ token: fx.inviteToken }],
  },
  "lib/auth/link-actions.ts#beginMicrosoftLinkAction": { access: "signed-in", args: () => [] },
  "lib/backups/actions.ts#startBackupAction": {
    access: "operator",
    args: (fx) => [fx.tenantId, undefined, form({ mode: "selected", policyId: fx.policyId })],
  },
  // Allowed calls that change nothing: a backup id that is no set, a finding id that is no finding.
  "lib/drift/actions.ts#setDriftBaselineAction": {
    access: "owner",
    args: (fx) => [fx.tenantId, undefined, form({ backupSetId: randomUUID() })],
  },
  "lib/drift/actions.ts#startDriftAction": {
    access: "operator",
    args: (fx) => [fx.tenantId, undefined, form({ type: "drift.revert", findingId: randomUUID() })],
  },
  // BENCH=http's floor: the session check, then a redirect to the floor page.
  "lib/internal/floor-actions.ts#floorAction": { access: "signed-in", args: () => [] },
  "lib/notifications/actions.ts#markAllNotificationsReadAction": { access: "signed-in", args: () => [] },
  "lib/notifications/actions.ts#markNotificationReadAction": { access: "self", args: (fx) => [fx.notificationId] },
  "lib/operations/actions.ts#cancelRunAction": { access: "operator", args: (fx) => [fx.tenantId, fx.activeRunId] },
  "lib/operations/actions.ts#rerunRunAction": { access: "operator", args: (fx) => [fx.tenantId, fx.runId] },
  "lib/operations/actions.ts#startOperationAction": {
    access: "operator",
    args: (fx) => [fx.tenantId, undefined, form({ type: "inventory.sync", inputs: "{}" })],
  },
  "lib/rbac/actions.ts#searchDirectoryGroupsAction": { access: "operator", args: (fx) => [fx.tenantId, "Sales"] },
  "lib/rbac/actions.ts#startRoleAssignmentAction": {
    access: "owner",
    args: (fx) => [
      fx.tenantId,
      undefined,
      form({ roleDefinitionId: "role-1", displayName: "Access test", member: `${randomUUID()}|Anyone` }),
    ],
  },
  "lib/restores/actions.ts#searchCachedGroupsAction": { access: "operator", args: (fx) => [fx.tenantId, "Sales"] },
  "lib/restores/actions.ts#startRestoreAction": {
    access: "operator",
    args: (fx) => [fx.tenantId, undefined, form({ backup: fx.backupId, item: randomUUID(), unmapped: "skip" })],
  },
  // Allowed calls that change nothing: a retention of 0 days, unpinning a set that is not pinned,
  // a delete without the typed confirmation.
  "lib/retention/actions.ts#deleteBackupAction": {
    access: "owner",
    args: (fx) => [fx.tenantId, undefined, form({ backupSetId: fx.backupId, confirm: "no" })],
  },
  "lib/retention/actions.ts#setBackupPinAction": {
    access: "owner",
    args: (fx) => [{ tenantId: fx.tenantId, backupSetId: fx.backupId, pinned: false }],
  },
  "lib/retention/actions.ts#setRetentionAction": {
    access: "owner",
    args: (fx) => [fx.tenantId, form({ keepDays: "0", keepCount: "" })],
  },

  // Allowed calls that change nothing: an invalid cron or time, pausing a paused schedule; Run now
  // starts inventory.sync as startOperationAction's row does; a delete takes a fresh schedule.
  "lib/schedules/actions.ts#createScheduleAction": {
    access: "operator",
    args: (fx) => [
      fx.tenantId,
      form({ name: "Access", operationType: "inventory.sync", frequency: "cron", cron: "99 * * * *", timezone: "UTC" }),
    ],
  },
  "lib/schedules/actions.ts#deleteScheduleAction": {
    access: "operator",
    args: async (fx) => [{ tenantId: fx.tenantId, scheduleId: await fx.extraSchedule() }],
  },
  "lib/schedules/actions.ts#runScheduleNowAction": {
    access: "operator",
    args: (fx) => [{ tenantId: fx.tenantId, scheduleId: fx.scheduleId }],
  },
  "lib/schedules/actions.ts#setSchedulePausedAction": {
    access: "operator",
    args: (fx) => [{ tenantId: fx.tenantId, scheduleId: fx.scheduleId, paused: true }],
  },
  "lib/schedules/actions.ts#updateScheduleAction": {
    access: "operator",
    args: (fx) => [
      fx.tenantId,
      fx.scheduleId,
      form({ name: "Access", operationType: "inventory.sync", frequency: "daily", time: "25:00", timezone: "UTC" }),
    ],
  },
  "lib/team/actions.ts#acceptInviteAction": { access: "signed-in", args: (fx) => [{ token: fx.inviteToken }] },
  "lib/team/actions.ts#changeRoleAction": {
    access: "owner",
    args: async (fx) => [{ tenantId: fx.tenantId, memberId: await fx.extraMember(), role: "operator" }],
  },
  "lib/team/actions.ts#createAccountFromInviteAction": {
    access: "public",
    args: () => [{ token: "A".repeat(43), name: "Nobody", password: "a long enough password" }],
  },
  "lib/team/actions.ts#inviteMemberAction": {
    access: "owner",
    args: (fx) => [{ tenantId: fx.tenantId, email: freshEmail(), role: "owner" }],
  },
  "lib/team/actions.ts#removeMemberAction": {
    access: "owner",
    args: async (fx) => [{ tenantId: fx.tenantId, memberId: await fx.extraMember() }],
  },
  "lib/team/actions.ts#revokeInviteAction": {
    access: "owner",
    args: async (fx) => [{ tenantId: fx.tenantId, inviteId: await fx.openInvite() }],
  },
  // Allowed calls that change nothing: the secret does not sign in, the name typed is not the tenant's.
  "lib/tenants/settings-actions.ts#changeAppIdAction": {
    access: "owner",
    args: (fx) => [{ tenantId: fx.tenantId, clientId: randomUUID(), clientSecret: "not the secret" }],
  },
  "lib/tenants/settings-actions.ts#removeTenantAction": {
    access: "owner",
    args: (fx) => [{ tenantId: fx.tenantId, confirmName: "not the tenant's name" }],
  },
  "lib/tenants/settings-actions.ts#rotateSecretAction": {
    access: "owner",
    args: (fx) => [{ tenantId: fx.tenantId, clientSecret: "not the secret" }],
  },
  "lib/tenants/actions.ts#createTenantAction": {
    access: "signed-in",
    args: () => [
      undefined,
      form({ tenantGuid: "not-a-guid", displayName: "Access test", clientId: randomUUID(), clientSecret: "s" }),
    ],
  },
};

export const ROUTE_ACCESS: Record<string, RouteRow> = {
  "/": { access: "signed-in" },
  "/account": { access: "signed-in" },
  "/audit": { access: "signed-in" },
  "GET /audit/export": { access: "signed-in" },
  "/internal/floor": { access: "signed-in" },
  "/invite/[token]": { access: "public" },
  "/notifications": { access: "signed-in" },
  "/operations": { access: "signed-in" },
  "/sign-in": { access: "public" },
  "/t/[tenantId]": { access: "viewer" },
  "/t/[tenantId]/alerts": { access: "viewer" },
  "/t/[tenantId]/alerts/[channelId]": { access: "viewer" },
  "/t/[tenantId]/audit": { access: "operator", proof: 'data-testid="audit-table"' },
  "GET /t/[tenantId]/audit/export": { access: "operator" },
  "/t/[tenantId]/backups": { access: "viewer" },
  "/t/[tenantId]/backups/[backupId]": { access: "viewer" },
  "GET /t/[tenantId]/backups/[backupId]/download": { access: "viewer" },
  "/t/[tenantId]/drift": { access: "viewer" },
  "/t/[tenantId]/explorer": { access: "viewer" },
  "GET /t/[tenantId]/explorer/export": { access: "viewer" },
  "/t/[tenantId]/groups": { access: "viewer" },
  "/t/[tenantId]/members": { access: "viewer" },
  "/t/[tenantId]/operations": { access: "viewer" },
  "/t/[tenantId]/operations/[runId]": { access: "viewer" },
  "/t/[tenantId]/policies": { access: "viewer" },
  "/t/[tenantId]/policies/[policyId]": { access: "viewer" },
  "/t/[tenantId]/restores": { access: "viewer" },
  "/t/[tenantId]/restores/[runId]": { access: "viewer" },
  "/t/[tenantId]/restores/new": { access: "viewer" },
  "/t/[tenantId]/schedules": { access: "viewer" },
  "/t/[tenantId]/settings": { access: "owner", proof: 'data-testid="client-id"' },
  "/tenants": { access: "signed-in" },
  "/tenants/new": { access: "signed-in" },
  "GET,POST /api/auth/[...nextauth]": { access: "public" },
  "GET /api/health": { access: "public" },
  "GET /api/health/live": { access: "public" },
  "GET /api/health/ready": { access: "public" },
  "GET /api/live": { access: "signed-in" },
  "GET /api/notifications/latest": { access: "signed-in" },
  "GET /api/metrics": { access: "bearer" },
};
