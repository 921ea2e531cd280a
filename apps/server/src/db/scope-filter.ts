import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Scope } from '../platform/access.ts';
import type { Slot } from './compiled-once.ts';
import type { RegionLevel } from './schema.ts';

/**
 * The SQL twin of scopeIncludes(): rows whose placement falls inside the scope. An empty scope
 * matches nothing, never everything. Usable in a query builder's where() and in sql templates.
 */
export function inScope(scope: Scope, columns: { table: string; householdColumn?: string }): RawBuilder<SqlBool> {
  const terms: RawBuilder<SqlBool>[] = [];
  const add = (ref: string, ids: string[]) => {
    if (ids.length > 0) terms.push(sql<SqlBool>`${sql.ref(ref)} in (${sql.join(ids)})`);
  };
  add(`${columns.table}.county_id`, scope.countyIds);
  add(`${columns.table}.township_id`, scope.townshipIds);
  add(`${columns.table}.village_id`, scope.villageIds);
  add(`${columns.table}.region_id`, scope.regionIds);
  if (columns.householdColumn) add(`${columns.table}.${columns.householdColumn}`, scope.householdIds);
  if (terms.length === 0) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`(${sql.join(terms, sql` or `)})`;
}

const LEVELS = ['countyIds', 'townshipIds', 'villageIds', 'regionIds', 'householdIds'] as const;

/** How many ids a scope holds at each level: all that inScope()'s text depends on. */
export function scopeShape(scope: Scope): string {
  return LEVELS.map((level) => scope[level].length).join('.');
}

/**
 * A scope of `shape` (from scopeShape) whose ids are slots (`${name}.villageIds.0` …), to build a
 * query compiled once per shape (compiledPerShape) that runs with the real scope as `values[name]`.
 * It holds no id of anyone's scope, so none can be compiled into the text by mistake.
 */
export function slottedScope(shape: string, slot: Slot, name: string): Scope {
  const counts = shape.split('.').map(Number);
  const [countyIds, townshipIds, villageIds, regionIds, householdIds] = LEVELS.map((level, i) =>
    Array.from({ length: counts[i] ?? 0 }, (_, k) => slot<string>(`${name}.${level}.${k}`)),
  ) as [string[], string[], string[], string[], string[]];
  return { countyIds, townshipIds, villageIds, regionIds, householdIds };
}

/** The column of a placed row (household, person, case …) that holds a region of this level. */
export function placementColumn(region: { level: RegionLevel }): 'county_id' | 'township_id' | 'village_id' | 'region_id' {
  return ({ county: 'county_id', township: 'township_id', village: 'village_id', villagerGroup: 'region_id' } as const)[region.level];
}
