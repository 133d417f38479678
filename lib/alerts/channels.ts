import "server-only";
import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "@/db/client";
import { alertChannels, alertDeliveries, alertDeliveryAttempts } from "@/db/schema";
import { ALERT_CHANNEL_KINDS, type AlertChannelKind, type AlertRules } from "@/db/schema/alerts";
import type { AuditAction } from "@/lib/audit/actions";
import { recordAudit } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/actor";
import { type FieldErrors, InputError, NotFoundError } from "@/lib/errors";
import { operations } from "@/lib/operations/registry";
import { requireTenantAccess } from "@/lib/tenants/access";
import type { AlertQueue } from "./queue";
import { enqueueDelivery } from "./raise";
import { resolveAllowed } from "./resolve";
import { sealChannelUrl, sealSigningSecret } from "./secrets";
import { newSigningSecret } from "./signature";
import { checkTargetUrl, TargetRefused } from "./target";

/**
 * A tenant's alert channels. Owners create, change, rotate, test and delete them; every member may
 * read the list and a channel's deliveries (they see what the console tells the outside, never a
 * secret: the queries below never select a sealed column). Every check happens after the role check,
 * so a non-member learns nothing about a channel's URL rules.
 */

/** Consecutive failed tries (newest first) that mark a channel as failing. */
export const FAILING_AFTER = 3;

const operationType = z.enum(Object.keys(operations) as [string, ...string[]]);
export const rulesSchema = z
  .object({
    runFailed: z.boolean(),
    runPartiallySucceeded: z.boolean(),
    operationTypes: z.array(operationType).max(50),
    driftDetected: z.boolean(),
    scheduleOverdue: z.boolean(),
  })
  .strict();
const nameSchema = z.string().trim().min(1, "Enter a name.").max(100, "At most 100 characters.");
const kindSchema = z.enum(ALERT_CHANNEL_KINDS);

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new InputError("Check the fields below.", z.flattenError(parsed.error).fieldErrors as FieldErrors);
  }
  return parsed.data;
}

/** The URL's rules, then its host's addresses: each refusal a sentence on the URL field. */
async function checkedUrl(raw: unknown): Promise<URL> {
  const text = typeof raw === "string" ? raw.trim() : "";
  try {
    const url = checkTargetUrl(text);
    await resolveAllowed(url.hostname);
    return url;
  } catch (err) {
    if (err instanceof TargetRefused) throw new InputError(err.message, { url: [err.message] });
    throw err;
  }
}

async function audit(
  tx: DbOrTx,
  {
    actor,
    tenantId,
    action,
    channel,
    details,
  }: {
    actor: Actor;
    tenantId: string;
    action: Extract<AuditAction, `alert_channel.${string}`>;
    channel: { id: string; name: string };
    details?: Record<string, unknown>;
  },
) {
  await recordAudit(tx, {
    actor: { kind: "user", userId: actor.userId, name: actor.name },
    tenantId,
    action,
    target: { type: "alert_channel", id: channel.id, label: channel.name },
    outcome: "success",
    clientAddress: actor.clientAddress ?? null,
    details,
  });
}

export type NewChannel = { actor: Actor; tenantId: string; name: unknown; kind: unknown; url: unknown; rules: unknown };

/** Creates a channel; answers its signing secret, which exists in the clear only in this answer. */
export async function createChannel(db: Db, key: Buffer, input: NewChannel) {
  await requireTenantAccess(db, { userId: input.actor.userId, tenantId: input.tenantId, minRole: "owner" });
  const { name, kind, rules } = parse(z.object({ name: nameSchema, kind: kindSchema, rules: rulesSchema }), input);
  const url = await checkedUrl(input.url);
  const id = randomUUID();
  const signingSecret = newSigningSecret();
  return db.transaction(async (tx) => {
    await requireTenantAccess(tx, { userId: input.actor.userId, tenantId: input.tenantId, minRole: "owner" });
    await tx.insert(alertChannels).values({
      id,
      tenantId: input.tenantId,
      name,
      kind,
      urlSealed: sealChannelUrl(url.href, key, id),
      urlHost: url.host,
      signingSecretSealed: sealSigningSecret(signingSecret, key, id),
      rules,
      createdBy: input.actor.userId,
    });
    await audit(tx, {
      actor: input.actor,
      tenantId: input.tenantId,
      action: "alert_channel.create",
      channel: { id, name },
      details: { kind, host: url.host, rules },
    });
    return { id, signingSecret };
  });
}

/** The channel, locked, of this tenant: another tenant's channel id is "not found". */
async function lockedChannel(tx: DbOrTx, { tenantId, channelId }: { tenantId: string; channelId: string }) {
  if (!z.uuid().safeParse(channelId).success) throw new NotFoundError("alert channel");
  const [channel] = await tx
    .select({ id: alertChannels.id, name: alertChannels.name, tenantId: alertChannels.tenantId })
    .from(alertChannels)
    .where(and(eq(alertChannels.id, channelId), eq(alertChannels.tenantId, tenantId)))
    .for("update");
  if (!channel) throw new NotFoundError("alert channel");
  return channel;
}

