import "server-only";
import { and, desc, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { auditEvents, type MembershipRole, tenantMemberships, tenants } from "@/db/schema";
import { cursorSchema, cursorValue, olderThan } from "@/lib/pagination";
import { ROLES, roleAtLeast } from "@/lib/tenants/roles";

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

function filterConditions(f: AuditFilters): SQL[] {
  const where: SQL[] = [];
  if (f.actor) where.push(eq(auditEvents.actorName, f.actor));
  if (f.action) where.push(sql`(${auditEvents.action} = ${f.action} or ${auditEvents.action} like ${`${f.action}.%`})`);
  if (f.from) where.push(sql`${auditEvents.occurredAt} >= (${f.from}::date::timestamp at time zone 'UTC')`);
  if (f.to) where.push(sql`${auditEvents.occurredAt} < ((${f.to}::date + 1)::timestamp at time zone 'UTC')`);
  if (f.cursor) where.push(olderThan(auditEvents.occurredAt, auditEvents.id, f.cursor));
  return where;
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
 * One page of events, newest first, keyset-paged on (occurred_at, id). Across tenants every tenant
 * (and the reader's own sign-ins) is read through its own index range and the slices merged, so a
 * small tenant's page costs the same beside a tenant with a million events.
 */
export async function listAuditEvents(
  db: DbOrTx,
  { scope, filters, pageSize = 50 }: { scope: AuditScope; filters: AuditFilters; pageSize?: number },
): Promise<{ items: AuditRow[]; nextCursor: string | null }> {
  const where = filterConditions(filters);
  const limit = pageSize + 1;
  let rows: AuditRow[];
  if ("tenantId" in scope) {
    rows = (await slice(db, [eq(auditEvents.tenantId, scope.tenantId), ...where], limit)) as AuditRow[];
  } else {
    const slices = await Promise.all([
      ...scope.tenantIds.map((tenantId) => slice(db, [eq(auditEvents.tenantId, tenantId), ...where], limit)),
      slice(db, [eq(auditEvents.actorUserId, scope.userId), isNull(auditEvents.tenantId), ...where], limit),
    ]);
    rows = (slices.flat() as AuditRow[]).sort((a, b) => compareNewestFirst(a, b)).slice(0, limit);
  }
  const items = rows.slice(0, pageSize);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > pageSize && last ? `${last.cursor}_${last.id}` : null };
}

/** Newest first by (occurred_at in microseconds, id), the order the keyset walks. */
function compareNewestFirst(a: AuditRow, b: AuditRow): number {
  const byTime = BigInt(b.cursor) - BigInt(a.cursor);
  if (byTime !== 0n) return byTime > 0n ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

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
