import "server-only";
import { createHash } from "node:crypto";
import { and, asc, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "@/db/client";
import { preparedOnce } from "@/db/prepared";
import {
  initiatorKind,
  operationRuns,
  type RunOutcome,
  type RunStatus,
  runOutcome,
  runStatus,
  tenantMemberships,
  tenants,
  users,
} from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import { cursorSchema, cursorValue, toPage } from "@/lib/pagination";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => !Number.isNaN(Date.parse(v)));
const dayStart = (v: string) => new Date(`${v}T00:00:00Z`);
const asUuid = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/** A query parameter's value in a condition: a placeholder in a prepared statement, else the value. */
type Param = (name: string) => unknown;

/**
 * Every filter of the runs list, each written once: how the URL spells it, the condition it adds,
 * and the values of the condition's parameters. The list's prepared statements and the status
 * counts are both built from this table; adding a filter means adding one entry here.
 */
function runFilter<S extends z.ZodType>(definition: {
  schema: S;
  where: (param: Param) => SQL;
  params: (value: z.output<S>) => Record<string, unknown>;
}) {
  return definition;
}

const RUN_FILTERS = {
  status: runFilter({
    schema: z.enum(runStatus.enumValues),
    where: (p) => sql`${operationRuns.status} = ${p("status")}`,
    params: (status) => ({ status }),
  }),
  outcome: runFilter({
    schema: z.enum(runOutcome.enumValues),
    where: (p) => sql`${operationRuns.outcome} = ${p("outcome")}`,
    params: (outcome) => ({ outcome }),
  }),
  type: runFilter({
    schema: z.string().regex(/^[a-z_]+\.[a-z_]+$/),
    where: (p) => sql`${operationRuns.type} = ${p("type")}`,
    params: (type) => ({ type }),
  }),
  initiator: runFilter({
    schema: z.uuid(),
    where: (p) => sql`${operationRuns.initiatorUserId} = ${p("initiator")}`,
    params: (initiator) => ({ initiator }),
  }),
  /** The kind of initiator: a person, a schedule, the console (the tenant index, filtered). */
  kind: runFilter({
    schema: z.enum(initiatorKind.enumValues),
    where: (p) => sql`${operationRuns.initiatorKind} = ${p("kind")}`,
    params: (kind) => ({ kind }),
  }),
  from: runFilter({
    schema: day,
    where: (p) => sql`${operationRuns.createdAt} >= ${p("from")}`,
    params: (from) => ({ from: dayStart(from) }),
  }),
  to: runFilter({
    schema: day,
    where: (p) => sql`${operationRuns.createdAt} < ${p("to")}`,
    params: (to) => ({ to: new Date(dayStart(to).getTime() + 86_400_000) }),
  }),
  /** A run id or the start of one (hex, dashes optional): a prefix of a uuid is a range the primary key answers. */
  q: runFilter({
    schema: z
      .string()
      .trim()
      .toLowerCase()
      .transform((v) => v.replace(/-/g, ""))
      .pipe(z.string().regex(/^[0-9a-f]{1,32}$/)),
    where: (p) => sql`${operationRuns.id} between ${p("idLow")}::uuid and ${p("idHigh")}::uuid`,
    params: (q) => ({ idLow: asUuid(q.padEnd(32, "0")), idHigh: asUuid(q.padEnd(32, "f")) }),
  }),
};
type FilterName = keyof typeof RUN_FILTERS;
const FILTER_NAMES = Object.keys(RUN_FILTERS) as FilterName[];

/** Columns of the runs table a viewer may hide (kept in the URL as `hide=a,b`). */
export const HIDEABLE_RUN_COLUMNS = ["tenant", "initiator", "created", "duration", "id"] as const;
export type HideableRunColumn = (typeof HIDEABLE_RUN_COLUMNS)[number];

const lenient = <S extends z.ZodType>(schema: S) => schema.optional().catch(undefined);

/**
 * The runs list's whole URL state — filters, order, cursor and hidden columns — in one schema.
 * Unknown or malformed values are dropped rather than failing the page, so an edited URL still
 * shows something sensible.
 */
export const runFiltersSchema = z.object({
  status: lenient(RUN_FILTERS.status.schema),
  outcome: lenient(RUN_FILTERS.outcome.schema),
  type: lenient(RUN_FILTERS.type.schema),
  initiator: lenient(RUN_FILTERS.initiator.schema),
  kind: lenient(RUN_FILTERS.kind.schema),
  from: lenient(RUN_FILTERS.from.schema),
  to: lenient(RUN_FILTERS.to.schema),
  q: lenient(RUN_FILTERS.q.schema),
  sort: lenient(z.enum(["newest", "oldest"])),
  cursor: lenient(cursorSchema),
  hide: z
    .string()
    .optional()
    .catch(undefined)
    .transform((v) =>
      (v ?? "")
        .split(",")
        .filter((c): c is HideableRunColumn => (HIDEABLE_RUN_COLUMNS as readonly string[]).includes(c)),
    ),
});
export type RunFilters = Partial<z.infer<typeof runFiltersSchema>>;

/** The filters a state sets (other than status when `except` says so), in a stable order. */
const activeFilters = (f: RunFilters, except: FilterName[] = []) =>
  FILTER_NAMES.filter((name) => f[name] !== undefined && !except.includes(name));

/**
 * The filters a state sets, their parameter values, and their conditions — built on demand, as
 * placeholders to prepare once (`prepared`) or with the values bound in. A list request whose
 * statement is already prepared only computes the values.
 */
