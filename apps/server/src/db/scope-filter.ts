import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Scope } from '../platform/access.ts';
import type { RegionLevel } from './schema.ts';

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

/** The column of a placed row (household, person, case …) that holds a region of this level. */
export function placementColumn(region: { level: RegionLevel }): 'county_id' | 'township_id' | 'village_id' | 'region_id' {
  return ({ county: 'county_id', township: 'township_id', village: 'village_id', villagerGroup: 'region_id' } as const)[region.level];
}
