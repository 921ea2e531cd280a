import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Scope } from '../platform/access.ts';

/**
 * The SQL twin of scopeIncludes(): rows whose placement falls inside the scope. An empty scope
 * matches nothing, never everything. Usable in a query builder's where() and in sql templates.
 */
export function inScope(scope: Scope, columns: { table: string; householdColumn?: string }): RawBuilder<SqlBool> {
  const terms: RawBuilder<SqlBool>[] = [];
  const add = (column: string, ids: string[]) => {
    if (ids.length > 0) terms.push(sql<SqlBool>`${sql.ref(`${columns.table}.${column}`)} in (${sql.join(ids)})`);
  };
  add('county_id', scope.countyIds);
  add('township_id', scope.townshipIds);
  add('village_id', scope.villageIds);
  add('region_id', scope.regionIds);
  if (columns.householdColumn) add(columns.householdColumn, scope.householdIds);
  if (terms.length === 0) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`(${sql.join(terms, sql` or `)})`;
}
