import { sql } from "drizzle-orm";
import { fromDrizzle, type JobWithMetadata } from "pg-boss";
import type { Db, Tx } from "@/db/client";
import { retryWhileUnreachable } from "@/db/connection-lost";
import { operationRuns, type RunFailure } from "@/db/schema";
import { writeAlong } from "@/db/write-together";
import type { AlertDeliverySettings } from "@/lib/alerts/deliver";
import type { AlertQueue } from "@/lib/alerts/queue";
import { raiseRunAlerts } from "@/lib/alerts/raise";
import { secretBox } from "@/lib/crypto/secret-box";
import { type AppGraphSession, createAppGraphSession, type GraphConfig } from "@/lib/graph/client";
import { INTUNE_WRITE_RATE, tenantWriteGate } from "@/lib/graph/write-budget";
import { recordRunCompleted, recordRunStarted } from "@/lib/metrics/runs";
import { runNotificationFrom, runNotificationTitle } from "@/lib/notifications/service";
import { OperationError } from "@/lib/operations/errors";
import { type OperationRegistry, operationDefinition } from "@/lib/operations/registry";
import {
  appendFailures,
  type Completion,
  completionUpdate,
  markRunning,
  recordAttemptError,
  recordProgress,
} from "@/lib/operations/runs";
import { getTenantCredentials } from "@/lib/tenants/service";
import { type CancelWatch, startCancelWatch } from "./cancel-watch";
import type { ClaimedJob } from "./claimed-job";
import { describeError } from "./describe-error";
import { handBack } from "./hand-back";
import { jobReceipt } from "./job-receipt";
import { coalescedProgress } from "./progress-writer";
import { runLog } from "./run-log";
import { isShutdown } from "./shutdown";
import type { OperationContext, OperationHandler } from "./types";

export type WorkerDeps = {
  db: Db;
  /** Creates alert delivery jobs in the transaction that completes a run (lib/alerts/raise.ts). */
  boss: AlertQueue;
  /** How alert deliveries are tried (ALERT_* settings); defaults when absent. */
  alerts?: AlertDeliverySettings;
  /** How often the worker checks its runs in flight for cancel requests, in one query (default 1 s). */
  cancelPollMs?: number;
  registry: OperationRegistry;
  handlers: Record<string, OperationHandler>;
  graph: GraphConfig;
  encryptionKey: Buffer;
};

/** `handedBack`: how often a stopping worker gave this job back (see ./hand-back); no attempt each. */
export type RunJobData = { runId: string; handedBack?: number };

/**
 * How long an attempt's last words (its error, the run's completion) wait for an unreachable
 * database. The worker is alive through a restart or failover, so it can still tell the truth once
 * the database is back, instead of leaving the reaper to guess "worker lost"; covers a 90 s outage.
 */
const OUTAGE_WAIT_MS = 5 * 60_000;
const untilReachable = <T>(write: () => Promise<T>) => retryWhileUnreachable(write, { maxWaitMs: OUTAGE_WAIT_MS });

/**
 * The lifecycle wrapper every job goes through: queued → running, the handler, then completed
 * with an outcome and the initiator's notification. A retryable error on an attempt that is not
 * the last is rethrown so pg-boss retries it; anything else completes the run `failed`.
 * A job for a run that is already completed (a redelivery) is acknowledged and does nothing.
 * A handler aborted because the worker is shutting down is neither: the run is handed back.
 *
 * `cancellations` is the worker's batched cancel check; without one (a lone call) the job gets its own.
 * Resolves true when the run's completion also completed the job (`completeIn`).
 */