export type ChannelRef = { actor: Actor; tenantId: string; channelId: string };

/** Renames it, changes its rules or pauses it; the URL and kind stay (a new URL is a new channel). */
export async function updateChannel(db: Db, input: ChannelRef & { name: unknown; rules: unknown; enabled: unknown }) {
  await requireTenantAccess(db, { userId: input.actor.userId, tenantId: input.tenantId, minRole: "owner" });
  const { name, rules, enabled } = parse(
    z.object({ name: nameSchema, rules: rulesSchema, enabled: z.boolean() }),
    input,
  );
  return db.transaction(async (tx) => {
    const channel = await lockedChannel(tx, input);
    await tx
      .update(alertChannels)
      .set({ name, rules, enabled, updatedAt: sql`now()` })
      .where(eq(alertChannels.id, channel.id));
    await audit(tx, {
      actor: input.actor,
      tenantId: input.tenantId,
      action: "alert_channel.update",
      channel: { id: channel.id, name },
      details: { previousName: channel.name, rules, enabled },
    });
  });
}

/** Deletes it with its deliveries (cascade); a delivery job in flight then finds nothing to send. */
export async function deleteChannel(db: Db, input: ChannelRef) {
  await requireTenantAccess(db, { userId: input.actor.userId, tenantId: input.tenantId, minRole: "owner" });
  await db.transaction(async (tx) => {
    const channel = await lockedChannel(tx, input);
    await tx.delete(alertChannels).where(eq(alertChannels.id, channel.id));
    await audit(tx, { actor: input.actor, tenantId: input.tenantId, action: "alert_channel.delete", channel });
  });
}

/** A new signing secret, answered once; the old one stops verifying with the next delivery. */
export async function rotateSigningSecret(db: Db, key: Buffer, input: ChannelRef) {
  await requireTenantAccess(db, { userId: input.actor.userId, tenantId: input.tenantId, minRole: "owner" });
  const signingSecret = newSigningSecret();
  await db.transaction(async (tx) => {
    const channel = await lockedChannel(tx, input);
    await tx
      .update(alertChannels)
      .set({ signingSecretSealed: sealSigningSecret(signingSecret, key, channel.id), secretRotatedAt: sql`now()` })
      .where(eq(alertChannels.id, channel.id));
    await audit(tx, { actor: input.actor, tenantId: input.tenantId, action: "alert_channel.secret_rotate", channel });
  });
  return { signingSecret };
}

const TEST_INTERVAL_SECONDS = 10;

/** Queues a test alert to the channel, whatever its rules (and even paused): the page shows how it went. */
export async function sendTestAlert(db: Db, boss: AlertQueue, input: ChannelRef) {
  const { tenant } = await requireTenantAccess(db, {
    userId: input.actor.userId,
    tenantId: input.tenantId,
    minRole: "owner",
  });
  return db.transaction(async (tx) => {
    const channel = await lockedChannel(tx, input);
    // One test per channel per interval: the button must not become a way to flood a receiver.
    // The channel's row lock makes two concurrent clicks see each other.
    const [recent] = await tx
      .select({ id: alertDeliveries.id })
      .from(alertDeliveries)
      .where(
        and(
          eq(alertDeliveries.channelId, channel.id),
          eq(alertDeliveries.eventType, "test"),
          sql`${alertDeliveries.createdAt} > now() - make_interval(secs => ${TEST_INTERVAL_SECONDS})`,
        ),
      )
      .limit(1);
    if (recent)
      throw new InputError(
        `A test was sent to this channel less than ${TEST_INTERVAL_SECONDS} seconds ago: see how it went below, then try again.`,
      );
    const deliveryId = await enqueueDelivery(tx, {
      boss,
      channel,
      event: {
        type: "test",
        occurredAt: new Date().toISOString(),
        tenant: { id: input.tenantId, name: tenant.displayName },
        title: `Test alert for ${tenant.displayName}`,
        text: `${input.actor.name} sent this test from the channel "${channel.name}". If you can read it, alerts reach you.`,
      },
    });
    await audit(tx, {
      actor: input.actor,
      tenantId: input.tenantId,
      action: "alert_channel.test",
      channel,
      details: { deliveryId },
    });
    return { deliveryId };
  });
}

