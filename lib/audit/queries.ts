import "server-only";
import { and, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { auditEvents, type MembershipRole, tenantMemberships, tenants } from "@/db/schema";
import { cursorSchema, cursorValue, olderThan } from "@/lib/pagination";
import { ROLES, roleAtLeast } from "@/lib/tenants/roles";
import { actionsMatching } from "./actions";

/** Who may read a tenant's audit log: owners and operators (it names colleagues and their addresses). */
export const AUDIT_MIN_ROLE: MembershipRole = "operator";

const lenient = <S extends z.ZodType>(schema: S) => schema.optional().catch(undefined);
const day = z.iso.date();

/**
 * The audit pages' URL state. `action` is a whole name (`run.start`) or a family (`run`); `actor`
 * is a name as recorded; `from`/`to` are UTC days, both included. Bad values are dropped.
 */
export const auditFiltersSchema = z.object({
  actor: lenient(z.string().trim().min(1).max(200)),
  action: lenient(
    z
      .string()
      .regex(/^[a-z_]+(\.[a-z_]+)*$/)
      .max(64),
  ),
  from: lenient(day),
  to: lenient(day),
  cursor: lenient(cursorSchema),
});
export type AuditFilters = Partial<z.infer<typeof auditFiltersSchema>>;

/** Which events a reader may see: one tenant's, or their tenants' plus their own sign-ins. */
export type AuditScope = { tenantId: string } | { userId: string; tenantIds: string[] };

export const auditListColumns = {
  id: auditEvents.id,
  occurredAt: auditEvents.occurredAt,
  actorKind: auditEvents.actorKind,
  actorName: auditEvents.actorName,
  tenantId: auditEvents.tenantId,
  action: auditEvents.action,
  targetType: auditEvents.targetType,
  targetId: auditEvents.targetId,
  targetLabel: auditEvents.targetLabel,
  outcome: auditEvents.outcome,
  clientAddress: auditEvents.clientAddress,
  details: auditEvents.details,
  cursor: cursorValue(auditEvents.occurredAt),
};
export type AuditRow = Omit<
  {
    [K in keyof typeof auditListColumns]: (typeof auditEvents.$inferSelect)[K & keyof typeof auditEvents.$inferSelect];
  },
  "cursor"
> & { cursor: string };

/** The filters that bound a walk in time: the days and the cursor. */
function timeConditions(f: AuditFilters): SQL[] {
  const where: SQL[] = [];
  if (f.from) where.push(sql`${auditEvents.occurredAt} >= (${f.from}::date::timestamp at time zone 'UTC')`);
  if (f.to) where.push(sql`${auditEvents.occurredAt} < ((${f.to}::date + 1)::timestamp at time zone 'UTC')`);
  if (f.cursor) where.push(olderThan(auditEvents.occurredAt, auditEvents.id, f.cursor));
  return where;
}

/** Every filter but the action, which picks the index ranges read (see `actionsMatching`). */
function filterConditions(f: AuditFilters): SQL[] {
  return [...(f.actor ? [eq(auditEvents.actorName, f.actor)] : []), ...timeConditions(f)];
}

/** One newest-first slice of events matching `where`, at most `limit` rows. */
function slice(db: DbOrTx, where: SQL[], limit: number) {
  return db
    .select(auditListColumns)
    .from(auditEvents)
    .where(and(...where))
    .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
    .limit(limit);
}

/**
 * One page of events, newest first, keyset-paged on (occurred_at, id). Across tenants, each tenant
 * (and the reader's own sign-ins) is read through its own index range in one statement (a lateral
 * join over the tenant ids) and the slices merged, so a small tenant's page costs the same beside a
 * tenant with a million events.
 */
export async function listAuditEvents(
  db: DbOrTx,
  { scope, filters, pageSize = 50 }: { scope: AuditScope; filters: AuditFilters; pageSize?: number },
): Promise<{ items: AuditRow[]; nextCursor: string | null }> {
  const where = filterConditions(filters);
  const limit = pageSize + 1;
  const actions = filters.action ? actionsMatching(filters.action) : null;
  const rows =
    "tenantId" in scope
      ? actions
        ? await mergedSlices(db, { scope, actions, where, limit })
        : ((await slice(db, [eq(auditEvents.tenantId, scope.tenantId), ...where], limit)) as AuditRow[])
      : ((await recentWindow(db, { scope, actions, filters, limit })) ??
        (await mergedSlices(db, { scope, actions, where, limit })));
  const items = rows.slice(0, pageSize);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > pageSize && last ? `${last.cursor}_${last.id}` : null };
}

type RawAuditRow = Omit<AuditRow, "occurredAt"> & { occurredAt: unknown };

/** How many of the newest events (after the cursor and days) a cross-tenant page looks at first. */
export const RECENT_WINDOW = 1000;

/**
 * The cross-tenant page when the reader's events are dense: the newest RECENT_WINDOW events of the
 * whole table (through the global time index), filtered. When that yields a full page, or the window
 * reaches the end of the range, it is the exact answer, at the cost of one short index walk. Null
 * when the reader's events are too sparse there: per-tenant slices answer instead. A broad filter over
 * many busy tenants is exactly where slices are expensive (hundreds of slices, merged and sorted).
 */
