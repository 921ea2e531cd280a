// What the wall screen shows of a region's cases beyond the statistics page's figures: open cases
// on the map (position, state, category; never title or reporter), the count of cases by state,
// and the latest matters answered, as the public village-affairs pages list them.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export type RegionColumn = 'county_id' | 'township_id' | 'village_id' | 'region_id';
const OPEN_STATES = ['received', 'answeredOnSpot', 'assigned', 'accepted', 'handled'];

/**
 * Open cases with a position that may go on a public map: not anonymous, shown on the public
 * village pages (off the exposure board, or published on it), and of one of `categoryCodes`.
 * Positions are exact here; the service snaps them to a grid.
 */
export async function openCasesWithPosition(
  db: Kysely<DB>,
  column: RegionColumn,
  regionId: string,
  categoryCodes: readonly string[],
  limit: number,
) {
  if (categoryCodes.length === 0) return [];
  const rows = await db
    .selectFrom('cases as c')
    .innerJoin('case_categories as cat', 'cat.id', 'c.category_id')
    .select(['c.id', 'c.latitude', 'c.longitude', 'c.state', 'cat.name as category_name'])
    .where(`c.${column}`, '=', regionId)
    .where('c.state', 'in', OPEN_STATES)
    .where('c.anonymous', '=', 0)
    .where('cat.code', 'in', categoryCodes)
    .where((eb) => eb.or([eb('c.public_state', 'is', null), eb('c.public_state', '=', 'published')]))
    .where('c.latitude', 'is not', null)
    .where('c.longitude', 'is not', null)
    .where('c.merged_into_id', 'is', null)
    .orderBy('c.created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, lat: Number(r.latitude), lon: Number(r.longitude), state: r.state, categoryName: r.category_name }));
}

export async function countByState(db: Kysely<DB>, column: RegionColumn, regionId: string, fromMs: number, toMs: number) {
  const rows = await db
    .selectFrom('cases as c')
    .select(['c.state'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(`c.${column}`, '=', regionId)
    .where('c.created_at', '>=', fromMs)
    .where('c.created_at', '<', toMs)
    .where('c.merged_into_id', 'is', null)
    .groupBy('c.state')
    .execute();
  return rows.map((r) => ({ state: r.state, count: Number(r.n) }));
}

export async function latestReplied(db: Kysely<DB>, column: RegionColumn, regionId: string, sinceMs: number, limit: number) {
  const rows = await db
    .selectFrom('cases as c')
    .innerJoin('case_categories as cat', 'cat.id', 'c.category_id')
    .select([
      'c.id',
      'c.title',
      'c.public_title',
      'c.reporter_name',
      'c.village_id',
      'c.state',
      'c.replied_at',
      'cat.name as category_name',
    ])
    .where(`c.${column}`, '=', regionId)
    .where('c.replied_at', 'is not', null)
    .where('c.replied_at', '>=', sinceMs)
    .where('c.merged_into_id', 'is', null)
    .where((eb) => eb.or([eb('c.public_state', 'is', null), eb('c.public_state', '=', 'published')]))
    .orderBy('c.replied_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    publicTitle: r.public_title,
    reporterName: r.reporter_name,
    villageId: r.village_id,
    state: r.state,
    at: Number(r.replied_at),
    categoryName: r.category_name,
  }));
}

/** The ids of the categories with these codes. */
export async function categoryIdsByCode(db: Kysely<DB>, codes: readonly string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const rows = await db.selectFrom('case_categories').select('id').where('code', 'in', codes).execute();
  return rows.map((r) => r.id);
}
