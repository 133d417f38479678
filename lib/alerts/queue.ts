import type { PgBoss } from "pg-boss";
import { HEARTBEAT_SECONDS } from "@/lib/operations/queue";

/**
 * Alert deliveries have a queue of their own (they are not runs). pg-boss's retries here cover only
 * a worker that died mid-delivery (its heartbeats stop, the job is retried); a receiver's refusal is
 * retried by lib/alerts/deliver.ts itself, so that every try is a row with its next retry time.
 */
export const ALERT_QUEUE = "alert.deliver";
export type AlertJobData = { deliveryId: string; attempt: number };

/** What creates delivery jobs: a producer or worker pg-boss, used inside the caller's transaction. */
export type AlertQueue = Pick<PgBoss, "send">;

export async function ensureAlertQueue(boss: PgBoss): Promise<void> {
  const options = {
    retryLimit: 3,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 300,
    heartbeatSeconds: HEARTBEAT_SECONDS,
  };
  if (await boss.getQueue(ALERT_QUEUE)) await boss.updateQueue(ALERT_QUEUE, options);
  else await boss.createQueue(ALERT_QUEUE, options);
}
