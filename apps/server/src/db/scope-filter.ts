import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Scope } from '../platform/access.ts';
import type { RegionLevel } from './schema.ts';

/**
 * The SQL twin of scopeIncludes(): rows whose placement falls inside the scope. An empty scope
 * matches nothing, never everything. Usable in a query builder's where() and in sql templates.
 *
 * `regionRef` names the villager-group column (`alias.column`) of a table placed only down to its
 * village, such as redemptions, which take their household's group: a grid worker's scope is
 * villager groups, so without it the filter would name a column the table does not have.
 */
export function inScope(scope: Scope, columns: { table: string; householdColumn?: string; regionRef?: string }): RawBuilder<SqlBool> {
  const terms: RawBuilder<SqlBool>[] = [];
  const add = (ref: string, ids: string[]) => {
    if (ids.length > 0) terms.push(sql<SqlBool>`${sql.ref(ref)} in (${sql.join(ids)})`);
  };
  add(`${columns.table}.county_id`, scope.countyIds);
  add(`${columns.table}.township_id`, scope.townshipIds);
  add(`${columns.table}.village_id`, scope.villageIds);
  add(columns.regionRef ?? `${columns.table}.region_id`, scope.regionIds);
  if (columns.householdColumn) add(`${columns.table}.${columns.householdColumn}`, scope.householdIds);
  if (terms.length === 0) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`(${sql.join(terms, sql` or `)})`;
}

/** The column of a placed row (household, person, case …) that holds a region of this level. */
export function placementColumn(region: { level: RegionLevel }): 'county_id' | 'township_id' | 'village_id' | 'region_id' {
  return ({ county: 'county_id', township: 'township_id', village: 'village_id', villagerGroup: 'region_id' } as const)[region.level];
}
