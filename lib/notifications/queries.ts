import "server-only";
import { and, count, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { preparedOnce } from "@/db/prepared";
import { notifications, tenantMemberships } from "@/db/schema";
import { cursorValue, olderThan, toPage } from "@/lib/pagination";

// A notification about a tenant the user no longer belongs to is not shown (one about the account itself is).
const stillMember = sql`(${notifications.tenantId} is null or exists (select 1 from ${tenantMemberships} m
  where m.user_id = ${notifications.userId} and m.tenant_id = ${notifications.tenantId}))`;

export type NotificationFilter = { unreadOnly?: boolean; cursor?: string };

/** The user's notifications, newest first, keyset-paged; the bell shows the first few. */
export async function listNotifications(
  db: DbOrTx,
  { userId, filter = {}, pageSize = 8 }: { userId: string; filter?: NotificationFilter; pageSize?: number },
) {
  const where = [eq(notifications.userId, userId), stillMember];
  if (filter.unreadOnly) where.push(isNull(notifications.readAt));
  if (filter.cursor) where.push(olderThan(notifications.createdAt, notifications.id, filter.cursor));
  const rows = await db
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
      cursor: cursorValue(notifications.createdAt),
    })
    .from(notifications)
    .where(and(...where))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(pageSize + 1);
  return toPage(rows, pageSize);
}

/** Unread notifications, counted up to UNREAD_CAP (the bell shows "99+" beyond 99). */
export const UNREAD_CAP = 100;

export async function unreadCount(db: Db, userId: string): Promise<number> {
  const statement = preparedOnce(db, "unread_count", () => {
    const capped = db
      .select({ one: sql`1` })
      .from(notifications)
      .where(and(eq(notifications.userId, sql.placeholder("userId")), isNull(notifications.readAt), stillMember))
      .orderBy(desc(notifications.createdAt))
      .limit(UNREAD_CAP)
      .as("capped");
    return db.select({ n: count() }).from(capped).prepare("unread_count");
  });
  const [row] = await statement.execute({ userId });
  return row?.n ?? 0;
}

/** Marks one (or, without an id, every) notification of the user read. Scoped to the user. */
export async function markRead(db: DbOrTx, userId: string, notificationId?: string) {
  const conditions = [eq(notifications.userId, userId), isNull(notifications.readAt)];
  if (notificationId) conditions.push(eq(notifications.id, notificationId));
  await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(...conditions));
}
