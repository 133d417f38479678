/**
 * Prepared statements, built once per database handle and name and then reused: the hottest
 * monitoring queries skip re-building their SQL in the ORM and re-planning it in PostgreSQL.
 */
const statements = new WeakMap<object, Map<string, unknown>>();

export function preparedOnce<T>(db: object, name: string, build: () => T): T {
  let byName = statements.get(db);
  if (!byName) statements.set(db, (byName = new Map()));
  if (!byName.has(name)) byName.set(name, build());
  return byName.get(name) as T;
}
