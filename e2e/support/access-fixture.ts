import { createHash, randomBytes, randomUUID } from "node:crypto";
import type pg from "pg";
import { hashPassword } from "../../lib/auth/password";
import type { AccessFixture } from "../../tests/support/access-table";
import { withDb } from "../fixtures";

export const MEMBER_ROLES = ["viewer", "operator", "owner"] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
export type Account = { email: string; password: string };

async function createUser(db: pg.Client, label: string): Promise<Account & { id: string }> {
  const email = `access-${label}-${randomUUID()}@example.test`;
  const password = `${label} password ${randomUUID()}`;
  const { rows } = await db.query("insert into users (email, name, password_hash) values ($1, $2, $3) returning id", [
    email,
    `Access ${label}`,
    await hashPassword(password),
  ]);
  return { id: rows[0].id, email, password };
}

async function createTenant(db: pg.Client, name: string): Promise<string> {
  const { rows } = await db.query(
    "insert into tenants (tenant_guid, display_name, client_id, client_secret_enc) values (gen_random_uuid(), $1, gen_random_uuid(), 'v1.x.y.z') returning id",
    [name],
  );
  return rows[0].id;
}

const member = (db: pg.Client, userId: string, tenantId: string, role: string) =>
  db.query("insert into tenant_memberships (user_id, tenant_id, role) values ($1, $2, $3)", [userId, tenantId, role]);

async function createRun(db: pg.Client, run: { tenantId: string; userId: string; type: string; active?: boolean }) {
  // A queued run without a job would be reaped as lost within seconds; dating its last update
  // ahead keeps it queued (and the table still) while the spec works.
  const { rows } = await db.query(
    `insert into operation_runs (tenant_id, type, status, outcome, run_identity_hash, initiator_user_id, initiator_name,
       started_at, completed_at, updated_at)
     values ($1, $2, $3, $4, md5(random()::text), $5, 'Access owner', now(), $6, $7) returning id`,
    run.active
      ? [run.tenantId, run.type, "queued", "pending", run.userId, null, new Date(Date.now() + 86_400_000)]
      : [run.tenantId, run.type, "completed", "succeeded", run.userId, new Date(), new Date()],
  );
  return rows[0].id as string;
}

/** A paused schedule (so no pg-boss schedule row is needed, and pausing it again changes nothing). */
async function createSchedule(db: pg.Client, tenantId: string, ownerId: string) {
  const { rows } = await db.query(
    `insert into schedules (tenant_id, name, operation_type, recurrence, cron, timezone, paused, owner_user_id)
     values ($1, 'Access schedule', 'inventory.sync', '{"kind":"hourly"}', '0 * * * *', 'UTC', true, $2) returning id`,
    [tenantId, ownerId],
  );
  return rows[0].id as string;
}

async function createInvite(db: pg.Client, tenantId: string, invitedBy: string) {
  const token = randomBytes(32).toString("base64url");
  const { rows } = await db.query(
    `insert into tenant_invites (tenant_id, email, role, token_hash, invited_by, expires_at)
     values ($1, $2, 'operator', $3, $4, now() + interval '7 days') returning id`,
    [tenantId, `invitee-${randomUUID()}@example.test`, createHash("sha256").update(token).digest("hex"), invitedBy],
  );
  return { id: rows[0].id as string, token };
}

/**
 * A tenant with one member per role and a few things in it (runs, a backup, a policy, an invite,
 * the owner's notification, an audit event), plus an outsider who owns another tenant.
 */
export async function createAccessFixture(): Promise<{
  fixture: AccessFixture;
  accounts: Record<MemberRole | "non-member", Account>;
}> {
  return withDb(async (db) => {
    const [viewer, operator, owner, outsider] = [
      await createUser(db, "viewer"),
      await createUser(db, "operator"),
      await createUser(db, "owner"),
      await createUser(db, "outsider"),
    ];
    const tenantId = await createTenant(db, "Access tenant");
    for (const [user, role] of [
      [viewer, "viewer"],
      [operator, "operator"],
      [owner, "owner"],
    ] as const)
      await member(db, user.id, tenantId, role);
    await member(db, outsider.id, await createTenant(db, "Outsider's own tenant"), "owner");

    const runId = await createRun(db, { tenantId, userId: owner.id, type: "tenant.verify" });
    const activeRunId = await createRun(db, { tenantId, userId: owner.id, type: "inventory.sync", active: true });
    const restoreRunId = await createRun(db, { tenantId, userId: owner.id, type: "restore.execute" });
    const backup = await db.query(
      "insert into backup_sets (tenant_id, name, selection, run_id, completed_at) values ($1, 'Access backup', null, $2, now()) returning id",
      [tenantId, runId],
    );
    const policyId = randomUUID();
    await db.query(
      `insert into policies (tenant_id, id, family, name, platform, odata_type, assigned, content, content_hash, versions)
       values ($1, $2, 'device_configuration', 'Access policy', 'windows10', '#microsoft.graph.windows10GeneralConfiguration', false, '{}', 'h', 1)`,
      [tenantId, policyId],
    );
    const invite = await createInvite(db, tenantId, owner.id);
    const scheduleId = await createSchedule(db, tenantId, owner.id);
    const notification = await db.query(
      `insert into notifications (user_id, tenant_id, run_id, kind, outcome, title, body)
       values ($1, $2, $3, 'run_completed', 'succeeded', 'Access run finished', 'It finished.') returning id`,
      [owner.id, tenantId, runId],
    );
    await db.query(
      `insert into audit_events (actor_kind, actor_user_id, actor_name, tenant_id, action, outcome)
       values ('user', $1, 'Access owner', $2, 'tenant.update', 'success')`,
      [owner.id, tenantId],
    );

    const alertChannel = () =>
      withDb(async (db) => {
        // Sealed values that open nowhere: a test send records "could not be read" and reaches no one.
        // No rule: this fixture's tenant fails every run it starts (its secret opens nowhere either),
        // and a delivery per failed run would queue ahead of other specs' alerts.
        const { rows } = await db.query(
          `insert into alert_channels (tenant_id, name, kind, url_sealed, url_host, signing_secret_sealed, rules)
           values ($1, 'Access channel', 'webhook', 'v1.x.y.z', 'localhost:9', 'v1.x.y.z',
             '{"runFailed":false,"runPartiallySucceeded":false,"operationTypes":[],"driftDetected":false,"scheduleOverdue":false}')
           returning id`,
          [tenantId],
        );
        return rows[0].id as string;
      });

    const fixture: AccessFixture = {
      tenantId,
      runId,
      activeRunId,
      restoreRunId,
      backupId: backup.rows[0].id,
      policyId,
      inviteToken: invite.token,
      notificationId: notification.rows[0].id,
      extraMember: () =>
        withDb(async (db) => {
          const extra = await createUser(db, "extra");
          await member(db, extra.id, tenantId, "viewer");
          return extra.id;
        }),
      openInvite: () => withDb(async (db) => (await createInvite(db, tenantId, owner.id)).id),
      alertChannelId: await alertChannel(),
      alertChannel,

      scheduleId,
      extraSchedule: () => withDb((db) => createSchedule(db, tenantId, owner.id)),
    };
    return { fixture, accounts: { viewer, operator, owner, "non-member": outsider } };
  });
}
