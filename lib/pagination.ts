import { type AnyColumn, type SQL, sql } from "drizzle-orm";
import { z } from "zod";

/**
 * Keyset pagination on (created_at, id), newest first. The cursor carries created_at in exact
 * microseconds (a JS Date would round to milliseconds and skip or repeat rows) plus the id.
 */
/** A uuid in its canonical text form, as PostgreSQL's `::uuid` cast accepts it. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const cursorSchema = z
  .string()
  // A well-formed uuid and at most 17 digits of microseconds (year 5138): anything else would reach
  // PostgreSQL's casts and fail there, a 500 for a hand-edited URL instead of the first page.
  .regex(new RegExp(`^\\d{1,17}_${UUID_PATTERN.source.slice(1)}`));

export function cursorValue(createdAt: AnyColumn): SQL<string> {
  return sql<string>`(extract(epoch from ${createdAt}) * 1000000)::bigint::text`;
}

export function olderThan(createdAt: AnyColumn, id: AnyColumn, cursor: string): SQL {
  const [micros, rowId] = cursor.split("_");
  return sql`(${createdAt}, ${id}) < ('epoch'::timestamptz + (${micros} || ' microseconds')::interval, ${rowId}::uuid)`;
}

/** Splits the `pageSize + 1` rows a query fetched into the page and the cursor of the next one. */
export function toPage<T extends { id: string; cursor: string }>(rows: T[], pageSize: number) {
  const items = rows.slice(0, pageSize);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > pageSize && last ? `${last.cursor}_${last.id}` : null };
}
