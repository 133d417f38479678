import "server-only";
import { createHash } from "node:crypto";
import { and, asc, desc, eq, gte, inArray, lt, lte, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "@/db/client";
import { preparedOnce } from "@/db/prepared";
import { operationRuns, type RunStatus, runOutcome, runStatus, tenantMemberships, tenants, users } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { cursorSchema, cursorValue, toPage } from "@/lib/pagination";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => !Number.isNaN(Date.parse(v)));

/**
 * Filters of the runs list, parsed from the URL. Unknown or malformed values are dropped rather
 * than failing the page, so an edited URL still shows something sensible.
 */
export const runFiltersSchema = z.object({
  status: z.enum(runStatus.enumValues).optional().catch(undefined),
  outcome: z.enum(runOutcome.enumValues).optional().catch(undefined),
  type: z
    .string()
    .regex(/^[a-z_]+\.[a-z_]+$/)
    .optional()
    .catch(undefined),
  initiator: z.uuid().optional().catch(undefined),
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  /** A run id or the start of one (hex, dashes optional). */
  q: z
    .string()
    .trim()
    .toLowerCase()
    .transform((v) => v.replace(/-/g, ""))
    .pipe(z.string().regex(/^[0-9a-f]{1,32}$/))
    .optional()
    .catch(undefined),
  sort: z.enum(["newest", "oldest"]).optional().catch(undefined),
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

const asUuid = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/** Conditions of every filter but status and paging (shared by the list and the status counts). */
function scopeConditions(tenantIds: string[], f: RunFilters): SQL[] {
  const where: SQL[] = [
    tenantIds.length === 1 ? eq(operationRuns.tenantId, tenantIds[0]!) : inArray(operationRuns.tenantId, tenantIds),
  ];
  if (f.outcome) where.push(eq(operationRuns.outcome, f.outcome));
  if (f.type) where.push(eq(operationRuns.type, f.type));
  if (f.initiator) where.push(eq(operationRuns.initiatorUserId, f.initiator));
  if (f.from) where.push(gte(operationRuns.createdAt, new Date(`${f.from}T00:00:00Z`)));
  if (f.to) where.push(lt(operationRuns.createdAt, new Date(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000)));
  if (f.q) {
    // A prefix of a uuid is a range of uuids: the primary key index answers it.
    where.push(gte(operationRuns.id, asUuid(f.q.padEnd(32, "0"))), lte(operationRuns.id, asUuid(f.q.padEnd(32, "f"))));
  }
  return where;
}

/**
 * Runs of the given tenants (already authorized by the caller), keyset-paged on (created_at, id)
 * so a page deep in the list costs what the first one does.
 *
 * Each combination of filters becomes one prepared statement with placeholders, built on first use
 * and reused: the list is the hottest query of the console, and re-building and re-planning its
 * SQL on every request cost more than running it.
 */
export async function listRuns(db: Db, tenantIds: string[], filters: RunFilters, pageSize = 25) {
  if (tenantIds.length === 0) return { runs: [], nextCursor: null };
  const oldestFirst = filters.sort === "oldest";
  const [cursorMicros, cursorId] = filters.cursor?.split("_") ?? [];
  const values: Record<string, unknown> = {
    tenantId: tenantIds[0],
    tenantIds: `{${tenantIds.join(",")}}`,
    status: filters.status,
    outcome: filters.outcome,
    type: filters.type,
    initiator: filters.initiator,
    from: filters.from ? new Date(`${filters.from}T00:00:00Z`) : undefined,
    to: filters.to ? new Date(Date.parse(`${filters.to}T00:00:00Z`) + 86_400_000) : undefined,
    idLow: filters.q ? asUuid(filters.q.padEnd(32, "0")) : undefined,
    idHigh: filters.q ? asUuid(filters.q.padEnd(32, "f")) : undefined,
    cursorMicros,
    cursorId,
    limit: pageSize + 1,
  };
  const shape = [
    tenantIds.length === 1 ? "one" : "many",
    oldestFirst ? "asc" : "desc",
    ...(["status", "outcome", "type", "initiator", "from", "to", "idLow", "cursorMicros"] as const).filter(
      (k) => values[k] !== undefined,
    ),
  ].join(":");
  const statement = preparedOnce(db, `runs_list:${shape}`, () => {
    const p = (name: string) => sql.placeholder(name);
    const where: SQL[] = [
      tenantIds.length === 1
        ? sql`${operationRuns.tenantId} = ${p("tenantId")}`
        : sql`${operationRuns.tenantId} = any(${p("tenantIds")}::uuid[])`,
    ];
    if (filters.status) where.push(sql`${operationRuns.status} = ${p("status")}`);
    if (filters.outcome) where.push(sql`${operationRuns.outcome} = ${p("outcome")}`);
    if (filters.type) where.push(sql`${operationRuns.type} = ${p("type")}`);
    if (filters.initiator) where.push(sql`${operationRuns.initiatorUserId} = ${p("initiator")}`);
    if (filters.from) where.push(sql`${operationRuns.createdAt} >= ${p("from")}`);
    if (filters.to) where.push(sql`${operationRuns.createdAt} < ${p("to")}`);
    // A prefix of a uuid is a range of uuids: the primary key index answers it.
    if (filters.q) where.push(sql`${operationRuns.id} between ${p("idLow")}::uuid and ${p("idHigh")}::uuid`);
    if (filters.cursor) {
      const position = sql`('epoch'::timestamptz + (${p("cursorMicros")}::text || ' microseconds')::interval, ${p("cursorId")}::uuid)`;
      where.push(
        oldestFirst
          ? sql`(${operationRuns.createdAt}, ${operationRuns.id}) > ${position}`
          : sql`(${operationRuns.createdAt}, ${operationRuns.id}) < ${position}`,
      );
    }
    const order = oldestFirst
      ? [asc(operationRuns.createdAt), asc(operationRuns.id)]
      : [desc(operationRuns.createdAt), desc(operationRuns.id)];
    return db
      .select(runListColumns)
      .from(operationRuns)
      .where(and(...where))
      .orderBy(...order)
      .limit(p("limit"))
      .prepare(`runs_list_${createHash("sha1").update(shape).digest("hex").slice(0, 12)}`);
  });
  const rows = await statement.execute(values);
  const { items, nextCursor } = toPage(rows, pageSize);
  return { runs: items, nextCursor };
}

export const STATUS_COUNT_CAP = 10_000;

/** Runs per status under the other filters, each counted up to STATUS_COUNT_CAP (+1 means "more"). */
export async function countRunsByStatus(
  db: DbOrTx,
  tenantIds: string[],
  filters: RunFilters,
): Promise<Record<RunStatus, number>> {
  const base = scopeConditions(tenantIds, filters);
  const entries = await Promise.all(
    runStatus.enumValues.map(async (status) => {
      if (tenantIds.length === 0) return [status, 0] as const;
      const capped = db
        .select({ one: sql`1` })
        .from(operationRuns)
        .where(and(...base, eq(operationRuns.status, status)))
        .limit(STATUS_COUNT_CAP + 1)
        .as("capped");
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(capped);
      return [status, row?.n ?? 0] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<RunStatus, number>;
}

/** People who may have started runs in these tenants (their current members). */
export async function listInitiators(db: DbOrTx, tenantIds: string[]) {
  if (tenantIds.length === 0) return [];
  return db
    .selectDistinct({ id: users.id, name: users.name })
    .from(tenantMemberships)
    .innerJoin(users, eq(users.id, tenantMemberships.userId))
    .where(inArray(tenantMemberships.tenantId, tenantIds))
    .orderBy(asc(users.name), asc(users.id));
}

/** One run of the tenant; another tenant's run does not exist here (404). */
export async function getTenantRun(db: Db, tenantId: string, runId: string) {
  if (!z.uuid().safeParse(runId).success) throw new NotFoundError("run");
  const statement = preparedOnce(db, "run_detail", () =>
    db
      .select({
        run: operationRuns,
        // The database's clock, so durations of active runs use the same clock as their timestamps.
        observedAt: sql<Date>`now()`.mapWith(operationRuns.createdAt),
      })
      .from(operationRuns)
      .where(
        and(eq(operationRuns.id, sql.placeholder("runId")), eq(operationRuns.tenantId, sql.placeholder("tenantId"))),
      )
      .prepare("run_detail"),
  );
  const [row] = await statement.execute({ runId, tenantId });
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

/** Display names of tenants, for cross-tenant lists. */
export async function tenantNames(db: DbOrTx, tenantIds: string[]) {
  if (tenantIds.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ id: tenants.id, name: tenants.displayName })
    .from(tenants)
    .where(inArray(tenants.id, tenantIds));
  return new Map(rows.map((r) => [r.id, r.name]));
}