async function recentWindow(
  db: DbOrTx,
  {
    scope,
    actions,
    filters,
    limit,
  }: { scope: { userId: string; tenantIds: string[] }; actions: string[] | null; filters: AuditFilters; limit: number },
): Promise<AuditRow[] | null> {
  const time = timeConditions(filters);
  const match = [
    sql`(${auditEvents.tenantId} = any(${`{${scope.tenantIds.join(",")}}`}::uuid[])
      or (${auditEvents.tenantId} is null and ${auditEvents.actorUserId} = ${scope.userId}))`,
    ...(filters.actor ? [eq(auditEvents.actorName, filters.actor)] : []),
    ...(actions ? [sql`${auditEvents.action} = any(${`{${actions.join(",")}}`}::text[])`] : []),
  ];
  // The window keeps the table's name, so the list's columns and conditions apply to it unchanged.
  const { rows } = await db.execute<RawAuditRow & { seen: number }>(sql`
    with recent as (
      select * from ${auditEvents} ${time.length ? sql`where ${and(...time)}` : sql``}
      order by ${auditEvents.occurredAt} desc, ${auditEvents.id} desc limit ${RECENT_WINDOW})
    select window_size.seen, page.* from (select count(*)::int as seen from recent) window_size
    left join lateral (
      select ${listColumnsSql()} from recent as ${auditEvents} where ${and(...match)}
      order by ${auditEvents.occurredAt} desc, ${auditEvents.id} desc limit ${limit}) page on true`);
  // `seen` rides along on the page's rows; the list ignores it.
  const page = rows.filter((row) => row.id !== null).map(fromRaw);
  return page.length === limit || (rows[0]?.seen ?? 0) < RECENT_WINDOW ? page : null;
}

/**
 * One slice per tenant (per tenant and action when filtering by action) in one statement, through
 * the tenant's index range, merged; plus the reader's own events with no tenant.
 */
async function mergedSlices(
  db: DbOrTx,
  { scope, actions, where, limit }: { scope: AuditScope; actions: string[] | null; where: SQL[]; limit: number },
): Promise<AuditRow[]> {
  const tenantIds = "tenantId" in scope ? [scope.tenantId] : scope.tenantIds;
  const columns = listColumnsSql();
  const newest = sql`order by ${auditEvents.occurredAt} desc, ${auditEvents.id} desc limit ${limit}`;
  const filtered = where.length ? sql` and ${and(...where)}` : sql``;
  const actionList = `{${(actions ?? []).join(",")}}`;
  const perTenant = actions
    ? sql`from unnest(${`{${tenantIds.join(",")}}`}::uuid[]) as reader_tenant(id)
          cross join unnest(${actionList}::text[]) as wanted(action)
          cross join lateral (select ${columns} from ${auditEvents}
            where ${auditEvents.tenantId} = reader_tenant.id and ${auditEvents.action} = wanted.action${filtered} ${newest}) e`
    : sql`from unnest(${`{${tenantIds.join(",")}}`}::uuid[]) as reader_tenant(id)
          cross join lateral (select ${columns} from ${auditEvents}
            where ${auditEvents.tenantId} = reader_tenant.id${filtered} ${newest}) e`;
  const own =
    "userId" in scope
      ? sql`union all (select ${columns} from ${auditEvents}
          where ${auditEvents.actorUserId} = ${scope.userId} and ${auditEvents.tenantId} is null${filtered}
          ${actions ? sql`and ${auditEvents.action} = any(${actionList}::text[])` : sql``} ${newest})`
      : sql``;
  const { rows } = await db.execute<RawAuditRow>(sql`
    select * from (select e.* ${perTenant} ${own}) merged
    order by "occurredAt" desc, id desc limit ${limit}`);
  return rows.map(fromRaw);
}

const listColumnsSql = () =>
  sql.join(
    Object.entries(auditListColumns).map(([alias, column]) => sql`${column} as ${sql.identifier(alias)}`),
    sql`, `,
  );

// The cursor holds the exact microseconds; the raw driver row's timestamp text is not parsed by hand.
const fromRaw = (row: RawAuditRow): AuditRow => ({ ...row, occurredAt: new Date(Number(BigInt(row.cursor) / 1000n)) });

/** The tenants whose audit log the user may read (see AUDIT_MIN_ROLE), with their names. */
export async function auditableTenants(db: DbOrTx, userId: string) {
  return db
    .select({ id: tenants.id, name: tenants.displayName })
    .from(tenantMemberships)
    .innerJoin(tenants, eq(tenants.id, tenantMemberships.tenantId))
    .where(
      and(
        eq(tenantMemberships.userId, userId),
        inArray(
          tenantMemberships.role,
          ROLES.filter((role) => roleAtLeast(role, AUDIT_MIN_ROLE)),
        ),
      ),
    );
}