/** What any member may see of a channel: never a sealed column. */
const publicColumns = {
  id: alertChannels.id,
  name: alertChannels.name,
  kind: alertChannels.kind,
  urlHost: alertChannels.urlHost,
  rules: alertChannels.rules,
  enabled: alertChannels.enabled,
  createdAt: alertChannels.createdAt,
  secretRotatedAt: alertChannels.secretRotatedAt,
};
export type ChannelView = {
  id: string;
  name: string;
  kind: AlertChannelKind;
  urlHost: string;
  rules: AlertRules;
  enabled: boolean;
  createdAt: Date;
  secretRotatedAt: Date;
  /** The newest tries all failed (FAILING_AFTER of them). */
  failing: boolean;
  lastAttemptAt: Date | null;
};

/** Per channel: its newest tries, to tell a failing channel (one query for all channels). */
async function recentTries(db: DbOrTx, channelIds: string[]) {
  if (channelIds.length === 0) return new Map<string, { ok: boolean; at: Date }[]>();
  const rows = await db.execute<{ channel_id: string; ok: boolean; attempted_at: string }>(sql`
    select c.id as channel_id, t.ok, t.attempted_at from unnest(array[${sql.join(
      channelIds.map((id) => sql`${id}`),
      sql`, `,
    )}]::uuid[]) c(id)
    cross join lateral (
      select ok, attempted_at from ${alertDeliveryAttempts} a where a.channel_id = c.id
      order by a.attempted_at desc limit ${FAILING_AFTER}) t`);
  const tries = new Map<string, { ok: boolean; at: Date }[]>();
  for (const row of rows.rows) {
    const list = tries.get(row.channel_id) ?? [];
    list.push({ ok: row.ok, at: new Date(row.attempted_at) });
    tries.set(row.channel_id, list);
  }
  return tries;
}

function withHealth(
  channel: Omit<ChannelView, "failing" | "lastAttemptAt">,
  tries: { ok: boolean; at: Date }[] = [],
): ChannelView {
  return {
    ...channel,
    failing: tries.length >= FAILING_AFTER && tries.every((t) => !t.ok),
    lastAttemptAt: tries[0]?.at ?? null,
  };
}

export async function listChannels(db: DbOrTx, { userId, tenantId }: { userId: string; tenantId: string }) {
  const access = await requireTenantAccess(db, { userId, tenantId });
  const channels = await db
    .select(publicColumns)
    .from(alertChannels)
    .where(eq(alertChannels.tenantId, tenantId))
    .orderBy(alertChannels.name);
  const tries = await recentTries(
    db,
    channels.map((c) => c.id),
  );
  return { role: access.role, channels: channels.map((c) => withHealth(c, tries.get(c.id))) };
}

/** A channel with its newest deliveries and each one's tries. */
export async function getChannel(
  db: DbOrTx,
  { userId, tenantId, channelId, limit = 50 }: { userId: string; tenantId: string; channelId: string; limit?: number },
) {
  const access = await requireTenantAccess(db, { userId, tenantId });
  if (!z.uuid().safeParse(channelId).success) throw new NotFoundError("alert channel");
  const [channel] = await db
    .select(publicColumns)
    .from(alertChannels)
    .where(and(eq(alertChannels.id, channelId), eq(alertChannels.tenantId, tenantId)));
  if (!channel) throw new NotFoundError("alert channel");
  const deliveries = await db
    .select({
      id: alertDeliveries.id,
      eventType: alertDeliveries.eventType,
      runId: alertDeliveries.runId,
      title: sql<string>`${alertDeliveries.event} ->> 'title'`,
      status: alertDeliveries.status,
      attempts: alertDeliveries.attempts,
      createdAt: alertDeliveries.createdAt,
      finishedAt: alertDeliveries.finishedAt,
    })
    .from(alertDeliveries)
    .where(eq(alertDeliveries.channelId, channelId))
    .orderBy(desc(alertDeliveries.createdAt))
    .limit(limit);
  const attempts =
    deliveries.length === 0
      ? []
      : await db
          .select({
            deliveryId: alertDeliveryAttempts.deliveryId,
            attempt: alertDeliveryAttempts.attempt,
            ok: alertDeliveryAttempts.ok,
            statusCode: alertDeliveryAttempts.statusCode,
            error: alertDeliveryAttempts.error,
            latencyMs: alertDeliveryAttempts.latencyMs,
            attemptedAt: alertDeliveryAttempts.attemptedAt,
            nextRetryAt: alertDeliveryAttempts.nextRetryAt,
          })
          .from(alertDeliveryAttempts)
          .where(
            inArray(
              alertDeliveryAttempts.deliveryId,
              deliveries.map((d) => d.id),
            ),
          )
          .orderBy(alertDeliveryAttempts.deliveryId, alertDeliveryAttempts.attempt);
  const tries = await recentTries(db, [channelId]);
  return {
    role: access.role,
    channel: withHealth(channel, tries.get(channelId)),
    deliveries: deliveries.map((d) => ({ ...d, tries: attempts.filter((a) => a.deliveryId === d.id) })),
  };
}
