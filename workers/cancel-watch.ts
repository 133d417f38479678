import { and, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { operationRuns } from "@/db/schema";
import { OperationError } from "@/lib/operations/errors";

export type CancelWatch = ReturnType<typeof startCancelWatch>;

/**
 * Cooperative cancellation for every run in flight in this worker process: one query per tick
 * asks which of them someone asked to cancel, and aborts those runs' signals. One query per worker
 * instead of one per run keeps the load flat as concurrency grows, and idle ticks query nothing.
 * A handler that still finishes its work ends with its own outcome.
 */
export function startCancelWatch(db: Db, { intervalMs }: { intervalMs: number }) {
  const watched = new Map<string, AbortController>();
  let checks = 0;
  const cancel = (controller: AbortController) =>
    controller.abort(new OperationError("cancelled", "The run was cancelled."));

  const timer = setInterval(async () => {
    if (watched.size === 0) return;
    checks += 1;
    try {
      const requested = await db
        .select({ id: operationRuns.id })
        .from(operationRuns)
        .where(and(inArray(operationRuns.id, [...watched.keys()]), isNotNull(operationRuns.cancelRequestedAt)));
      for (const { id } of requested) {
        const controller = watched.get(id);
        if (controller) cancel(controller);
      }
    } catch {
      // a missed check is retried on the next tick
    }
  }, intervalMs);
  timer.unref();

  return {
    /** The run's cancellation signal, until `stop()` (when its attempt ends). */
    watch(runId: string, { alreadyRequested }: { alreadyRequested: boolean }) {
      const controller = new AbortController();
      if (alreadyRequested) cancel(controller);
      watched.set(runId, controller);
      return {
        signal: controller.signal,
        stop: () => {
          if (watched.get(runId) === controller) watched.delete(runId);
        },
      };
    },
    /** Cancel checks made so far (each one query, however many runs are in flight). */
    get checks() {
      return checks;
    },
    stop: () => clearInterval(timer),
  };
}
