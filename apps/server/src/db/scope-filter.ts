import { type ExpressionBuilder, type ExpressionWrapper, type SqlBool, sql } from 'kysely';
import type { Scope } from '../platform/access.ts';

type PlacedColumns = 'region_id' | 'village_id' | 'township_id' | 'county_id';

/**
 * The SQL twin of scopeIncludes(): rows whose placement falls inside the scope. An empty scope
 * matches nothing, never everything.
 */
export function inScope<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  scope: Scope,
  columns: { table: string; householdColumn?: string },
): ExpressionWrapper<DB, TB, SqlBool> {
  const ref = (column: PlacedColumns | string) => eb.ref(`${columns.table}.${column}` as never);
  const terms: ExpressionWrapper<DB, TB, SqlBool>[] = [];
  const add = (column: string, ids: string[]) => {
    if (ids.length > 0) terms.push(eb(ref(column), 'in', ids as never) as ExpressionWrapper<DB, TB, SqlBool>);
  };
  add('county_id', scope.countyIds);
  add('township_id', scope.townshipIds);
  add('village_id', scope.villageIds);
  add('region_id', scope.regionIds);
  if (columns.householdColumn) add(columns.householdColumn, scope.householdIds);
  if (terms.length === 0) return sql<SqlBool>`1 = 0` as unknown as ExpressionWrapper<DB, TB, SqlBool>;
  return eb.or(terms) as ExpressionWrapper<DB, TB, SqlBool>;
}