function filterConditions(f: RunFilters, { prepared, except = [] }: { prepared: boolean; except?: FilterName[] }) {
  const names = activeFilters(f, except);
  const values: Record<string, unknown> = {};
  for (const name of names) Object.assign(values, (RUN_FILTERS[name].params as (v: unknown) => object)(f[name]));
  const param: Param = prepared ? (name) => sql.placeholder(name) : (name) => values[name];
  return { names, values, where: () => names.map((name) => RUN_FILTERS[name].where(param)) };
}

/** Whether any filter narrows the list (order, paging and columns do not). */
export const isFiltered = (f: RunFilters) => activeFilters(f).length > 0;

export const runListColumns = {
  id: operationRuns.id,
  tenantId: operationRuns.tenantId,
  type: operationRuns.type,
  status: operationRuns.status,
  outcome: operationRuns.outcome,
  summaryCounts: operationRuns.summaryCounts,
  initiatorName: operationRuns.initiatorName,
  initiatorKind: operationRuns.initiatorKind,
  createdAt: operationRuns.createdAt,
  startedAt: operationRuns.startedAt,
  completedAt: operationRuns.completedAt,
  cursor: cursorValue(operationRuns.createdAt),
};

/**
 * Runs of the given tenants (already authorized by the caller), keyset-paged on (created_at, id)
 * so a page deep in the list costs what the first one does.
 *
 * Each combination of filters becomes one prepared statement with placeholders, built on first use
 * and reused: the list is the hottest query of the console, and re-building and re-planning its
 * SQL on every request cost more than running it.
 */
export async function listRuns(
  db: Db,
  { tenantIds, filters, pageSize = 25 }: { tenantIds: string[]; filters: RunFilters; pageSize?: number },
) {
  if (tenantIds.length === 0) return { runs: [], nextCursor: null };
  const oldestFirst = filters.sort === "oldest";
  const [cursorMicros, cursorId] = filters.cursor?.split("_") ?? [];
  const filtered = filterConditions(filters, { prepared: true });
  const shape = [
    tenantIds.length === 1 ? "one" : "many",
    oldestFirst ? "asc" : "desc",
    ...filtered.names,
    ...(filters.cursor ? ["cursor"] : []),
  ].join(":");
  const statement = preparedOnce(db, `runs_list:${shape}`, () => {
    const p = (name: string) => sql.placeholder(name);
    const where: SQL[] = [
      tenantIds.length === 1
        ? sql`${operationRuns.tenantId} = ${p("tenantId")}`
        : sql`${operationRuns.tenantId} = any(${p("tenantIds")}::uuid[])`,
      ...filtered.where(),
    ];
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
  const rows = await statement.execute({
    tenantId: tenantIds[0],
    tenantIds: `{${tenantIds.join(",")}}`,
    ...filtered.values,
    cursorMicros,
    cursorId,
    limit: pageSize + 1,
  });
  const { items, nextCursor } = toPage(rows, pageSize);
  return { runs: items, nextCursor };
}

export const STATUS_COUNT_CAP = 10_000;

/** Runs per status under the other filters, each counted up to STATUS_COUNT_CAP (+1 means "more"). */
export async function countRunsByStatus(
  db: DbOrTx,
  { tenantIds, filters }: { tenantIds: string[]; filters: RunFilters },
): Promise<Record<RunStatus, number>> {
  // The chips count every status under the other filters: the status filter itself is left out.
  const filtered = filterConditions(filters, { prepared: false, except: ["status"] });
  const base = [
    tenantIds.length === 1 ? eq(operationRuns.tenantId, tenantIds[0]!) : inArray(operationRuns.tenantId, tenantIds),
    ...filtered.where(),
  ];
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

/**
 * The latest run of each of several types for a tenant, in one statement: a dashboard asks for a few
 * at once, and each is a one-row read of the (tenant, type, created_at) index. Types never run are absent.
 */
export async function latestRunsOfTypes<T extends string>(
  db: DbOrTx,
  tenantId: string,
  types: readonly T[],
): Promise<Partial<Record<T, LatestRun>>> {
  if (types.length === 0) return {};
  const latest = db
    .select({
      id: operationRuns.id,
      type: operationRuns.type,
      status: operationRuns.status,
      outcome: operationRuns.outcome,
      createdAt: operationRuns.createdAt,
    })
    .from(operationRuns)
    .where(and(eq(operationRuns.tenantId, tenantId), sql`${operationRuns.type} = wanted.type`))
    .orderBy(desc(operationRuns.createdAt), desc(operationRuns.id))
    .limit(1)
    .as("latest");
  const rows = await db
    .select({
      id: latest.id,
      type: latest.type,
      status: latest.status,
      outcome: latest.outcome,
      createdAt: latest.createdAt,
    })
    .from(sql`unnest(${sql.param([...types])}::text[]) as wanted(type)`)
    .innerJoinLateral(latest, sql`true`);
  return Object.fromEntries(rows.map((run) => [run.type, run])) as Partial<Record<T, LatestRun>>;
}
export type LatestRun = { id: string; type: string; status: RunStatus; outcome: RunOutcome; createdAt: Date };

/** Display names of tenants, for cross-tenant lists. */
export async function tenantNames(db: DbOrTx, tenantIds: string[]) {
  if (tenantIds.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ id: tenants.id, name: tenants.displayName })
    .from(tenants)
    .where(inArray(tenants.id, tenantIds));
  return new Map(rows.map((r) => [r.id, r.name]));
}
