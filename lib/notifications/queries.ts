import "server-only";
import { and, count, desc, eq, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { notifications, tenantMemberships } from "@/db/schema";

// A notification about a tenant the user no longer belongs to is not shown.
const stillMember = sql`exists (select 1 from ${tenantMemberships} m
  where m.user_id = ${notifications.userId} and m.tenant_id = ${notifications.tenantId})`;

export async function latestNotifications(db: DbOrTx, userId: string, limit = 8) {
  return db
    .select({
      id: notifications.id,
      tenantId: notifications.tenantId,
      runId: notifications.runId,
      kind: notifications.kind,
      outcome: notifications.outcome,
      title: notifications.title,
      body: notifications.body,
      readAt: notifications.readAt,
      createdAt: notifications.createdAt,
    })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), stillMember))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit);
}

export async function unreadCount(db: DbOrTx, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), stillMember));
  return row?.n ?? 0;
}

/** Marks one (or, without an id, every) notification of the user read. Scoped to the user. */
export async function markRead(db: DbOrTx, userId: string, notificationId?: string) {
  const conditions = [eq(notifications.userId, userId), isNull(notifications.readAt)];
  if (notificationId) conditions.push(eq(notifications.id, notificationId));
  await db.update(notifications).set({ readAt: new Date() }).where(and(...conditions));
}
