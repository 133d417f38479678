import { and, eq, sql } from "drizzle-orm";
import { fromDrizzle, type PgBoss } from "pg-boss";
import type { Db } from "@/db/client";
import { alertChannels, alertDeliveries, alertDeliveryAttempts } from "@/db/schema";
import { componentLog } from "@/lib/log";
import { type PostResult, postJson } from "./http-post";
import type { AlertEvent } from "./payloads";
import { renderBody } from "./payloads";
import { ALERT_QUEUE, type AlertJobData, type AlertQueue, ensureAlertQueue } from "./queue";
import { openChannelUrl, openSigningSecret } from "./secrets";
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signatureHeader } from "./signature";

const log = componentLog("alerts");

export type AlertDeliverySettings = {
  /** Tries per delivery before it is given up as failed. */
  maxAttempts: number;
  /** Wait before the second try; doubled for each further one, capped at MAX_RETRY_SECONDS. */
  retrySeconds: number;
  /** One try's whole exchange, connect to last byte. */
  timeoutSeconds: number;
};
export const MAX_RETRY_SECONDS = 3600;

export type DeliveryDeps = { db: Db; boss: AlertQueue; encryptionKey: Buffer; settings: AlertDeliverySettings };

export const retryDelaySeconds = (attempt: number, settings: AlertDeliverySettings) =>
  Math.min(MAX_RETRY_SECONDS, settings.retrySeconds * 2 ** (attempt - 1));

type DeliveryRow = {
  delivery: typeof alertDeliveries.$inferSelect;
  kind: (typeof alertChannels.$inferSelect)["kind"];
  urlSealed: string;
  signingSecretSealed: string;
};

/**
 * A try's result; `permanent` when no later try could do better (the channel's secrets do not open),
 * so the delivery is given up at once instead of holding the queue with retries.
 */
type TryResult = PostResult & { permanent?: true };

/** One POST of a delivery to its channel, signed; a secret that does not open is a permanent failure. */
async function post(deps: DeliveryDeps, row: DeliveryRow): Promise<TryResult> {
  const { delivery } = row;
  let url: string;
  let secret: string;
  try {
    url = openChannelUrl(row.urlSealed, deps.encryptionKey, delivery.channelId);
    secret = openSigningSecret(row.signingSecretSealed, deps.encryptionKey, delivery.channelId);
  } catch (err) {
    // Sealed under another ENCRYPTION_KEY (or altered): no later try can open it either.
    log.error({ err, deliveryId: delivery.id }, "alert channel's secrets could not be read");
    return {
      ok: false,
      statusCode: null,
      error: "The channel's secrets could not be read: enter its URL again.",
      latencyMs: 0,
      permanent: true,
    };
  }
  try {
    const body = renderBody(row.kind, delivery.id, delivery.event as AlertEvent);
    return await postJson(url, {
      body,
      timeoutMs: deps.settings.timeoutSeconds * 1000,
      headers: {
        "user-agent": "TenantAtlas-Alerts/1",
        [SIGNATURE_HEADER]: signatureHeader(secret, body),
        [DELIVERY_HEADER]: delivery.id,
        [EVENT_HEADER]: delivery.eventType,
      },
    });
  } catch (err) {
    // Anything else that stops a try is the try's failure, retried like a refusal: never a crash.
    log.error({ err, deliveryId: delivery.id }, "alert could not be prepared");
    return { ok: false, statusCode: null, error: "The alert could not be prepared.", latencyMs: 0 };
  }
}

/**
 * One try of one delivery. Each attempt number is recorded once: the record is fenced on the
 * delivery's count of attempts, so a job pg-boss retried after its worker died (the receiver may
 * have had the POST; it dedupes on the delivery id header) records nothing twice. A failed try
 * queues the next one, with its time, in the transaction that records it.
 */
export async function deliverAttempt(deps: DeliveryDeps, { deliveryId, attempt }: AlertJobData): Promise<void> {
  const [row] = await deps.db
    .select({
      delivery: alertDeliveries,
      kind: alertChannels.kind,
      enabled: alertChannels.enabled,
      urlSealed: alertChannels.urlSealed,
      signingSecretSealed: alertChannels.signingSecretSealed,
    })
    .from(alertDeliveries)
    .innerJoin(alertChannels, eq(alertChannels.id, alertDeliveries.channelId))
    .where(eq(alertDeliveries.id, deliveryId));
  // Gone with its channel, finished, or this try already on record: nothing to do.
  if (!row || row.delivery.status !== "pending" || row.delivery.attempts >= attempt) return;

  // Paused by its owner after this alert was raised: tries already queued must not post anyway.
  const paused = !row.enabled;
  const result: TryResult = paused
    ? { ok: false, statusCode: null, error: "The channel was paused: this alert was not sent.", latencyMs: 0 }
    : await post(deps, row);
  const { delivery } = row;

  const last = paused || result.permanent === true || attempt >= deps.settings.maxAttempts;
  const nextRetryAt =
    result.ok || last ? null : new Date(Date.now() + retryDelaySeconds(attempt, deps.settings) * 1000);
  await deps.db.transaction(async (tx) => {
    const [recorded] = await tx
      .update(alertDeliveries)
      .set({
        attempts: attempt,
        status: result.ok ? "delivered" : last ? "failed" : "pending",
        finishedAt: result.ok || last ? sql`now()` : null,
      })
      .where(
        and(
          eq(alertDeliveries.id, deliveryId),
          eq(alertDeliveries.status, "pending"),
          eq(alertDeliveries.attempts, attempt - 1),
        ),
      )
      .returning({ id: alertDeliveries.id });
    if (!recorded) return;
    await tx.insert(alertDeliveryAttempts).values({
      deliveryId,
      channelId: delivery.channelId,
      attempt,
      ok: result.ok,
      statusCode: result.statusCode,
      error: result.ok ? null : result.error,
      latencyMs: result.latencyMs,
      nextRetryAt,
    });
    if (nextRetryAt) {
      const next: AlertJobData = { deliveryId, attempt: attempt + 1 };
      await deps.boss.send(ALERT_QUEUE, next, { startAfter: nextRetryAt, db: fromDrizzle(tx, sql) });
    }
  });
  log.info(
    { deliveryId, attempt, ok: result.ok, statusCode: result.statusCode, latencyMs: result.latencyMs },
    "alert tried",
  );
}

/**
 * Works the alert queue in a worker process, beside (not inside) its operation lanes: a slow
 * receiver holds one of these `concurrency` slots for at most the timeout, never a run's.
 */
export async function startAlertDeliveries(
  boss: PgBoss,
  deps: Omit<DeliveryDeps, "boss">,
  { concurrency = 2, pollSeconds = 2 }: { concurrency?: number; pollSeconds?: number } = {},
) {
  await ensureAlertQueue(boss);
  await boss.work<AlertJobData>(
    ALERT_QUEUE,
    { localConcurrency: concurrency, pollingIntervalSeconds: pollSeconds, batchSize: 1 },
    async ([job]) => {
      if (job) await deliverAttempt({ ...deps, boss }, job.data);
    },
  );
  return { stop: () => boss.offWork(ALERT_QUEUE) };
}
