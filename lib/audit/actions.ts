/**
 * Every action name the console records. A family filter (`run`) reads each of its actions through
 * the (tenant, action, time) index, so an action missing here is found by its exact name only:
 * add new ones here (`recordAudit` accepts no other name).
 */
export const AUDIT_ACTIONS = [
  "account.create_from_invite",
  "alert_channel.create",
  "alert_channel.delete",
  "alert_channel.secret_rotate",
  "alert_channel.test",
  "alert_channel.update",
  "auth.locked",
  "backup.export",
  "backup.pin",
  "backup.retention_change",
  "backup.unpin",
  "auth.password_change",
  "auth.sessions_revoke",
  "auth.sign_in",
  "auth.sign_in_failed",
  "drift.baseline_set",
  "identity.link",
  "identity.unlink",
  "invite.accept",
  "invite.create",
  "invite.revoke",
  "member.leave",
  "member.remove",
  "member.role_change",
  "run.cancel",
  "run.rerun",
  "run.start",
  "schedule.create",
  "schedule.delete",
  "schedule.overdue",
  "schedule.pause",
  "schedule.resume",
  "schedule.update",
  "tenant.create",
  "tenant.remove",
  "tenant.secret_rotate",
  "tenant.update",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The actions a filter value names: itself when dotted, else its family's. */
export function actionsMatching(filter: string): string[] {
  return filter.includes(".") ? [filter] : AUDIT_ACTIONS.filter((action) => action.startsWith(`${filter}.`));
}
