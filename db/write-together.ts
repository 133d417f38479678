import { type Column, getTableColumns, getTableName, is, Param, SQL, StringChunk } from "drizzle-orm";
import type { PgInsertValue, PgTable } from "drizzle-orm/pg-core";
import type { DbOrTx } from "./client";

/*
 * The run spine's statements are built on every start and completion, and the ORM's general
 * builders cost more CPU than the round trips these statements save (docs/benchmarks.md, "Second
 * cut"). These build flat SQL from text worked out once per table: the values are still parameters.
 */

type ColumnShape = { column: Column; name: string; type: string };
const shapes = new WeakMap<PgTable, Map<string, ColumnShape>>();

/** Each column of `table` by its key, with its quoted name and SQL type, worked out once. */
function columnsOf(table: PgTable): Map<string, ColumnShape> {
  let shape = shapes.get(table);
  if (!shape) {
    shape = new Map(
      Object.entries(getTableColumns(table)).map(([key, column]) => [
        key,
        { column, name: `"${column.name}"`, type: column.getSQLType() },
      ]),
    );
    shapes.set(table, shape);
  }
  return shape;
}

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
  const columns = columnsOf(table);
  const names: string[] = [];
  const exprs: (StringChunk | Param | SQL)[] = [];
  for (const [key, value] of Object.entries(values)) {
    const shape = columns.get(key);
    if (!shape || value === undefined) continue;
    if (names.length > 0) exprs.push(new StringChunk(", "));
    names.push(shape.name);
    if (is(value, SQL)) exprs.push(value);
    else exprs.push(new StringChunk("cast("), new Param(value, shape.column), new StringChunk(` as ${shape.type})`));
  }
  if (names.length === 0) throw new Error(`insertFrom: no value for any column of ${getTableName(table)}`);
  return new SQL([
    new StringChunk(`insert into "${getTableName(table)}" (${names.join(", ")}) select `),
    ...exprs,
    ...(source ? [new StringChunk(" from "), source] : []),
    ...(where ? [new StringChunk(" where "), where] : []),
  ]);
}

/** The name under which `writeAlong`'s writes see the rows of its first write, quoted. */
const WRITTEN = '"written"';

/**
 * A write of `table` and the writes that follow from it as ONE statement (one round trip where it
 * matters: the run spine, docs/benchmarks.md). `write` is an INSERT or UPDATE of `table` with
 * `returning *`; it becomes a data-modifying WITH query, and each of `alongside(rows)` another that
 * reads its rows from the relation named `rows` (`insertFrom(…, rows, …)`). A write that changes no
 * row thus causes none of the others. Resolves to the rows `write` returned, as `table`'s.
 *
 * All parts see the snapshot from before the statement: none may read another's effect except
 * through `rows`. PostgreSQL does not define the order in which the parts run, so row locks that
 * must be taken in an order belong in statements of their own.
 */
export async function writeAlong<T extends PgTable>(
  db: DbOrTx,
  table: T,
  write: SQL,
  alongside: (rows: string) => (SQL | null)[],
): Promise<T["$inferSelect"][]> {
  const chunks: (StringChunk | SQL)[] = [new StringChunk(`with ${WRITTEN} as (`), write, new StringChunk(")")];
  alongside(WRITTEN)
    .filter((part): part is SQL => part !== null)
    .forEach((part, i) => {
      chunks.push(new StringChunk(`, "written_${i}" as (`), part, new StringChunk(")"));
    });
  chunks.push(new StringChunk(` select * from ${WRITTEN}`));
  const { rows } = await db.execute<Record<string, unknown>>(new SQL(chunks));
  return rows.map((row) => rowOf(table, row));
}

/** A row as the ORM returns it: keys by field, values decoded by their columns (dates, JSON). */
function rowOf<T extends PgTable>(table: T, row: Record<string, unknown>): T["$inferSelect"] {
  const out: Record<string, unknown> = {};
  for (const [key, { column }] of columnsOf(table)) {
    const value = row[column.name];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as T["$inferSelect"];
}
