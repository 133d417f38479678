import { getTableColumns, is, SQL, sql } from "drizzle-orm";
import type { PgInsertValue, PgTable } from "drizzle-orm/pg-core";
import type { DbOrTx } from "./client";

/**
 * `insert into <table> (<columns>) select <values> from <source> where <where>`: a row for each row of
 * `source` that `where` keeps (none when `source` is empty; without a source, one row or none). A
 * value is a plain value (a parameter, cast to its column's type: PostgreSQL cannot infer a
 * parameter's type in an INSERT … SELECT) or SQL that may name the source's columns. Columns left
 * out get their defaults.
 */
export function insertFrom<T extends PgTable>(
  table: T,
  source: SQL | undefined,
  values: PgInsertValue<T>,
  where?: SQL,
): SQL {
  const columns = getTableColumns(table);
  const names: SQL[] = [];
  const exprs: SQL[] = [];
  for (const [key, value] of Object.entries(values)) {
    const column = columns[key];
    if (!column || value === undefined) continue;
    names.push(sql`${sql.identifier(column.name)}`);
    exprs.push(is(value, SQL) ? value : sql`cast(${sql.param(value, column)} as ${sql.raw(column.getSQLType())})`);
  }
  const from = source ? sql` from ${source}` : sql``;
  return sql`insert into ${table} (${sql.join(names, sql`, `)}) select ${sql.join(exprs, sql`, `)}${from}${
    where ? sql` where ${where}` : sql``
  }`;
}

/** The name under which `writeAlong`'s writes see the rows of its first write. */
const PRIMARY = "written";

/**
 * A write of `table` and the writes that follow from it as ONE statement (one round trip where it
 * matters: the run spine, docs/benchmarks.md). `write` is an INSERT or UPDATE of `table` with
 * `returning *`; it becomes a data-modifying WITH query, and each of `alongside(rows)` another that
 * reads its rows from `rows` (`insertFrom(…, rows, …)`). A write that changes no row thus causes none
 * of the others. Resolves to the rows `write` returned.
 *
 * All parts see the snapshot from before the statement: none may read another's effect except
 * through `rows`. PostgreSQL does not define the order in which the parts run, so row locks that
 * must be taken in an order belong in statements of their own.
 */
export async function writeAlong<T extends PgTable>(
  db: DbOrTx,
  table: T,
  write: SQL,
  alongside: (rows: SQL) => (SQL | null)[],
): Promise<T["$inferSelect"][]> {
  const written = db.$with(PRIMARY, getTableColumns(table)).as(write);
  const followers = alongside(sql`${sql.identifier(PRIMARY)}`)
    .filter((part): part is SQL => part !== null)
    .map((part, i) => db.$with(`${PRIMARY}_${i}`, {}).as(part));
  // `never`: the builder's types cannot follow a CTE over a generic table; the rows are `table`'s.
  return (await db
    .with(written, ...followers)
    .select()
    .from(written as never)) as T["$inferSelect"][];
}
