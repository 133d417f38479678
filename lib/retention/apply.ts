import type { Db } from "@/db/client";
import type { SummaryCounts } from "@/db/schema";
import { deleteBackupSetOnce, deletionCountOfRun } from "./delete";
import { KEEP_EVERYTHING, retentionCandidates, retentionPolicyOf } from "./policy";

/**
 * One `retention.apply` run: the tenant's sealed sets past its policy, each deleted in its own
 * short transaction (lib/retention/delete.ts). The candidates are read again on every attempt, so
 * a retry after a lost worker carries on with what is left; `deleted` counts this run's deletions
 * across attempts, `kept` the candidates something protected (a pin, the newest, an active restore).
 */
export async function applyRetention(
  db: Db,
  {
    runId,
    tenantId,
    signal,
    progress,
  }: { runId: string; tenantId: string; signal?: AbortSignal; progress?: (counts: SummaryCounts) => Promise<void> },
) {
  const row = await retentionPolicyOf(db, tenantId);
  const policy = row ? { keepDays: row.keepDays, keepCount: row.keepCount } : KEEP_EVERYTHING;
  const candidates = await retentionCandidates(db, tenantId, policy);
  const counts = { candidates: candidates.length, deleted: await deletionCountOfRun(db, runId), kept: 0 };
  await progress?.(counts);
  for (const { id, reason } of candidates) {
    signal?.throwIfAborted();
    const outcome = await deleteBackupSetOnce(db, { runId, tenantId, backupSetId: id, reason });
    if (outcome.deleted) counts.deleted += 1;
    else if (outcome.refused !== "gone") counts.kept += 1;
    await progress?.(counts);
  }
  return counts;
}