export async function runJob(
  deps: WorkerDeps,
  job: JobWithMetadata<RunJobData> & Partial<Pick<ClaimedJob<RunJobData>, "completeIn">>,
  cancellations?: CancelWatch,
): Promise<boolean> {
  // A hand-back re-queues the job without spending an attempt, but its next claim still counts one.
  const attempt = job.retryCount + 1 - (job.data.handedBack ?? 0);
  const started = await markRunning(deps.db, { runId: job.data.runId, attempt });
  if (!started) return false;
  const { tenant, ...run } = started;
  recordRunStarted(run, attempt);
  const log = runLog({ ...run, jobId: job.id }).child({ attempt });
  log.info("attempt started");

  let failureCount = 0;
  const ownWatch = cancellations ? undefined : startCancelWatch(deps.db, { intervalMs: deps.cancelPollMs ?? 1000 });
  const cancellation = (cancellations ?? ownWatch!).watch(run.id, { alreadyRequested: run.cancelRequestedAt !== null });
  // The job is completed in the transaction that completes its run: one commit ends both.
  const completeJob = job.completeIn && ((tx: Tx) => job.completeIn!(fromDrizzle(tx, sql), jobReceipt()));
  const end = (completion: Omit<Completion, "runId" | "attempt">) =>
    untilReachable(() => finish(deps, { runId: run.id, type: run.type, attempt, ...completion }, completeJob));
  const progress = coalescedProgress((counts) => recordProgress(deps.db, { runId: run.id, attempt }, counts), {
    onError: (err) => log.warn({ err }, "progress not recorded"),
  });
  try {
    const definition = deps.registry[run.type];
    const handler = deps.handlers[run.type];
    if (!definition || !handler)
      throw new OperationError("unknown_type", `No handler is registered for "${run.type}".`);
    if (!tenant) throw new OperationError("tenant_missing", "The tenant of this run no longer exists.");

    // One app-only session per run: the token the Graph client sends is the one a handler can read.
    let session: Promise<AppGraphSession> | undefined;
    const graphSession = () =>
      (session ??= getTenantCredentials(deps.db, deps.encryptionKey, run.tenantId).then((credentials) =>
        createAppGraphSession(deps.graph, credentials, {
          // Intune writes of every worker and process share one budget per tenant.
          writeGate: tenantWriteGate(deps.db, {
            tenantId: run.tenantId,
            rate: deps.graph.writeRate ?? INTUNE_WRITE_RATE,
          }),
        }),
      ));
    const ctx: OperationContext = {
      run,
      tenant,
      inputs: definition.inputSchema.parse(run.inputs) as Record<string, unknown>,
      db: deps.db,
      signal: AbortSignal.any([job.signal, cancellation.signal]),
      progress: progress.progress,
      addFailure: async (failure) => {
        failureCount += 1;
        await appendFailures(deps.db, { runId: run.id, attempt }, [failure]);
      },
      graphUrl: deps.graph.graphUrl,
      graph: async () => (await graphSession()).client,
      appAccessToken: async () => (await graphSession()).accessToken(),
      secretBox: secretBox(deps.encryptionKey),
      log,
    };
    await handler(ctx);
    await untilReachable(() => progress.flush());
    await end({ outcome: failureCount > 0 ? "partially_succeeded" : "succeeded" });
    return completeJob !== undefined;
  } catch (err) {
    // What the handler reported before it stopped is kept, if it can be (the run's end matters more).
    await progress.flush().catch(() => {});
    if (cancellation.signal.aborted) {
      await end({ outcome: "cancelled" });
      return completeJob !== undefined;
    }
    if (isShutdown(job.signal)) {
      await handBack(deps.db, { run: { runId: run.id, attempt }, job });
      return false;
    }
    const failure = describeError(err, run.type);
    const { message, reference } = failure;
    await untilReachable(() => recordAttemptError(deps.db, { runId: run.id, attempt, message, reference }));
    const retried = failure.retryable && job.retryCount < job.retryLimit;
    // An unexpected error's full text (SQL, bound values, stack) lives only here, under its reference.
    log.warn({ code: failure.code, error: message, retried, ...(reference && { reference, err }) }, "attempt failed");
    if (retried) throw err;
    const final: RunFailure = { code: failure.code, message: lastAttemptMessage(failure, attempt, job.retryLimit) };
    if (failure.item) final.item = failure.item;
    if (reference) final.reference = reference;
    await end({ outcome: "failed", failures: [final] });
    return completeJob !== undefined;
  } finally {
    progress.stop();
    cancellation.stop();
    ownWatch?.stop();
  }
}

function lastAttemptMessage(failure: { message: string; retryable: boolean }, attempt: number, retryLimit: number) {
  return failure.retryable && retryLimit > 0
    ? `${failure.message} (gave up after ${attempt} attempts)`
    : failure.message;
}

/**
 * Complete, notify and raise its alerts in one transaction; a run someone else already completed
 * is left alone. `alsoInTransaction` commits with it either way (the attempt's job completion).
 * `type`: the run's, for its notification's title (the one part not read from the completed row).
 */
export async function finish(
  deps: Pick<WorkerDeps, "db" | "registry" | "boss">,
  completion: Completion & { type: string },
  alsoInTransaction?: (tx: Tx) => Promise<void>,
) {
  const { type, ...rest } = completion;
  const done = await deps.db.transaction(async (tx) => {
    // First, so the job's row is locked before the run's, in the order a hand-back takes them.
    await alsoInTransaction?.(tx);
    // The completion and its notification: one statement, and a run already completed gets neither.
    const title = runNotificationTitle(type, completion.outcome, deps.registry);
    const [done] = await writeAlong(tx, operationRuns, completionUpdate(tx, rest).getSQL(), (rows) => [
      runNotificationFrom(rows, title),
    ]);
    if (done) {
      const label = operationDefinition(deps.registry, done.type)?.label ?? done.type;
      await raiseRunAlerts(tx, { boss: deps.boss, run: done, label });
    }
    return done;
  });
  if (!done) return;
  recordRunCompleted(done);
  runLog(done).info({ outcome: done.outcome, attempt: done.attempt }, "run completed");
}
