import { pgEnum } from "drizzle-orm/pg-core";

// Enums live in the database; zod schemas and UI labels derive from `.enumValues` so they never drift.
export const membershipRole = pgEnum("membership_role", ["owner", "operator", "viewer"]);
export const runStatus = pgEnum("run_status", ["queued", "running", "completed"]);
export const runOutcome = pgEnum("run_outcome", ["pending", "succeeded", "partially_succeeded", "failed", "cancelled"]);
/** Who started a run: a person, a schedule (on its owner's behalf) or the console itself (retention). */
export const initiatorKind = pgEnum("initiator_kind", ["user", "schedule", "system"]);
export const notificationKind = pgEnum("notification_kind", ["run_queued", "run_completed", "identity_linked"]);
/** How an audited request ended: done, refused (not allowed / throttled), or failed while trying. */
export const auditOutcome = pgEnum("audit_outcome", ["success", "refused", "failed"]);
/** Whom a scheduled run notifies: its owner always, on failure or partial success only, or never. */
export const scheduleNotify = pgEnum("schedule_notify", ["always", "problems", "never"]);
/** What a firing did: started a run, found an equal run active (joined it), or was skipped. */
export const firingOutcome = pgEnum("firing_outcome", ["started", "joined", "skipped"]);
export const verificationStatus = pgEnum("verification_status", ["unverified", "verified", "failed"]);

export type MembershipRole = (typeof membershipRole.enumValues)[number];
export type RunStatus = (typeof runStatus.enumValues)[number];
export type RunOutcome = (typeof runOutcome.enumValues)[number];
export type InitiatorKind = (typeof initiatorKind.enumValues)[number];
export type NotificationKind = (typeof notificationKind.enumValues)[number];
export type AuditOutcome = (typeof auditOutcome.enumValues)[number];
export type ScheduleNotify = (typeof scheduleNotify.enumValues)[number];
export type FiringOutcome = (typeof firingOutcome.enumValues)[number];
export type VerificationStatus = (typeof verificationStatus.enumValues)[number];
