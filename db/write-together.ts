import { type SQLWrapper, sql } from "drizzle-orm";
import type { DbOrTx } from "./client";

/**
 * Independent writes sent as ONE statement: every write but the last becomes a data-modifying WITH
 * query of the last. Where a round trip to PostgreSQL costs more than the writes themselves (the run
 * spine, docs/benchmarks.md), this is one round trip instead of one per write. All of them see the
 * same snapshot, so none may depend on another's effect; none may need its RETURNING rows.
 */
export async function writeTogether(db: DbOrTx, writes: (SQLWrapper | null)[]): Promise<void> {
  const parts = writes.filter((write): write is SQLWrapper => write !== null).map((write) => write.getSQL());
  const last = parts.pop();
  if (!last) return;
  if (parts.length === 0) {
    await db.execute(last);
    return;
  }
  const queries = parts.map((part, i) => sql`${sql.identifier(`write_${i}`)} as (${part})`);
  await db.execute(sql`with ${sql.join(queries, sql`, `)} ${last}`);
}
