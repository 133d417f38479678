import "server-only";
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { operationRuns, runOutcome, runStatus } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { cursorSchema, cursorValue, olderThan, toPage } from "@/lib/pagination";

/** Filters of the runs list, parsed from the URL (unknown values are dropped, not errors). */
export const runFiltersSchema = z.object({
  status: z.enum(runStatus.enumValues).optional().catch(undefined),
  outcome: z.enum(runOutcome.enumValues).optional().catch(undefined),
  type: z.string().regex(/^[a-z_]+\.[a-z_]+$/).optional().catch(undefined),
  cursor: cursorSchema.optional().catch(undefined),
});
export type RunFilters = z.infer<typeof runFiltersSchema>;

export const runListColumns = {
  id: operationRuns.id,
  tenantId: operationRuns.tenantId,
  type: operationRuns.type,
  status: operationRuns.status,
  outcome: operationRuns.outcome,
  summaryCounts: operationRuns.summaryCounts,
  initiatorName: operationRuns.initiatorName,
  createdAt: operationRuns.createdAt,
  startedAt: operationRuns.startedAt,
  completedAt: operationRuns.completedAt,
  cursor: cursorValue(operationRuns.createdAt),
};

/**
 * Newest runs of a tenant, keyset-paged on (created_at, id) so deep pages cost the same as the
 * first. The caller has already checked membership of `tenantId`.
 */
export async function listTenantRuns(db: DbOrTx, tenantId: string, filters: RunFilters, pageSize = 25) {
  const where: SQL[] = [eq(operationRuns.tenantId, tenantId)];
  if (filters.status) where.push(eq(operationRuns.status, filters.status));
  if (filters.outcome) where.push(eq(operationRuns.outcome, filters.outcome));
  if (filters.type) where.push(eq(operationRuns.type, filters.type));
  if (filters.cursor) where.push(olderThan(operationRuns.createdAt, operationRuns.id, filters.cursor));
  const rows = await db
    .select(runListColumns)
    .from(operationRuns)
    .where(and(...where))
    .orderBy(desc(operationRuns.createdAt), desc(operationRuns.id))
    .limit(pageSize + 1);
  const { items, nextCursor } = toPage(rows, pageSize);
  return { runs: items, nextCursor };
}

/** One run of the tenant; another tenant's run does not exist here (404). */
export async function getTenantRun(db: DbOrTx, tenantId: string, runId: string) {
  if (!z.uuid().safeParse(runId).success) throw new NotFoundError("run");
  const [row] = await db
    .select({
      run: operationRuns,
      // The database's clock, so durations of active runs use the same clock as their timestamps.
      observedAt: sql<Date>`now()`.mapWith(operationRuns.createdAt),
    })
    .from(operationRuns)
    .where(and(eq(operationRuns.id, runId), eq(operationRuns.tenantId, tenantId)));
  if (!row) throw new NotFoundError("run");
  return { ...row.run, observedAt: row.observedAt };
}

/** The latest run of a type for a tenant (tenant page: "last verification"). */
export async function latestRunOfType(db: DbOrTx, tenantId: string, type: string) {
  const [run] = await db
    .select(runListColumns)
    .from(operationRuns)
    .where(and(eq(operationRuns.tenantId, tenantId), eq(operationRuns.type, type)))
    .orderBy(desc(operationRuns.createdAt))
    .limit(1);
  return run ?? null;
}
